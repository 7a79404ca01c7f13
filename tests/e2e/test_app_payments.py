"""Issue #15, the browser walk: a collector offline sees a due payer on Today, records the
payment, shows the receipt and syncs; the supervisor's due list no longer shows the payer
and the reconciliation shows the cash the collector holds. axe-core finds no violation on
the new screens and pages."""
import re

from axe_playwright_python.sync_playwright import Axe

from fieldapp.extensions import db
from fieldapp.models import Payment
from fieldapp.rules.policy import PolicyBook
from tests import records as R
from tests.e2e.helpers import AXE_OPTIONS, Api, go, phone_today, server_rows, sign_in, wait_synced


def _no_violations(page, name):
    result = Axe().run(page, options=AXE_OPTIONS)
    assert result.violations_count == 0, f"{name}:\n{result.generate_report()}"


def test_pay_offline_show_the_receipt_sync_and_the_desk_follows(seeded, server, context, page):
    app, world = seeded
    month = phone_today().strftime("%Y-%m")
    with app.app_context():
        amount = PolicyBook.load().compute("vsi", month, 3, monthly_income=1500000,
                                           support_group="other", province="31").amount_due
    h = R.household(head_name="Phạm Văn Hải")
    p = R.person(h["id"], full_name="Phạm Thị Dung")
    e = R.vsi_enrollment(p["id"], start_month=month, amount_due=amount)
    Api(server.base, "col_a").push([h, p, e])

    sign_in(page, "col_a")
    context.set_offline(True)
    go(page, "#/today")
    item = page.locator("a.task.payment", has_text="Phạm Thị Dung")
    item.wait_for()
    words = f"{amount:,}".replace(",", ".")
    assert "Đến hạn đóng" in item.inner_text() and words in item.inner_text()
    _no_violations(page, "today")
    item.click()
    page.wait_for_selector("#form-payment-live")
    _no_violations(page, "payment form")
    page.fill("[name=receipt_no]", "BL-0001")
    page.locator("#form-payment-live button.save").click()
    page.wait_for_selector(".receipt")
    receipt = page.inner_text(".receipt")
    assert "BL-0001" in receipt and "Phạm Thị Dung" in receipt and f"{words} ₫" in receipt
    assert re.search(r"nghìn đồng", receipt)
    _no_violations(page, "receipt")

    context.set_offline(False)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    wait_synced(page, timeout=30000)
    payments = server_rows(app, Payment)
    assert [(x.receipt_no, x.amount) for x in payments] == [("BL-0001", amount)]

    desk = context.new_page()
    desk.goto("/login")
    desk.fill("#username", "sup_a")
    desk.fill("#password", "pw")
    with desk.expect_navigation():
        desk.locator("main form button[type=submit]").click()
    desk.goto("/supervisor/payers?list=due")
    assert "Đến hạn / dừng đóng" in desk.inner_text("h1")
    assert "Phạm Thị Dung" not in desk.inner_text("main")
    _no_violations(desk, "payers list")
    desk.goto("/supervisor/money")
    held = desk.inner_text("#cash-held")
    assert "COL_A" in held and words in held
    _no_violations(desk, "money page")
    with app.app_context():
        db.session.remove()
