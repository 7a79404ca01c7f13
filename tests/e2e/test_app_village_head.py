"""The village head's app: two large buttons, a referral made offline-first, its status chips
following the office's work, and the referral reaching the assigned collector's Today."""
from fieldapp.extensions import db
from fieldapp.models import Referral
from fieldapp.syncserver.feed import touch
from tests.e2e.conftest import shot
from tests.e2e.helpers import go, outbox, server_rows, sign_in, wait_synced


def test_village_head_refers_and_follows_the_referral(browser, context, page, seeded, server):
    app, world = seeded
    sign_in(page, "head_a")
    assert page.locator("#nav").is_hidden()
    assert page.locator("#view a").count() == 3  # two large buttons and "settings"
    assert page.inner_text("#head-refer") .endswith("Giới thiệu người tham gia")
    assert page.inner_text("#head-list").endswith("Người tôi đã giới thiệu")
    shot(page, "head-home")

    context.set_offline(True)
    page.click("#head-refer")
    page.wait_for_selector("#form-referral-live")
    assert page.input_value("#form-referral-live [name=area]") == "31001-1"  # their one village
    page.fill("#form-referral-live [name=contact_name]", "Ngô Thị Hoa")
    page.check("#form-referral-live input[name=reason][value=no_health_insurance]")
    page.fill("#form-referral-live [name=contact_phone]", "0912 000 111")
    page.fill("#form-referral-live [name=address]", "Xóm Trại, Tổ dân phố 1")
    shot(page, "head-referral-form")
    page.click("#form-referral-live button.save")
    page.wait_for_selector("#referral-list")
    row = page.locator("#referral-list li", has_text="Ngô Thị Hoa")
    assert "Chờ đồng bộ" in row.inner_text()

    context.set_offline(False)
    wait_synced(page)
    page.wait_for_function("() => document.querySelector('#referral-list [data-status]') !== null")
    assert row.locator("[data-status]").inner_text() == "Mới"
    [ref] = server_rows(app, Referral, created_by_id=world.users["head_a"])
    assert ref.contact_name == "Ngô Thị Hoa" and ref.contact_phone == "0912000111"
    assert outbox(page) == []

    with app.app_context():  # the office assigns it to a collector
        stored = db.session.get(Referral, ref.id)
        stored.status, stored.assigned_to_id = "assigned", world.users["col_a"]
        touch("referral", [ref.id])
        db.session.commit()
        db.session.remove()
    go(page, "#/sync")
    page.click("#sync-now")
    wait_synced(page)
    go(page, "#/referrals")
    page.wait_for_selector("#referral-list [data-status=assigned]")
    assert page.inner_text("#referral-list [data-status]") == "Đã giao"
    shot(page, "head-referrals")

    collector = browser.new_context(base_url=server.base, **dict(context_options().items()))
    cpage = collector.new_page()
    sign_in(cpage, "col_a")
    task = cpage.locator(".tasks a", has_text="Ngô Thị Hoa")
    assert "Giới thiệu" in task.inner_text()
    task.click()
    cpage.get_by_role("link", name="Thêm hộ và ghi nhận lượt thăm").click()
    cpage.wait_for_selector("#form-household-live")
    assert cpage.input_value("#form-household-live [name=head_name]") == "Ngô Thị Hoa"
    assert cpage.input_value("#form-household-live [name=phone]") == "0912000111"
    collector.close()


def context_options():
    from tests.e2e.conftest import CONTEXT

    return CONTEXT
