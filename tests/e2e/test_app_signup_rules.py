"""Issue #14: the phone refuses each cross-record sign-up rule before Save, in the words the server
uses for the same record (static/js/signup-rules.js beside syncserver/checks.py), and the HHI
support group is offered, sent and priced."""
import uuid

from axe_playwright_python.sync_playwright import Axe

from tests.e2e.conftest import shot
from tests.e2e.helpers import AXE_OPTIONS, Api, open_signup, outbox, sign_in, stored, this_month, wait_synced

FORM = "#form-enrollment-live"


def shift(month, n):
    index = int(month[:4]) * 12 + int(month[5:]) - 1 + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def person_rec(hh, name, born, **data):
    return {"id": str(uuid.uuid4()), "type": "person",
            "data": {"household": hh, "full_name": name, "birth_date": born, "sex": "female", **data}}


def vsi_rec(pid, start, period=1):
    return {"id": str(uuid.uuid4()), "type": "enrollment",
            "data": {"person": pid, "scheme": "vsi", "start_month": start, "period_months": period,
                     "monthly_income": 1500000, "support_group": "other",
                     "amount_due": 264000 * period}}


def hhi_rec(pid, start, place, period=12):
    return {"id": str(uuid.uuid4()), "type": "enrollment",
            "data": {"person": pid, "scheme": "hhi", "start_month": start, "period_months": period,
                     "member_order": place, "amount_due": [105300, 73710][place - 1] * period}}


def fill_vsi(page, hh, name, start, period="1"):
    open_signup(page, hh)
    page.check(f"{FORM} input[name=scheme][value=vsi]")
    page.fill(f"{FORM} [name=start_month]", start)
    page.select_option(f"{FORM} [name=period_months]", period)
    value = page.eval_on_selector(f"{FORM} [name=person]",
                                  "(s, n) => [...s.options].find((o) => o.text.startsWith(n)).value", name)
    page.select_option(f"{FORM} [name=person]", value)
    page.fill(f"{FORM} [name=monthly_income]", "1500000")
    page.select_option(f"{FORM} [name=support_group]", "other")


def fill_hhi(page, hh, name, start, place=None):
    open_signup(page, hh)
    page.check(f"{FORM} input[name=scheme][value=hhi]")
    page.fill(f"{FORM} [name=start_month]", start)
    page.select_option(f"{FORM} [name=period_months]", "12")
    row = page.locator(f"{FORM} .member-row", has_text=name)
    row.locator("input[type=checkbox]").check()
    if place is not None:
        row.locator("select.place").select_option(str(place))


def refused(page, field):
    """Save, and the message the screen shows under ``field`` (nothing queued)."""
    before = len(outbox(page))
    page.click(f"{FORM} button.save")
    box = page.locator(f"{FORM} [data-field={field}] .error")
    box.wait_for(state="visible")
    assert len(outbox(page)) == before
    return box.inner_text().strip()


def server_says(api, rec, field):
    """The server's words for the same record, made now."""
    rec = {**rec, "client_time": f"{this_month()}-07T10:00:00+07:00"}
    [result] = api.push([rec], expect_accepted=False)
    assert result["status"] == "rejected" and list(result["errors"]) == [field], result
    return result["errors"][field][0]


