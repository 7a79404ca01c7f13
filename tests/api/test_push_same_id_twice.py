"""The same id twice in one batch: judged in order, the second against the first's outcome."""
from fieldapp.extensions import db
from fieldapp.models import Household
from tests.api.conftest import household


def test_identical_twice_is_accepted_then_duplicate(api):
    h = household()
    results = api("col_a").push_ok([h, h])
    assert [(r["status"], r["version"]) for r in results] == [("accepted", 1), ("duplicate", 1)]


def test_two_edits_in_one_batch_both_apply(app, api):
    h = household()
    second = household(id=h["id"], version=1, address="Số 20, thôn Nam")
    results = api("col_a").push_ok([h, second])
    assert [(r["status"], r["version"]) for r in results] == [("accepted", 1), ("accepted", 2)]
    with app.app_context():
        stored = db.session.get(Household, h["id"])
        assert stored.version == 2 and stored.address == "Số 20, thôn Nam"


def test_second_on_the_old_version_conflicts_with_the_first(api):
    h = household()
    stale = household(id=h["id"], version=0, address="Số 20, thôn Nam")
    results = api("col_a").push_ok([h, stale])
    assert [(r["status"], r["version"]) for r in results] == [("accepted", 1), ("conflict", 1)]
    assert results[1]["current"]["data"]["address"] == h["data"]["address"]


def test_after_a_rejected_first_the_second_is_judged_as_new(app, api):
    bad = household(head_name="")
    good = household(id=bad["id"])
    results = api("col_a").push_ok([bad, good])
    assert [(r["status"], r["version"]) for r in results] == [("rejected", 0), ("accepted", 1)]


def test_after_a_rejected_first_a_version_1_second_names_version(api):
    bad = household(head_name="")
    then = household(id=bad["id"], version=1)
    results = api("col_a").push_ok([bad, then])
    assert results[1]["status"] == "rejected" and "version" in results[1]["errors"]
