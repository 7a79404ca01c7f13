"""References within a batch beyond the contract suite's: a target of another type later in
the batch, records pointing at each other, a target whose own write conflicts."""
from tests.records import household, new_id, person, visit, vsi_enrollment


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
    e = vsi_enrollment(b, id=a)
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
