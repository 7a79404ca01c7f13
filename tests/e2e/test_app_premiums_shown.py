"""Issue #4, test 5: for every example of tests/fixtures/premiums.json, the sign-up screen shows
the fixture's amount (or refuses the input, naming the same field); inputs the screen cannot
even offer (a period not allowed, a sixth ladder place) are checked to be absent."""
import json
import uuid
from pathlib import Path

from tests.e2e.conftest import shot
from tests.e2e.helpers import Api, open_signup, sign_in

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "premiums.json"
CASES = json.loads(FIXTURE.read_text())
FORM = "#form-enrollment-live"


def money(n):
    return f"{n:,}".replace(",", ".") + " ₫"


def offered(page, name, value):
    return page.eval_on_selector(f"{FORM} [name={name}]", """(s, v) =>
        [...s.options].some((o) => o.value === String(v) && !o.hidden && !o.disabled)""", value)


def enter(page, case):
    """Put one example into the screen; returns None, or why it cannot be entered."""
    inputs, scheme = case["inputs"], case["scheme"]
    if page.locator(f"{FORM} input[name=scheme][value='{scheme}']").count() == 0:
        return "scheme"
    page.check(f"{FORM} input[name=scheme][value={scheme}]")
    try:
        page.fill(f"{FORM} [name=start_month]", case["start_month"])
    except Exception:
        return "start_month"
    if page.input_value(f"{FORM} [name=start_month]") != case["start_month"]:
        return "start_month"
    period = inputs.get("period_months")
    if period is None or not offered(page, "period_months", period):
        page.select_option(f"{FORM} [name=period_months]", "")
        return "period_months"
    page.select_option(f"{FORM} [name=period_months]", str(period))
    if scheme == "vsi":
        page.fill(f"{FORM} [name=monthly_income]", str(inputs["monthly_income"]))
        group = inputs.get("support_group")
        if group is None or not offered(page, "support_group", group):
            page.select_option(f"{FORM} [name=support_group]", "")
            return "support_group"
        page.select_option(f"{FORM} [name=support_group]", group)
    else:
        row = page.locator(f"{FORM} .member-row").first
        row.locator("input[type=checkbox]").check()
        order = inputs.get("member_order")
        if isinstance(order, int) and order > 5:
            order = 5  # the screen's last place is "5th member or later" (docs/records.md)
        if order is None or row.locator(f"select.place option[value='{order}']").count() == 0:
            return "member_order"
        row.locator("select.place").select_option(str(order))
    return None


def test_every_fixture_example_is_shown_as_the_server_computes_it(page, server):
    api = Api(server.base, "col_a")
    hh, person = str(uuid.uuid4()), str(uuid.uuid4())
    api.push([
        {"id": hh, "type": "household",
         "data": {"area": "31001-1", "address": "Số 1", "head_name": "Hoàng Văn Nam"}},
        {"id": person, "type": "person", "data": {"household": hh, "full_name": "Hoàng Văn Nam",
                                                  "birth_date": "1970-01-01", "sex": "male"}},
    ])
    sign_in(page, "col_a")
    checked = 0
    for case in CASES:
        open_signup(page, hh)
        missing = enter(page, case)
        expected = case["expected"]
        due = page.inner_text("#amount-due").strip()
        if "error" in expected and missing is not None:
            assert missing == expected["error"], case["name"]  # the screen does not offer it
        elif "error" in expected:
            assert due == "—", case["name"]
            box = page.locator(f"{FORM} [data-field={expected['error']}] .error")
            assert box.is_visible() and box.inner_text().strip(), case["name"]
        else:
            assert missing is None, case["name"]
            assert due == money(expected["amount_due"]), case["name"]
            page.click(f"{FORM} .due-bar")  # the breakdown opens on a tap (#10)
            calc = page.inner_text(f"{FORM} [data-calc]")
            if case["scheme"] == "vsi":
                assert money(expected["monthly_amount"]) in calc, case["name"]
                assert f"− {money(expected['monthly_support'])}" in calc, case["name"]
            else:
                row = page.inner_text(f"{FORM} .member-row .row-amount")
                assert row.startswith(money(expected["monthly_amount"])), case["name"]
        checked += 1
        if case["name"].startswith("worked example: VSI 2025-09, income 1.500.000"):
            calc = page.inner_text(f"{FORM} [data-calc]")
            assert calc == ("Mức thu nhập 1.500.000 ₫ × 22% = 330.000 ₫ · Nhà nước hỗ trợ − 66.000 ₫"
                            " · Mỗi tháng 264.000 ₫ · 3 tháng: 792.000 ₫")
            shot(page, "signup-vsi-worked-example")
    assert checked == len(CASES)
