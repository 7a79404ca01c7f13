"""Pull pages: limit, more, the opaque cursor, and the errors around them (DESIGN §4)."""
import pytest

from tests.api.conftest import household


def _push_households(api, n):
    col = api("col_a")
    recs = [household(head_name=f"Chủ hộ {i}") for i in range(n)]
    for start in range(0, n, 500):
        col.push_ok(recs[start:start + 500])
    return col, [r["id"] for r in recs]


def test_pages_follow_the_cursor_in_commit_order(api):
    col, ids = _push_households(api, 7)
    resp = col.pull(limit=3)
    page = resp.get_json()
    assert [c["id"] for c in page["changes"]] == ids[:3] and page["more"] is True
    page2 = col.pull(page["cursor"], limit=3).get_json()
    page3 = col.pull(page2["cursor"], limit=3).get_json()
    assert [c["id"] for c in page2["changes"] + page3["changes"]] == ids[3:]
    assert page3["more"] is False
    last = col.pull(page3["cursor"], limit=3).get_json()
    assert last["changes"] == [] and last["more"] is False


def test_default_limit_is_500(api):
    col, ids = _push_households(api, 501)
    page = col.pull().get_json()
    assert len(page["changes"]) == 500 and page["more"] is True


def test_limit_of_1000_is_allowed(api):
    col, _ = _push_households(api, 3)
    assert col.pull(limit=1000).status_code == 200


@pytest.mark.parametrize("query", ["limit=", "cursor=", "cursor=&limit="])
def test_empty_values_mean_the_defaults(api, query):
    col, ids = _push_households(api, 2)
    resp = col.client.get(f"/api/v1/sync/pull?{query}", headers=col.headers)
    assert resp.status_code == 200
    assert [c["id"] for c in resp.get_json()["changes"]] == ids


@pytest.mark.parametrize("limit", ["0", "1001", "-1", "abc", "1.5", "10x", " 5", "99999"])
def test_limit_outside_1_to_1000_or_not_an_integer_is_a_bad_request(api, limit):
    col, _ = _push_households(api, 1)
    resp = col.pull(limit=limit)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["code"] == "bad_request"


@pytest.mark.parametrize("cursor", ["abc", "5", "5.AAAA", "0.x", "∞", "1" * 500])
def test_a_cursor_this_server_did_not_make_is_a_bad_request(api, cursor):
    col, _ = _push_households(api, 1)
    resp = col.pull(cursor)
    assert resp.status_code == 400
    assert resp.get_json()["error"]["code"] == "bad_request"


def test_a_cursor_signed_with_another_secret_is_refused(api):
    from sync.cursor import CursorCodec

    col, _ = _push_households(api, 1)
    forged = CursorCodec("some-other-secret").encode(0)
    assert col.pull(forged).status_code == 400


def test_asking_again_with_the_same_cursor_is_safe(api):
    col, ids = _push_households(api, 4)
    first = col.pull(limit=2).get_json()
    again = col.pull(limit=2).get_json()
    assert first["changes"] == again["changes"]
    nxt = col.pull(first["cursor"], limit=2).get_json()
    nxt_again = col.pull(first["cursor"], limit=2).get_json()
    assert [c["id"] for c in nxt["changes"]] == ids[2:] == [c["id"] for c in nxt_again["changes"]]


def test_a_record_changed_twice_appears_once_at_its_latest_version(api):
    col, ids = _push_households(api, 2)
    _, cursor = col.pull_all()
    col.push_ok([household(id=ids[0], version=1, note="một")])
    col.push_ok([household(id=ids[0], version=2, note="hai")])
    changes, _ = col.pull_all(cursor)
    assert [(c["id"], c["version"], c["data"]["note"]) for c in changes] == [(ids[0], 3, "hai")]


def test_nothing_new_gives_an_empty_page_and_a_usable_cursor(api):
    col, _ = _push_households(api, 1)
    _, cursor = col.pull_all()
    page = col.pull(cursor).get_json()
    assert page == {"changes": [], "cursor": page["cursor"], "more": False}
    assert col.pull(page["cursor"]).status_code == 200


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
