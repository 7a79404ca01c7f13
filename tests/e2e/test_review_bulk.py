"""Issue #11: bulk approval at the desk, in the browser. Two visits waiting; the supervisor
ticks one and approves the selection: a confirmation page says "1 lượt thăm" (axe-core: 0
violations), and only after confirming is that one visit approved."""
from datetime import UTC, datetime

from axe_playwright_python.sync_playwright import Axe

from fieldapp.models import Visit
from tests.e2e.helpers import AXE_OPTIONS, server_rows
from tests.web import records


def test_bulk_approve_a_selection_after_a_confirmation(browser, seeded, server):
    app, world = seeded
    hh = records.household(app, world.areas["31001-1"], "Vũ Văn Nam")
    first = records.visit(app, hh, datetime(2026, 11, 20, 2, tzinfo=UTC), world.users["col_a"])
    second = records.visit(app, hh, datetime(2026, 11, 21, 2, tzinfo=UTC), world.users["col_a"])
    ctx = browser.new_context(base_url=server.base, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh",
                              viewport={"width": 360, "height": 780})
    try:
        page = ctx.new_page()
        page.goto("/login")
        page.fill("#username", "sup_a")
        page.fill("#password", "pw")
        with page.expect_navigation():
            page.click("form:has(#username) button[type=submit]")
        page.goto("/supervisor/review")
        page.check(f"#pick-{first}")
        with page.expect_navigation():
            page.click("#bulk button[name=all][value='0']")
        assert page.inner_text("#confirm-count") == "Duyệt đạt 1 lượt thăm?"
        result = Axe().run(page, options=AXE_OPTIONS)
        assert result.violations_count == 0, result.generate_report()
        assert {v.id: v.review_status for v in server_rows(app, Visit)} == {
            first: "pending", second: "pending"}
        with page.expect_navigation():
            page.click("form button.primary[type=submit]:not(.link)")
        assert "Đã duyệt đạt 1 lượt thăm." in page.inner_text("main")
        assert {v.id: v.review_status for v in server_rows(app, Visit)} == {
            first: "approved", second: "pending"}
    finally:
        ctx.close()
