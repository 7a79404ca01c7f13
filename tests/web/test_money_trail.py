"""The money trail (#15): cash held, hand-overs covering each receipt once, and the monthly
reconciliation exact on a fixed data set; the CSV and XLSX say what the page says."""
import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from fieldapp.extensions import db
from fieldapp.models import Organization, Payment, User
from fieldapp.reports import money
from tests import payers_data as D
from tests.conftest import login


def _payment(world, receipt):
    return db.session.scalar(db.select(Payment).where(Payment.receipt_no == receipt))


@pytest.fixture
def month(app, world):
    """November 2026 of organization BD31: four receipts, one from October."""
    with app.app_context():
        for start, period, collector, receipt, paid_on, method in (
                ("2026-11", 3, "col_a", "BL-1", date(2026, 11, 2), "cash"),       # Mon
                ("2026-11", 1, "col_a", "BL-2", date(2026, 11, 6), "cash"),       # Fri
                ("2026-11", 6, "col_a2", "BL-3", date(2026, 11, 20), "transfer"),
                ("2026-11", 12, "col_a2", "BL-4", date(2026, 11, 25), "cash"),    # Wed
                ("2026-10", 1, "col_a", "BL-0", date(2026, 10, 30), "cash")):
            _h, pid, _e = D.vsi_payer(world, "2026-01", 1, paid=False)
            D.enrollment(world, pid, start, period, collector=collector, receipt=receipt,
                         paid_on=paid_on, method=method)
        sup = db.session.get(User, world.users["sup_a"])
        money.record_remittance(world.org_id, world.users["col_a"], date(2026, 11, 3), 792000,
                                "PT-01", [_payment(world, "BL-1").id], sup)
        money.record_remittance(world.org_id, world.users["col_a"], date(2026, 11, 10), 264000,
                                "PT-02", [_payment(world, "BL-2").id], sup)
        money.record_remittance(world.org_id, None, date(2026, 11, 10), 792000, "UNC-9",
                                [_payment(world, "BL-1").id], sup)
        db.session.commit()
    return world


def test_the_reconciliation_is_exact(app, month):
    with app.app_context():
        org = db.session.get(Organization, month.org_id)
        rec = money.reconcile(org, 2026, 11, as_of=date(2026, 11, 30))
        assert (rec.receipts, rec.collected, rec.cash, rec.transfer) == (4, 5808000, 4224000,
                                                                          1584000)
        assert (rec.to_organization, rec.to_office, rec.outstanding) == (1056000, 792000, 5016000)
        assert [p.receipt_no for p in rec.unaccounted] == ["BL-3", "BL-4"]
        # BL-2: taken Friday, handed over Tuesday (2 working days); BL-4 still held Monday 30th.
        assert [(p.receipt_no, d) for p, d in rec.held_too_long] == [("BL-2", 2), ("BL-4", 3)]
        org.cash_limit_days = 3
        rec = money.reconcile(org, 2026, 11, as_of=date(2026, 11, 30))
        assert rec.held_too_long == []


def test_cash_held_per_collector(app, month):
    with app.app_context():
        held = {h["collector"].username: (h["amount"], h["receipts"])
                for h in money.cash_held(month.org_id)}
        assert held == {"col_a": (264000, 1), "col_a2": (3168000, 1)}  # BL-0 (Oct) and BL-4


def test_a_receipt_is_remitted_once_and_the_amount_is_the_total(app, month):
    with app.app_context():
        sup = db.session.get(User, month.users["sup_a"])
        again = _payment(month, "BL-1").id
        with pytest.raises(money.RemittanceError) as err:
            money.record_remittance(month.org_id, month.users["col_a"], date(2026, 11, 12),
                                    792000, "", [again], sup)
        assert err.value.field == "payments"
        with pytest.raises(money.RemittanceError) as err:
            money.record_remittance(month.org_id, None, date(2026, 11, 12), 792000, "",
                                    [again], sup)
        assert err.value.field == "payments"
        bl4 = _payment(month, "BL-4").id
        with pytest.raises(money.RemittanceError) as err:
            money.record_remittance(month.org_id, month.users["col_a2"], date(2026, 11, 26),
                                    100, "", [bl4], sup)
        assert err.value.field == "amount"
        # Another collector's receipt cannot be handed over in col_a's name.
        with pytest.raises(money.RemittanceError):
            money.record_remittance(month.org_id, month.users["col_a"], date(2026, 11, 26),
                                    3168000, "", [bl4], sup)


def _page_figures(html):
    import re
    return [int(v) for v in re.findall(r'<td class="num" data-value="(-?\d+)"',
                                       html.split('id="reconciliation"')[1].split("</table>")[0])]


def test_csv_and_xlsx_equal_the_page(login_as, month):
    client = login_as("sup_a")
    url = f"/supervisor/money?org={month.org_id}&month=2026-11"
    html = client.get(url).get_data(True)
    figures = _page_figures(html)
    assert figures[:7] == [4, 5808000, 4224000, 1584000, 1056000, 792000, 5016000]
    rows = list(csv.reader(io.StringIO(client.get(url + "&format=csv").get_data(True)
                                       .lstrip("\ufeff"))))
    assert [int(r[1]) for r in rows[:9]] == figures
    sheet = load_workbook(io.BytesIO(client.get(url + "&format=xlsx").data)).active
    assert [r[1] for r in sheet.iter_rows(max_row=9, values_only=True)] == figures


def test_a_hand_over_at_the_desk_and_the_phone_sees_it(app, client, login_as, month):
    from tests.device import Device
    phone = Device.paired(client, "col_a2")
    desk = login_as("sup_a")
    with app.app_context():
        bl4 = _payment(month, "BL-4").id
    resp = desk.post("/supervisor/money/remit", data={
        "org": month.org_id, "collector": "col_a2", "remitted_on": "2026-11-26",
        "amount": "3168000", "reference": "PT-03", "payment": [bl4]})
    assert resp.status_code == 302
    held = {h["collector"].username for h in _held(app, month)}
    assert "col_a2" not in held
    change = phone.latest()[bl4]
    assert change["server"] == {"remitted_on": "2026-11-26"}


def _held(app, world):
    with app.app_context():
        return money.cash_held(world.org_id)


def test_a_supervisor_sees_the_organizations_money_in_their_areas_only(app, login_as, month):
    """BD31 works across the city; sup_b (commune 31002) sees none of its money in 31001:
    no figures, no collector's cash, no receipt to hand over, and cannot remit one."""
    url = f"/supervisor/money?org={month.org_id}&month=2026-11"
    theirs = login_as("sup_b")
    html = theirs.get(url).get_data(True)
    assert _page_figures(html)[:2] == [0, 0]
    assert "COL_A" not in html and "BL-4" not in html
    with app.app_context():
        bl4 = _payment(month, "BL-4").id
    theirs.post("/supervisor/money/remit", data={
        "org": month.org_id, "collector": "col_a2", "remitted_on": "2026-11-26",
        "amount": "3168000", "reference": "PT-03", "payment": [bl4]})
    assert "col_a2" in {h["collector"].username for h in _held(app, month)}  # still held
    ours = app.test_client()
    assert login(ours, "sup_a").status_code == 302
    html = ours.get(url).get_data(True)
    assert _page_figures(html)[:2] == [4, 5808000] and "BL-4" in html