def test_the_phone_refuses_each_rule_in_the_servers_words(page, server):
    api = Api(server.base, "col_a")
    month = this_month()
    hh = str(uuid.uuid4())
    young = person_rec(hh, "Vũ Thị Non", f"{int(month[:4]) - 15:04d}-{month[5:]}-02")
    worker = person_rec(hh, "Đinh Văn Thợ", "1980-05-05", coverage="compulsory_si")
    paying = person_rec(hh, "Ngô Thị Đóng", "1975-01-01")
    member = person_rec(hh, "Hà Văn Một", "1970-01-01")
    fresh = person_rec(hh, "Lý Thị Mới", "1990-01-01")
    api.push([{"id": hh, "type": "household",
               "data": {"area": "31001-1", "address": "Số 9", "head_name": "Hà Văn Một"}},
              young, worker, paying, member, fresh,
              vsi_rec(paying["id"], month, 3), hhi_rec(member["id"], month, 1)])
    sign_in(page, "col_a")

    cases = [
        (lambda: fill_vsi(page, hh, "Vũ Thị Non", month), vsi_rec(young["id"], month), "person"),
        (lambda: fill_vsi(page, hh, "Đinh Văn Thợ", month), vsi_rec(worker["id"], month), "person"),
        (lambda: fill_vsi(page, hh, "Ngô Thị Đóng", shift(month, 1)),
         vsi_rec(paying["id"], shift(month, 1)), "start_month"),
        (lambda: fill_vsi(page, hh, "Lý Thị Mới", shift(month, -1)),
         vsi_rec(fresh["id"], shift(month, -1)), "start_month"),
        (lambda: fill_vsi(page, hh, "Lý Thị Mới", shift(month, 13)),
         vsi_rec(fresh["id"], shift(month, 13)), "start_month"),
        (lambda: fill_hhi(page, hh, "Lý Thị Mới", shift(month, -1)),
         hhi_rec(fresh["id"], shift(month, -1), 1), "start_month"),
        (lambda: fill_hhi(page, hh, "Lý Thị Mới", month, place=1),
         hhi_rec(fresh["id"], month, 1), "member_order"),
    ]
    seen = []
    for fill, rec, field in cases:
        fill()
        phone = refused(page, field)
        assert phone == server_says(api, rec, field), rec["data"]
        seen.append(phone)
    assert "chưa được hỗ trợ" in seen[3]  # back payment: not handled yet, said plainly
    assert seen[6].endswith("là 2.")
    shot(page, "signup-refused-member-place")

    # The edges are accepted: the 15-year-old a month later, the member in the next place.
    fill_vsi(page, hh, "Vũ Thị Non", shift(month, 1))
    page.click(f"{FORM} button.save")
    page.wait_for_selector(".hh-card")
    fill_hhi(page, hh, "Lý Thị Mới", month)
    assert page.input_value(f"{FORM} .member-row:has-text('Lý Thị Mới') select.place") == "2"
    page.click(f"{FORM} button.save")
    page.wait_for_selector(".hh-card")
    wait_synced(page)


def test_an_hhi_group_is_offered_sent_and_priced(page, server):
    api = Api(server.base, "col_a")
    hh = str(uuid.uuid4())
    only = person_rec(hh, "Trịnh Văn Cận", "1980-01-01")
    api.push([{"id": hh, "type": "household",
               "data": {"area": "31001-1", "address": "Số 3", "head_name": "Trịnh Văn Cận"}}, only])
    sign_in(page, "col_a")
    fill_hhi(page, hh, "Trịnh Văn Cận", this_month())
    assert page.inner_text("#amount-due").strip() == "1.263.600 ₫"
    page.check(f"{FORM} input[name=hhi_group][value=near_poor]")
    assert page.inner_text("#amount-due").strip() == "379.080 ₫"  # the State pays 70 %
    hint = page.inner_text(f"{FORM} [data-field=support_group] .hint")
    assert hint == "Hộ nghèo: Gồm cả người sống ở xã đảo, đặc khu"
    result = Axe().run(page, options=AXE_OPTIONS)
    assert result.violations_count == 0, result.generate_report()
    page.click(f"{FORM} button.save")
    page.wait_for_selector(".hh-card")
    wait_synced(page)
    assert "Hộ cận nghèo" in page.inner_text("body")  # the household screen shows the group
    [enrollment] = stored(page, "enrollments")
    assert enrollment["data"]["hhi_group"] == "near_poor"
    assert enrollment["data"]["amount_due"] == 379080
    assert enrollment["server"] in (None, {"kind": "new", "made_month": this_month()})
