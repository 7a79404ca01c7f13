"""The desk tables' sort and filter script: loaded by base.html on desk pages, never by the field app.

The field app (/app/) is a separate shell that precaches and preloads every module under
static/js; the desk script lives in static/desk so a phone neither downloads nor runs it.
"""
import re

from fieldapp.collector.build import module_urls, precache_urls

SCRIPT = "/static/desk/desk-tables.js"


def _script_tag(html):
    match = re.search(r'<script type="module" id="desk-tables"[^>]*>', html)
    assert match, "base.html must load the desk tables' script"
    return match.group(0)


def test_desk_pages_load_the_script_with_their_words(world, login_as):
    client = login_as("admin")
    for path in ("/admin/users", "/admin/policy", "/supervisor/", "/supervisor/households"):
        resp = client.get(path)
        assert resp.status_code == 200, path
        tag = _script_tag(resp.get_data(as_text=True))
        assert f'src="{SCRIPT}' in tag, path
        # The words come translated from the template (Vietnamese by default), not from the script.
        assert 'data-filter="Lọc bảng"' in tag
        assert 'data-count="{shown} / {total} dòng"' in tag
    html = client.get("/admin/policy").get_data(as_text=True)
    assert re.search(r"<table[^>]*\bdata-sortable\b[^>]*\bdata-filterable\b", html)


def test_the_login_page_too_is_a_desk_page(client):
    assert SCRIPT in client.get("/login").get_data(as_text=True)


def test_the_field_app_never_loads_it(app, client):
    html = client.get("/app/").get_data(as_text=True)
    assert "desk-tables" not in html
    assert "/static/js/" in html  # the shell does list its own modules
    with app.test_request_context():
        assert not any("desk-tables" in url for url in module_urls())
        assert not any("desk-tables" in url for url in precache_urls())


def test_paged_tables_say_so_only_when_there_are_pages(world, login_as):
    client = login_as("admin")
    html = client.get("/admin/users").get_data(as_text=True)
    assert "data-paged" not in html  # the small world fits on one page


def test_filter_boxes_are_in_the_page_before_any_script_runs(world, login_as):
    """The server renders one filter box right before each filterable table's wrapper, so the
    page does not move when desk-tables.js arrives; the boxes' ids are unique on the page, and
    a browser without scripts hides them (they only work with the script)."""
    client = login_as("admin")
    for path in ("/supervisor/network", "/supervisor/progress", "/admin/users", "/admin/policy"):
        html = client.get(path).get_data(as_text=True)
        tables = len(re.findall(r"<table[^>]*\bdata-filterable\b", html))
        boxes = re.findall(r'<div class="table-filter">\s*<label for="([^"]+)">([^<]+)</label>\s*'
                           r'<input type="search" id="\1"[^>]*aria-describedby="\1-count">\s*'
                           r'<output id="\1-count"[^>]*aria-live="polite"></output>\s*</div>\s*'
                           r'<div class="table-wrap"[^>]*>\s*<table[^>]*\bdata-filterable\b', html)
        assert tables and len(boxes) == tables, path
        assert len({ident for ident, _ in boxes}) == tables, path
        assert {label for _, label in boxes} == {"Lọc bảng"}, path
        nojs = r'<noscript><link rel="stylesheet" href="/static/css/nojs.css[^"]*"></noscript>'
        assert re.search(nojs, html), path


def test_a_paged_tables_filter_box_says_it_acts_on_the_page(app):
    from flask import render_template_string
    source = '{% from "_macros.html" import table_filter %}{{ table_filter("f-1", paged=p) }}'
    with app.test_request_context("/"):
        paged = render_template_string(source, p=True)
        whole = render_template_string(source, p=False)
    assert '<label for="f-1">Lọc các dòng trên trang này</label>' in paged
    assert "Sắp xếp và lọc chỉ áp dụng cho các dòng trên trang này." in paged
    assert '<label for="f-1">Lọc bảng</label>' in whole and "hint" not in whole
