"""axe-core on every desk page, in Vietnamese and in English: 0 violations.

The desk pages are where supervisors and admins spend their day, often with a screen reader or
a zoomed browser; a page that fails axe is a page someone cannot use. Each new desk page adds
its path here (or has an axe check in its own test).
"""
import re
import uuid

import pytest

from tests.e2e.helpers import AXE_OPTIONS, Api

try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # pragma: no cover - depends on the machine
    Axe = None

#: (who signs in, path) of each desk page; {hh} is a household made by the test.
PAGES = [
    (None, "/login"),
    ("admin", "/home"),
    ("admin", "/supervisor/"),
    ("admin", "/supervisor/households"),
    ("admin", "/supervisor/households/{hh}"),
    ("admin", "/admin/users"),
    ("admin", "/admin/users/new"),
    ("admin", "/admin/devices"),
    ("admin", "/admin/policy"),
    ("admin", "/admin/policy/new"),
    ("admin", "/admin/audit"),
    ("sup_a", "/supervisor/"),
    ("sup_a", "/supervisor/households?q=an"),
    # With its pagers: test_app_referral_loop.py (more referrers than a table shows).
    ("sup_a", "/supervisor/referrals"),
    ("sup_a", "/supervisor/review"),
    ("sup_a", "/supervisor/progress"),
    ("sup_a", "/supervisor/plans"),
    ("sup_a", "/supervisor/synthesis"),
    ("sup_a", "/supervisor/network"),
    ("sup_a", "/supervisor/payers"),
    ("sup_a", "/supervisor/payers?list=lapsed_earlier"),
    ("sup_a", "/supervisor/money"),
]
#: Widths each page is checked at: a desk screen, and the phone Lighthouse emulates (412 px),
#: where links and buttons wrap and can end up too close for a thumb (axe's target-size).
WIDTHS = (1280, 412)


def violations(page):
    result = Axe().run(page, options=AXE_OPTIONS)
    return result.violations_count, result.generate_report()


def desk_sign_in(page, username, password="pw"):
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.get_by_role("button", name=re.compile("Đăng nhập|Sign in")).click()
    page.wait_for_load_state()


@pytest.fixture
def desk(browser, server):
    ctx = browser.new_context(base_url=server.base, viewport={"width": 1280, "height": 900},
                              locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    ctx.set_default_timeout(15000)
    yield ctx
    ctx.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_desk_page_passes_axe(desk, server, lang):
    if Axe is None:
        from tests.conftest import missing_tool
        missing_tool("axe-playwright-python is not installed (pip install -r requirements-dev.txt)")
    hh = str(uuid.uuid4())
    Api(server.base, "col_a").push([{"id": hh, "type": "household", "data": {
        "area": "31001-1", "address": "Số 12, ngõ 5", "head_name": "Nguyễn Văn An",
        "phone": "0912345678"}}])
    page = desk.new_page()
    failures, signed_in = [], "?"
    for who, path in PAGES:
        if who != signed_in:
            desk.clear_cookies()
            if who:
                desk_sign_in(page, who)
            signed_in = who
            if lang == "en":
                page.goto("/login" if who is None else "/home")
                page.get_by_role("button", name=re.compile("^English$|^EN$", re.I)).first.click()
                page.wait_for_load_state()
        response = page.goto(path.format(hh=hh))
        assert response.status == 200, (who, path, response.status)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            count, report = violations(page)
            if count:
                failures.append(f"{who} {path} ({lang}, {width} px): {report}")
    assert failures == [], "\n".join(failures)
