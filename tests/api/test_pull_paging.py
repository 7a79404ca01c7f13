"""Paging past changes the caller may not see (limits, cursors and paging as the contract
sets them: the contract suite)."""
from tests.records import household


def test_changes_invisible_to_the_caller_do_not_hold_its_cursor_back(api):
    head = api("head_a")
    _, cursor = head.pull_all()
    api("col_b").push_ok([household("31002-1") for _ in range(5)])
    page = head.pull(cursor, limit=1).get_json()
    assert page["changes"] == [] and page["more"] is False
    mine = household("31001-1")
    api("col_a").push_ok([mine])
    page = head.pull(page["cursor"], limit=1).get_json()
    assert [c["id"] for c in page["changes"]] == [mine["id"]]
