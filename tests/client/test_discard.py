"""`python -m sync discard` of an EDIT the server refused or found in conflict (issue #9,
point 9): the outbox empties and the server's copy takes the change's place: a conflict's
``current`` becomes the pulled copy and the base of the next edit; an edit of a record this
device may no longer see (moved out of its areas) leaves the local copy altogether."""
import json

from sync.__main__ import main
from tests import records

from .stub import make_client


def _pulled(client, rec, version):
    client.store.save_page([{"id": rec["id"], "type": rec["type"], "version": version,
                             "data": rec["data"], "server": {}, "deleted": False}],
                           "cursor-1", "2026-11-25T02:00:00+00:00")


def _answer(results):
    def answer(req):
        recs = req["json"]["records"]
        return 200, {"results": [dict(results[r["id"]], id=r["id"]) for r in recs],
                     "server_time": "2026-11-25T02:30:00+00:00"}
    return answer


def _local(client, rid):
    row = client.store.db.execute("SELECT version, data FROM records WHERE id = ?", [rid]).fetchone()
    return (row[0], json.loads(row[1])) if row else None


def test_discarded_edits_give_way_to_the_server_copy(tmp_path):
    moved = records.household(head_name="Hộ đã chuyển đi")  # now outside this device's areas
    stale = records.household(head_name="Hộ sửa hai nơi")  # edited elsewhere meanwhile
    wrong = records.household(head_name="Hộ sửa sai")  # the edit breaks a field rule
    theirs = dict(stale["data"], address="Số 99, bản của máy chủ")
    client = make_client(tmp_path, _answer({
        moved["id"]: {"status": "rejected", "version": 0,
                      "errors": {"_": ["You may not change this record."]}},
        stale["id"]: {"status": "conflict", "version": 3, "current": {
            "id": stale["id"], "type": "household", "version": 3, "data": theirs, "server": {},
            "deleted": False}},
        wrong["id"]: {"status": "rejected", "version": 1, "errors": {"phone": ["Not a phone."]}},
    }))
    for rec in (moved, stale, wrong):
        _pulled(client, rec, 1)
    # This device's own earlier edit of `stale` was accepted at version 1.
    client.store.db.execute("INSERT INTO receipts (id, type, version, status, hash) VALUES "
                            "(?, 'household', 1, 'accepted', 'x')", [stale["id"]])
    client.store.db.conn.commit()
    client.enqueue([records.typed(dict(r, data=dict(r["data"], note="sửa trên máy")))
                    for r in (moved, stale, wrong)])
    assert client.push().needs_attention == 3

    assert client.discard([moved["id"], stale["id"]]) == 2
    assert main(["--outbox", str(tmp_path / "outbox.db"), "discard", wrong["id"]]) == 0
    assert client.store.depth() == 0
    assert _local(client, moved["id"]) is None  # no longer this device's to see
    assert _local(client, stale["id"]) == (3, theirs)  # the server's copy
    assert _local(client, wrong["id"]) == (1, wrong["data"])  # the last pulled copy stays

    # The next edit of the record found in conflict is based on the server's version.
    client.enqueue([records.typed(dict(stale, data=dict(theirs, note="lần hai")))])
    [(version,)] = client.store.db.execute("SELECT version FROM outbox").fetchall()
    assert version == 3
