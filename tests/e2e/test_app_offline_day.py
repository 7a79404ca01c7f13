"""Issue #4, test 1: a day's work offline survives closing the browser and syncs exactly once.

Sign in online; go offline; reload (the app comes from the service worker); add a household
and a member, log a visit, a VSI and an HHI sign-up; close the browser and start it again
offline: everything is still there, shown as waiting; go online: everything syncs and the
server holds each record once.
"""
from fieldapp.models import Enrollment, Household, Person, Visit
from tests.e2e.conftest import shot
from tests.e2e.helpers import (
    add_household,
    add_member,
    go,
    log_visit,
    outbox,
    server_rows,
    sign_in,
    sign_up_hhi,
    sign_up_vsi,
    wait_ready,
    wait_synced,
)


def test_offline_day_then_sync_exactly_once(persistent, seeded, server):
    app, world = seeded
    browser = persistent()
    page = browser.pages[0] if browser.pages else browser.new_page()
    sign_in(page, "col_a")

    browser.set_offline(True)
    reply = page.reload()
    assert reply.from_service_worker
    wait_ready(page)
    assert "Ngoại tuyến" in page.inner_text("#strip")

    hh = add_household(page, "Trần Thị Bình", "Số 3, ngõ 7, Tổ dân phố 1")
    add_member(page, hh, "Trần Thị Bình", "1975-03-02", "female", "031175000001")
    add_member(page, hh, "Lê Văn Cường", "1972-08-09", "male")
    log_visit(page, hh, "enrolled", follow_up=None)
    assert sign_up_vsi(page, hh, "Trần Thị Bình") == "792.000 ₫"
    assert sign_up_hhi(page, hh, ["Trần Thị Bình", "Lê Văn Cường"]) == "2.148.120 ₫"
    waiting = outbox(page)
    assert sorted(e["type"] for e in waiting) == [
        "enrollment", "enrollment", "enrollment", "household", "person", "person", "visit"]
    assert {e["state"] for e in waiting} == {"waiting"}
    browser.close()

    browser = persistent(offline=True)
    page = browser.new_page()
    page.goto("/app/#/sync")
    wait_ready(page)
    page.wait_for_selector("#outbox-waiting")
    assert page.locator("#outbox-waiting > li").count() == 7
    assert "7 bản ghi chờ đồng bộ" in page.inner_text("#strip")
    shot(page, "offline-sync-waiting")
    go(page, f"#/household/{hh}")
    page.wait_for_selector(".hh-card")
    assert page.locator("[data-state=waiting]").count() == 7

    browser.set_offline(False)
    wait_synced(page, timeout=30000)
    assert outbox(page) == []
    ids = {e["id"] for e in waiting}
    assert len(server_rows(app, Household, created_by_id=world.users["col_a"])) == 1
    assert len(server_rows(app, Person, created_by_id=world.users["col_a"])) == 2
    assert len(server_rows(app, Visit, created_by_id=world.users["col_a"])) == 1
    enrollments = server_rows(app, Enrollment, created_by_id=world.users["col_a"])
    assert sorted(e.amount_due for e in enrollments) == [792000, 884520, 1263600]
    stored = {r.id for m in (Household, Person, Visit, Enrollment) for r in server_rows(app, m)}
    assert ids <= stored
    browser.close()
