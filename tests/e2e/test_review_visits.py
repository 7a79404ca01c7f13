"""Issue #11: a visit goes to the supervisor and back to the phone.

Two browser contexts on one live server: a collector's phone and a supervisor's desk. The
collector logs a visit offline and syncs; the supervisor sends it back with a note; the
phone's next sync shows the task "⚑ Trả lại: lượt thăm dd/mm" with the note; the collector
corrects the visit and syncs; the desk shows what changed and the note it answered, and
approves; after the phone's next sync the task is gone and the visit reads approved. The
queue and the visit's page are checked with axe-core (0 violations).
"""
import re
from zoneinfo import ZoneInfo

from axe_playwright_python.sync_playwright import Axe

from fieldapp.models import Visit
from tests.e2e.conftest import CONTEXT, shot
from tests.e2e.helpers import (
    AXE_OPTIONS,
    add_household,
    go,
    log_visit,
    outbox,
    server_rows,
    sign_in,
    stored,
    wait_ready,
    wait_synced,
)


def sync(page):
    go(page, "#/sync")
    page.wait_for_selector("#sync-now")
    page.click("#sync-now")
    page.wait_for_function("() => !document.querySelector('#sync-now').disabled")
    wait_synced(page)


def no_violations(page):
    result = Axe().run(page, options=AXE_OPTIONS)
    assert result.violations_count == 0, result.generate_report()


def visit_review(page):
    return [v["server"]["review"] for v in stored(page, "visits")][0]


def test_send_back_correct_and_approve(browser, seeded, server):
    app, _world = seeded
    phone_ctx = browser.new_context(base_url=server.base, **CONTEXT)
    desk_ctx = browser.new_context(base_url=server.base, locale="vi-VN",
                                   timezone_id="Asia/Ho_Chi_Minh", viewport={"width": 1280, "height": 900})
    for ctx in (phone_ctx, desk_ctx):
        ctx.set_default_timeout(15000)
    try:
        phone = phone_ctx.new_page()
        sign_in(phone, "col_a")
        hh = add_household(phone, "Đỗ Thị Mai", "Số 9, Tổ dân phố 1")
        sync(phone)

        phone_ctx.set_offline(True)
        log_visit(phone, hh, "interested", follow_up="2026-12-28", note="Hẹn tuần sau")
        assert [e["type"] for e in outbox(phone)] == ["visit"]
        phone_ctx.set_offline(False)
        sync(phone)
        (row,) = server_rows(app, Visit)
        vid = row.id
        day = row.visited_at.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%d/%m")

        desk = desk_ctx.new_page()
        desk.goto("/login")
        desk.fill("#username", "sup_a")
        desk.fill("#password", "pw")
        with desk.expect_navigation():
            desk.click("form:has(#username) button[type=submit]")
        desk.goto("/supervisor/review")
        assert desk.locator(f"#visit-{vid}").count() == 1
        shot(desk, "review-queue")
        no_violations(desk)
        desk.click(f"#visit-{vid} a")
        desk.wait_for_selector("#note")
        no_violations(desk)
        desk.fill("#note", "Ghi rõ ngày hẹn lại")
        desk.click(".decision button[value=send_back]")
        assert desk.inner_text("#review-status") == "Trả lại"

        sync(phone)
        assert visit_review(phone)["status"] == "flagged"
        go(phone, "#/today")
        task = phone.locator("a.task.flagged")
        task.wait_for()
        text = task.inner_text()
        assert f"Trả lại: lượt thăm {day}" in text
        assert "Ghi rõ ngày hẹn lại" in text
        shot(phone, "review-sent-back-task")

        task.click()
        phone.wait_for_selector("#form-visit-live")
        phone.check("#form-visit-live input[name=outcome][value=enrolled]")
        phone.fill("#form-visit-live [name=note]", "Đã đăng ký BHXH tự nguyện")
        phone.click("#form-visit-live button.save")
        phone.wait_for_function("() => !document.querySelector('#form-visit-live')")
        sync(phone)
        assert visit_review(phone)["status"] == "pending"

        desk.goto(f"/supervisor/review/{vid}")
        answered = desk.inner_text("#since-send-back")
        assert "Ghi rõ ngày hẹn lại" in answered
        assert re.search(r"Quan tâm, hẹn lại\s+Đã đăng ký", answered)
        assert re.search(r"Hẹn tuần sau\s+Đã đăng ký BHXH tự nguyện", answered)
        assert desk.inner_text("#review-status") == "Chờ duyệt"
        shot(desk, "review-visit-corrected")
        no_violations(desk)
        desk.click(".decision button[value=approve]")
        assert desk.inner_text("#review-status") == "Đạt"

        sync(phone)
        assert visit_review(phone)["status"] == "approved"
        go(phone, "#/today")
        wait_ready(phone)
        phone.wait_for_selector("section.block")
        assert phone.locator("a.task.flagged").count() == 0
        assert server_rows(app, Visit)[0].review_status == "approved"
    finally:
        phone_ctx.close()
        desk_ctx.close()
