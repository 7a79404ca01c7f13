"""An accepted enrollment stores the amounts the server computed and the parameter set it used
(amounts refused and the expected amount: the contract suite)."""
import pytest

from fieldapp.extensions import db
from fieldapp.models import Enrollment, PolicyParameterSet
from tests.records import hhi_enrollment, household, person, vsi_enrollment


@pytest.fixture
def member(api):
    """A person whose household already has two HHI members for 2025 (signed up in order), so
    the worked example "member 3" is this person's place."""
    col = api("col_a")
    h = household()
    first, second, p = person(h["id"]), person(h["id"]), person(h["id"])
    col.push_ok([h, first, second, p,
                 hhi_enrollment(first["id"], member_order=1),
                 hhi_enrollment(second["id"], member_order=2, amount_due=884520)])
    return col, p["id"]


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
    rec = vsi_enrollment(pid, **fields)
    [result] = col.push_ok([rec])
    assert result["status"] == "accepted", result
    with app.app_context():
        stored = db.session.get(Enrollment, rec["id"])
        assert (stored.monthly_amount, stored.monthly_support) == (monthly, support)
        used = db.session.get(PolicyParameterSet, stored.policy_set_id)
        assert used.effective_from.isoformat() == "2025-07-01"
