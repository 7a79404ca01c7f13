"""Nothing leaks between records validated one after another: the forms are reused per thread
(invalid fields named: the contract suite)."""
import pytest

from tests.records import household, person, visit


@pytest.fixture
def stored(api):
    col = api("col_a")
    h = household()
    p = person(h["id"])
    col.push_ok([h, p])
    return col, h["id"], p["id"]


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
