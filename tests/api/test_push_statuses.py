"""Every per-record status of a push (DESIGN §4): accepted, duplicate, rejected, conflict."""
from tests.api.conftest import household, person


def test_new_record_is_accepted_at_version_1(api):
    rec = household()
    [result] = api("col_a").push_ok([rec])
    assert result == {"id": rec["id"], "status": "accepted", "version": 1}


def test_edit_on_the_stored_version_is_accepted_at_the_next_version(api):
    col = api("col_a")
    rec = household()
    col.push_ok([rec])
    edited = household(id=rec["id"], version=1, address="Số 14, thôn Đông")
    [result] = col.push_ok([edited])
    assert result["status"] == "accepted" and result["version"] == 2


def test_same_content_again_is_a_duplicate_whatever_its_version(api):
    col = api("col_a")
    rec = household()
    col.push_ok([rec])
    for version in (0, 1, 7):
        [result] = col.push_ok([dict(rec, version=version)])
        assert result == {"id": rec["id"], "status": "duplicate", "version": 1}


def test_invalid_record_is_rejected_with_errors_by_field(api):
    rec = household(head_name="", phone="12345")
    [result] = api("col_a").push_ok([rec])
    assert result["status"] == "rejected"
    assert result["version"] == 0
    assert set(result["errors"]) == {"head_name", "phone"}
    assert all(isinstance(m, str) and m for ms in result["errors"].values() for m in ms)


def test_stale_version_is_a_conflict_carrying_the_server_copy(api):
    col, other = api("col_a"), api("col_a2")
    rec = household()
    col.push_ok([rec])
    other.push_ok([household(id=rec["id"], version=1, address="Số 99, thôn Tây")])
    [result] = col.push_ok([household(id=rec["id"], version=1, address="Số 14, thôn Đông")])
    assert result["status"] == "conflict"
    assert result["version"] == 2
    current = result["current"]
    assert current["id"] == rec["id"] and current["type"] == "household"
    assert current["version"] == 2 and current["deleted"] is False
    assert current["data"]["address"] == "Số 99, thôn Tây"
    assert current["data"]["phone"] == "0912345678"
    assert current["server"] == {}


def test_version_0_for_an_existing_record_is_stale(api):
    col = api("col_a")
    rec = household()
    col.push_ok([rec])
    [result] = col.push_ok([household(id=rec["id"], version=0, note="khác")])
    assert result["status"] == "conflict" and result["version"] == 1


def test_invalid_record_with_a_stale_version_is_rejected_not_a_conflict(api):
    col = api("col_a")
    rec = household()
    col.push_ok([rec])
    [result] = col.push_ok([household(id=rec["id"], version=0, head_name="")])
    assert result["status"] == "rejected" and result["version"] == 1


def test_empty_batch_gives_empty_results(api):
    resp = api("col_a").push([])
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["results"] == [] and body["server_time"]


def test_results_come_in_batch_order(api):
    h1, h2 = household(), household(head_name="")
    p = person(h1["id"])
    results = api("col_a").push_ok([h1, h2, p])
    assert [r["id"] for r in results] == [h1["id"], h2["id"], p["id"]]
    assert [r["status"] for r in results] == ["accepted", "rejected", "accepted"]
