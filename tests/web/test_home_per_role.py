"""The home page per role: desk users see their areas, the workspaces that exist and a menu;
collectors and village heads a pointer to the field app (issue #2)."""
import re

import pytest
from flask import url_for

from fieldapp.main.views import WORKSPACES


def links(page):
    return set(re.findall(r'href="([^"]+)"', page))


@pytest.mark.parametrize("username", ["admin", "sup_a"])
def test_desk_users_see_areas_and_every_existing_workspace(app, world, login_as, username):
    page = login_as(username).get("/home").get_data(as_text=True)
    assert "Địa bàn của bạn" in page
    assert ("Thành phố Hải Phòng" if username == "admin" else "Phường Hồng Bàng") in page
    role = "admin" if username == "admin" else "supervisor"
    with app.test_request_context():
        expected = {url_for(ep) for ep, _label, roles in WORKSPACES if role in roles}
    assert expected and expected <= links(page)
    assert 'class="sidenav"' in page and 'class="navmenu"' in page
    assert 'aria-current="page"' in page


def test_supervisor_is_not_offered_admin_pages(world, login_as):
    page = login_as("sup_a").get("/home").get_data(as_text=True)
    assert "/admin/users" not in page and "/admin/audit" not in page
    assert "/admin/devices" in page


def test_workspaces_link_only_to_pages_that_exist(app, world, login_as):
    client = login_as("admin")
    page = client.get("/home").get_data(as_text=True)
    for href in links(page):
        if href.startswith("/") and not href.startswith("/static/"):
            assert client.get(href, follow_redirects=True).status_code == 200, href


@pytest.mark.parametrize("username", ["col_a", "head_a"])
def test_field_users_get_a_pointer_to_the_app(world, login_as, username):
    page = login_as(username).get("/home").get_data(as_text=True)
    assert 'href="/app/"' in page
    assert "Mở ứng dụng thu" in page
    assert 'class="sidenav"' not in page
    assert "/supervisor/" not in page


def test_the_menu_marks_the_register_on_a_household_page(app, world, login_as):
    from tests.web import records

    hid = records.household(app, world.areas["31001-1"], "Nguyễn Văn An")
    page = login_as("sup_a").get(f"/supervisor/households/{hid}").get_data(as_text=True)
    assert re.search(r'href="/supervisor/households" aria-current="page"', page)
    assert not re.search(r'href="/supervisor/" aria-current="page"', page)


def test_every_workspace_in_the_menu_has_a_view(app):
    """A menu entry whose view is missing fails here instead of silently vanishing (#8)."""
    missing = [ep for ep, _label, _roles in WORKSPACES if ep not in app.view_functions]
    assert missing == []


def test_every_blueprint_is_registered(app):
    """The factory registers each blueprint package by name; none is skipped (#8)."""
    assert set(app.blueprints) == {"main", "auth", "api", "collector", "supervisor", "admin"}
