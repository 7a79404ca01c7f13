"""Pushed data is judged by the record forms: invalid fields are named, nothing leaks between
records validated one after another (the forms are reused per thread)."""
import pytest

from tests.api.conftest import enrollment, household, outreach, person, referral, visit


@pytest.fixture
def stored(api):
    col = api("col_a")
    h = household()
    p = person(h["id"])
    col.push_ok([h, p])
    return col, h["id"], p["id"]


@pytest.mark.parametrize("make, fields", [
    (lambda h, p: household(phone="12345"), {"phone"}),
    (lambda h, p: household(address="x" * 301), {"address"}),
    (lambda h, p: person(h, birth_date="1980-5-1"), {"birth_date"}),
    (lambda h, p: person(h, sex="other", personal_id="12345"), {"sex", "personal_id"}),
    (lambda h, p: visit(h, outcome="interested", follow_up_on=None), {"follow_up_on"}),
    (lambda h, p: visit(h, visited_at="2026-11-25T09:30:00"), {"visited_at"}),
    (lambda h, p: visit(h, location={"lat": 91, "lon": 106.6}), {"location"}),
    (lambda h, p: visit(h, location={"lat": 20.8}), {"location"}),
    (lambda h, p: visit(h, topics=["vsi", "golf"]), {"topics"}),
    (lambda h, p: enrollment(p, scheme="vsi", monthly_income=None), {"monthly_income"}),
    (lambda h, p: enrollment(p, scheme="hhi", member_order=None, amount_due=379080,
                             period_months=6), {"member_order"}),
    (lambda h, p: enrollment(p, amount_due=1.5), {"amount_due"}),
    (lambda h, p: referral(reason="bored"), {"reason"}),
    (lambda h, p: outreach(attendees=0, leads=0), {"attendees"}),
    (lambda h, p: outreach(attendees=3, leads=4), {"leads"}),
])
def test_invalid_fields_are_named(stored, make, fields):
    col, hid, pid = stored
    [result] = col.push_ok([make(hid, pid)])
    assert result["status"] == "rejected"
    assert set(result["errors"]) == fields, result["errors"]


def test_a_valid_record_after_an_invalid_one_of_the_same_type_is_clean(stored):
    col, hid, _ = stored
    bad = visit(hid, location={"lat": 91, "lon": 500}, note="x" * 2000)
    good = visit(hid, location={"lat": 20.86, "lon": 106.68})
    bare = visit(hid, outcome="not_home", follow_up_on=None, topics=[])
    results = col.push_ok([bad, good, bare])
    assert [r["status"] for r in results] == ["rejected", "accepted", "accepted"]
    changes, _ = col.pull_all()
    by_id = {c["id"]: c for c in changes}
    assert by_id[good["id"]]["data"]["location"] == {"lat": 20.86, "lon": 106.68,
                                                      "accuracy_m": None}
    assert by_id[bare["id"]]["data"]["location"] is None
    assert by_id[bare["id"]]["data"]["topics"] == []
