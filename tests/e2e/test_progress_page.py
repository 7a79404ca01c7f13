"""The progress page in a real browser (#12): axe finds nothing, the charts print on A4."""
import re
import zlib

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import shot
from tests.e2e.helpers import AXE_OPTIONS
from tests.web import progress_data as data

URL = "/supervisor/progress?area=31&month=2024-10&scheme=vsi"


@pytest.fixture
def filled(seeded):
    app, world = seeded
    prov = world.areas["31"]
    data.central_city(app, prov)
    data.counts(app, prov, data.SEED_COUNTS)
    data.plan(app, prov, 2024, data.SEED_PLAN, new=4335)
    data.counts(app, world.areas["31001"], {"2024-10": 20100, "2024-09": 20000})
    data.plan(app, world.areas["31001"], 2024, 21000, new=2000)
    data.counts(app, world.areas["31002"], {"2024-10": 16321})
    data.plan(app, world.areas["31002"], 2024, 19500, new=2335)
    return app, world


def _sign_in(page, username="admin"):
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", "pw")
    page.get_by_role("button", name=re.compile("Đăng nhập|Sign in")).click()
    page.wait_for_url(re.compile(r"/home"))


def _axe_clean(page):
    result = Axe().run(page, options=AXE_OPTIONS)
    assert result.violations_count == 0, result.generate_report()


def test_progress_page_has_no_axe_violations(filled, server, page):
    _sign_in(page)
    page.goto(URL)
    assert "36.421" in page.locator("#sentence").inner_text()
    _axe_clean(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    _axe_clean(page)
    shot(page, "progress")


def test_plans_page_has_no_axe_violations(filled, server, page):
    _sign_in(page)
    page.goto("/supervisor/plans?year=2024")
    _axe_clean(page)


def test_printed_page_shows_the_charts(filled, server, page, tmp_path):
    _sign_in(page)
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.goto(URL)
    page.emulate_media(media="print")
    for chart, rows in (("#chart-year", 1), ("#chart-areas", 0), ("#chart-weeks", 1)):
        box = page.locator(chart).bounding_box()
        assert box and box["width"] > 500 and box["height"] > (150 if rows else 60), (chart, box)
    assert page.locator(".sidenav").is_hidden() and page.locator("form.progress-filters").is_hidden()
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    drawing = _pdf_drawing(pdf)
    # The charts' marks are in the printed document, in their colours: the participants'
    # line and columns (blue), the plan line and the 100% mark (orange), bars at or past the
    # plan (green): each colour is set as a fill (rg) or a stroke (RG) by Chromium's PDF.
    for name, rgb in (("blue", (11, 92, 171)), ("orange", (181, 71, 8))):
        assert _uses_colour(drawing, rgb), f"no {name} marks in the PDF"
    (tmp_path / "progress.pdf").write_bytes(pdf)


def _pdf_drawing(pdf):
    """Every content stream of ``pdf`` inflated (the standard library's zlib is enough)."""
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match[1]).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(out)


def _uses_colour(drawing, rgb):
    for r, g, b, _op in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (rg|RG)\b", drawing):
        if all(abs(float(v) * 255 - want) < 1.5 for v, want in zip((r, g, b), rgb)):
            return True
    return False
