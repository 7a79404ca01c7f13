"""The installable app (#4): shell, form pages, manifest, icons and the root-scope service worker."""
import json
import re
import struct

import pytest

from fieldapp.records.types import RECORD_FORMS
from tests.conftest import make_app, reset_schema


def test_shell_is_a_cacheable_page_without_inline_script_or_style(client):
    resp = client.get("/app/")
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "no-cache"
    html = resp.get_data(as_text=True)
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "style=" not in html and "<style" not in html and " on" + "click=" not in html
    assert 'rel="manifest"' in html and 'type="module"' in html


def test_service_worker_at_the_root_scope_lists_what_it_precaches(client):
    resp = client.get("/sw.js")
    assert resp.status_code == 200
    assert resp.mimetype == "text/javascript"
    assert resp.headers["Service-Worker-Allowed"] == "/"
    assert "no-cache" in resp.headers["Cache-Control"]
    body = resp.get_data(as_text=True)
    build = json.loads(re.search(r"self\.BUILD = (.*);", body).group(1))
    urls = json.loads(re.search(r"self\.PRECACHE = (.*);", body).group(1))
    assert build
    for url in ("/app/", "/app/forms/vi.html", "/app/i18n/vi.json", "/static/js/app.js",
                "/static/js/premium.js", "/static/manifest.webmanifest", "/static/css/pwa.css"):
        assert url in urls
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert "caches.delete" in body and "skip-waiting" in body


def test_a_new_build_changes_the_service_worker(tmp_path):
    def build_of(label):
        app = make_app(tmp_path, APP_BUILD=label)
        reset_schema(app)
        body = app.test_client().get("/sw.js").get_data(as_text=True)
        return re.search(r"self\.BUILD = (.*);", body).group(1)

    assert build_of("a") == build_of("a")
    assert build_of("a") != build_of("b")


def png_size(data):
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_manifest_is_vietnamese_with_real_icons(client):
    resp = client.get("/static/manifest.webmanifest")
    assert resp.mimetype == "application/manifest+json"
    manifest = json.loads(resp.get_data(as_text=True))
    assert manifest["lang"] == "vi" and "Ứng dụng thu" in manifest["name"]
    assert manifest["short_name"] and manifest["theme_color"].startswith("#")
    assert manifest["start_url"] == "/app/" and manifest["display"] == "standalone"
    seen = set()
    for icon in manifest["icons"]:
        data = client.get(icon["src"]).get_data()
        w, h = png_size(data)
        assert f"{w}x{h}" == icon["sizes"]
        seen.add((w, icon["purpose"]))
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= seen


@pytest.mark.parametrize("lang, word", [("vi", "Lưu"), ("en", "Save")])
@pytest.mark.parametrize("record_type", sorted(RECORD_FORMS))
def test_form_pages_carry_the_forms_rules(client, lang, word, record_type):
    html = client.get(f"/app/forms/{lang}.html").get_data(as_text=True)
    tpl = re.search(rf'<template id="form-{record_type}">(.*?)</template>', html, re.S).group(1)
    assert word in tpl
    form = RECORD_FORMS[record_type]()
    for field in form:
        if field.name in ("location", "amount_due", "member_order"):  # the last: per member row
            continue
        assert f'name="{field.name}"' in tpl, field.name
        if field.flags.required:
            tag = re.search(rf'<(input|select|textarea)\b[^>]*name="{field.name}"[^>]*>', tpl).group(0)
            assert "required" in tag or 'type="hidden"' in tag, field.name
    if record_type == "person":
        assert 'pattern="[0-9]{12}"' in tpl and 'data-msg-pattern=' in tpl
    if record_type == "visit":
        assert 'data-required-when="outcome=interested"' in tpl
    assert "<script" not in tpl and "style=" not in tpl


def test_unknown_form_language_is_not_found(client):
    assert client.get("/app/forms/fr.html").status_code == 404


def test_home_page_links_the_app(client, world, login_as):
    login_as("col_a")
    html = client.get("/home").get_data(as_text=True)
    assert 'href="/app/"' in html
