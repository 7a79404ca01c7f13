"""Pulled times are given in Vietnam's offset, whatever offset they were pushed with (field
names, phones and server fields of pulled records: the contract suite)."""
from tests.records import household, visit


def test_times_are_given_with_an_offset(api):
    col = api("col_a")
    h = household()
    v = visit(h["id"], visited_at="2026-11-25T02:30:00+00:00", follow_up_on="2026-11-26")
    col.push_ok([h, v])
    changes, _ = col.pull_all()
    [pulled] = [c for c in changes if c["id"] == v["id"]]
    assert pulled["data"]["visited_at"] == "2026-11-25T09:30:00+07:00"
