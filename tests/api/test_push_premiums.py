"""Amounts are recomputed on the server with the policy parameters (DESIGN §4, §6)."""
import pytest

from fieldapp.extensions import db
from fieldapp.models import Enrollment, PolicyParameterSet
from tests.api.conftest import enrollment, household, person


@pytest.fixture
def member(api):
    col = api("col_a")
    h = household()
    p = person(h["id"])
    col.push_ok([h, p])
    return col, p["id"]


def test_amount_due_that_disagrees_is_rejected_naming_the_expected_amount(member):
    col, pid = member
    [result] = col.push_ok([enrollment(pid, amount_due=790000)])
    assert result["status"] == "rejected"
    assert result["errors"] == {"amount_due": ["expected 792000"]}


@pytest.mark.parametrize("fields, named", [
    ({"monthly_income": 1000000, "amount_due": 0}, "monthly_income"),
    ({"monthly_income": 50000000, "amount_due": 0}, "monthly_income"),
    ({"period_months": 5, "amount_due": 1320000}, "period_months"),
    ({"scheme": "hhi", "member_order": 1, "period_months": 1, "amount_due": 105300},
     "period_months"),
])
def test_inputs_the_calculator_refuses_name_their_field(member, fields, named):
    col, pid = member
    [result] = col.push_ok([enrollment(pid, **fields)])
    assert result["status"] == "rejected" and named in result["errors"]


@pytest.mark.parametrize("fields, monthly, support", [
    ({"scheme": "vsi", "start_month": "2025-09", "monthly_income": 1500000,
      "support_group": "other", "period_months": 3, "amount_due": 792000}, 264000, 66000),
    ({"scheme": "vsi", "start_month": "2025-09", "monthly_income": 5000000,
      "support_group": "poor", "period_months": 6, "amount_due": 5610000}, 935000, 165000),
    ({"scheme": "hhi", "start_month": "2025-09", "member_order": 3, "period_months": 6,
      "amount_due": 379080, "monthly_income": None, "support_group": None}, 63180, 0),
])
def test_accepted_enrollment_stores_the_computed_amounts_and_the_set(app, member, fields,
                                                                    monthly, support):
    col, pid = member
    rec = enrollment(pid, **fields)
    [result] = col.push_ok([rec])
    assert result["status"] == "accepted", result
    with app.app_context():
        stored = db.session.get(Enrollment, rec["id"])
        assert (stored.monthly_amount, stored.monthly_support) == (monthly, support)
        used = db.session.get(PolicyParameterSet, stored.policy_set_id)
        assert used.effective_from.isoformat() == "2025-07-01"
