"""The monthly synthesis and collection network pages in Chromium (issue #13): axe finds no
violation on any of them, and the printable synthesis fits A4 landscape without cut columns."""
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from fieldapp.extensions import db
from fieldapp.reports.synthesis_table import COLUMNS
from tests.e2e.conftest import LiveServer
from tests.e2e.helpers import AXE_OPTIONS
from tests.web import synthesis_data

DESK = {"viewport": {"width": 1280, "height": 900}, "timezone_id": "Asia/Ho_Chi_Minh",
        "locale": "vi-VN"}
#: A4 landscape is 297 mm wide; synthesis.css sets 8 mm margins: 281 mm at 96 px per inch.
A4_PRINTABLE_PX = int((297 - 2 * 8) / 25.4 * 96)


@pytest.fixture
def server(seeded):
    app, world = seeded
    synthesis_data.build(app, world)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    live = LiveServer(app.config["E2E_DB_URL"])
    yield live
    live.stop()


@pytest.fixture
def desk(browser, server):
    ctx = browser.new_context(base_url=server.base, **DESK)
    ctx.set_default_timeout(15000)
    page = ctx.new_page()
    yield page
    ctx.close()


def sign_in(page, username):
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw")
    page.get_by_role("button", name=re.compile("Đăng nhập|Sign in")).click()
    page.wait_for_url(re.compile(r"/home$"))


PAGES = (
    "/supervisor/synthesis?month=2026-11",
    "/supervisor/synthesis/print?month=2026-11",
    "/supervisor/network",
    "/admin/users",
    "/admin/users/new",
)


@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violation(desk, path):
    sign_in(desk, "sup_a")
    desk.goto(path)
    assert desk.locator("h1").count() >= 1
    result = Axe().run(desk, options=AXE_OPTIONS)
    assert result.violations_count == 0, result.generate_report()


def test_no_axe_violation_with_the_network_forms_open_and_in_error(desk):
    sign_in(desk, "sup_a")
    desk.goto("/supervisor/network")
    desk.locator("#points summary").click()
    desk.fill("#pt-commune", "31001")
    desk.fill("#pt-code", "001")
    desk.fill("#pt-name", "Trùng mã")
    desk.select_option("#pt-organization", index=1)
    desk.locator("#points form button[type=submit]").click()
    desk.wait_for_selector("#pt-code-error")
    result = Axe().run(desk, options=AXE_OPTIONS)
    assert result.violations_count == 0, result.generate_report()


def test_no_axe_violation_on_a_narrow_screen(browser, server):
    ctx = browser.new_context(base_url=server.base, viewport={"width": 360, "height": 780},
                              is_mobile=True, has_touch=True)
    page = ctx.new_page()
    try:
        sign_in(page, "admin")
        for path in ("/supervisor/synthesis?month=2026-11", "/supervisor/network"):
            page.goto(path)
            result = Axe().run(page, options=AXE_OPTIONS)
            assert result.violations_count == 0, (path, result.generate_report())
    finally:
        ctx.close()


def test_the_printable_page_fits_a4_landscape(desk):
    sign_in(desk, "admin")
    desk.goto("/supervisor/synthesis/print?month=2026-11")
    desk.emulate_media(media="print")
    desk.set_viewport_size({"width": A4_PRINTABLE_PX, "height": 790})
    geometry = desk.evaluate("""() => {
        const table = document.querySelector('#synthesis-table');
        const heads = [...table.querySelectorAll('thead th')];
        const lastCells = [...table.querySelectorAll('tbody tr')].map(r => r.lastElementChild);
        return {
            page: document.documentElement.scrollWidth,
            table: table.getBoundingClientRect().right,
            heads: heads.map(h => [h.textContent.trim(), h.getBoundingClientRect().right,
                                   h.scrollWidth <= h.clientWidth + 1]),
            last: lastCells.map(c => c.getBoundingClientRect().right),
            nav: document.querySelectorAll('.sidenav, .topbar, form').length,
        };
    }""")
    assert geometry["nav"] == 0
    assert len(geometry["heads"]) == len(COLUMNS)  # every column of the synthesis
    assert geometry["page"] <= A4_PRINTABLE_PX, geometry
    assert geometry["table"] <= A4_PRINTABLE_PX, geometry
    for text, right, fits in geometry["heads"]:
        assert right <= A4_PRINTABLE_PX and fits, (text, right)
    assert geometry["last"] and max(geometry["last"]) <= A4_PRINTABLE_PX
    pdf = desk.pdf(prefer_css_page_size=True, print_background=True)
    assert pdf.startswith(b"%PDF")
    # A4 landscape (842 x 595 points), and a table this short on one sheet.
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert boxes and all(round(float(w)) == 842 and round(float(h)) == 595 for w, h in boxes)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1


def test_the_table_sorts_and_filters_whole_organizations(desk):
    sign_in(desk, "admin")
    desk.goto("/supervisor/synthesis?month=2026-11")

    def organizations():
        return desk.locator("#synthesis-table tbody:not([hidden]) tr.org th").all_inner_texts()

    assert organizations() == ["Bưu điện Hải Phòng", "HTX Dịch vụ An Lão"]
    score = desk.locator("#synthesis-table thead th.col-score button")
    score.click()  # ascending: the lower score first, each with its points
    assert organizations() == ["HTX Dịch vụ An Lão", "Bưu điện Hải Phòng"]
    assert desk.locator("#synthesis-table tbody").first.locator("tr.point").count() == 1
    assert desk.locator("#synthesis-table thead th.col-score").get_attribute("aria-sort") == "ascending"
    score.click()
    assert organizations() == ["Bưu điện Hải Phòng", "HTX Dịch vụ An Lão"]
    desk.fill("#synthesis-filter", "chợ sắt")
    assert organizations() == ["Bưu điện Hải Phòng"]
    desk.fill("#synthesis-filter", "")
    assert len(organizations()) == 2
    result = Axe().run(desk, options=AXE_OPTIONS)
    assert result.violations_count == 0, result.generate_report()
