"""References within a batch (DESIGN §5): earlier or later records, and rejected ones."""
from fieldapp.extensions import db
from fieldapp.models import Enrollment, Person, Visit
from tests.api.conftest import enrollment, household, new_id, person, referral, visit


def test_reference_to_a_record_later_in_the_batch(app, api):
    h = household()
    p = person(h["id"])
    e = enrollment(p["id"])
    results = api("col_a").push_ok([e, p, h])
    assert [r["status"] for r in results] == ["accepted"] * 3
    with app.app_context():
        assert db.session.get(Enrollment, e["id"]).person_id == p["id"]
        assert db.session.get(Person, p["id"]).household_id == h["id"]


def test_reference_to_a_record_earlier_in_the_batch(api):
    h = household()
    r = referral(household=h["id"])
    v = visit(h["id"], referral=r["id"])
    results = api("col_a").push_ok([h, r, v])
    assert [x["status"] for x in results] == ["accepted"] * 3


def test_reference_to_a_stored_record(api):
    col = api("col_a")
    h = household()
    col.push_ok([h])
    [result] = col.push_ok([person(h["id"])])
    assert result["status"] == "accepted"


def test_reference_to_an_unknown_record_is_rejected_naming_the_field(app, api):
    v = visit(new_id())
    [result] = api("col_a").push_ok([v])
    assert result["status"] == "rejected" and list(result["errors"]) == ["household"]
    with app.app_context():
        assert db.session.get(Visit, v["id"]) is None


def test_reference_to_a_record_rejected_in_the_batch_is_rejected_too(api):
    bad = household(head_name="")
    p = person(bad["id"])
    e = enrollment(p["id"])
    results = api("col_a").push_ok([e, p, bad])
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert list(results[0]["errors"]) == ["person"]
    assert list(results[1]["errors"]) == ["household"]


def test_reference_to_a_record_of_another_type_is_rejected(api):
    col = api("col_a")
    h = household()
    p = person(h["id"])
    col.push_ok([h, p])
    [result] = col.push_ok([visit(p["id"])])  # a person where a household belongs
    assert result["status"] == "rejected" and list(result["errors"]) == ["household"]


def test_reference_to_a_batch_record_of_another_type_is_rejected(api):
    h = household()
    p = person(h["id"])
    wrong = visit(p["id"])
    results = api("col_a").push_ok([wrong, h, p])
    assert [r["status"] for r in results] == ["rejected", "accepted", "accepted"]
    assert list(results[0]["errors"]) == ["household"]


def test_records_pointing_at_each_other_never_loop(api):
    a, b = new_id(), new_id()
    # Nonsense on purpose: an enrollment whose person is a visit pointing back at it.
    e = enrollment(b, id=a)
    v = visit(a, id=b)
    results = api("col_a").push_ok([e, v])
    assert [r["status"] for r in results] == ["rejected", "rejected"]


def test_conflicting_reference_target_still_exists(api):
    col = api("col_a")
    h = household()
    col.push_ok([h])
    col.push_ok([household(id=h["id"], version=1, note="x")])
    stale = household(id=h["id"], version=1, note="y")
    results = col.push_ok([stale, person(h["id"])])
    assert [r["status"] for r in results] == ["conflict", "accepted"]
