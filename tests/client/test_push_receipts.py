"""Push keeps every record until its receipt: accepted/duplicate leave, rejected/conflict stay."""
import json

import pytest

from sync.client import ServerUnreachable

from .stub import down, household, make_client, receipts


def test_each_status_does_what_the_receipt_says(tmp_path):
    outcomes = ["accepted", "duplicate", "rejected", "conflict"]

    def answer(req):
        recs = req["json"]["records"]
        results = []
        for rec, status in zip(recs, outcomes):
            result = {"id": rec["id"], "status": status, "version": 3 if status == "conflict" else 1}
            if status == "rejected":
                result.update(version=0, errors={"address": ["This field is required."]})
            if status == "conflict":
                result["current"] = {"id": rec["id"], "type": "household", "version": 3}
            results.append(result)
        return 200, {"results": results, "server_time": "2026-11-25T02:30:00+00:00"}

    client = make_client(tmp_path, answer)
    ids = client.enqueue([household(n) for n in range(4)])["ids"]
    summary = client.push()

    assert (summary.accepted, summary.duplicate, summary.rejected, summary.conflict) == (1, 1, 1, 1)
    db = client.store.db
    assert {r["id"]: r["status"] for r in db.query("SELECT id, status FROM receipts")} == {
        ids[0]: "accepted", ids[1]: "duplicate"}
    left = {r["id"]: r for r in db.query("SELECT * FROM outbox")}
    assert set(left) == {ids[2], ids[3]}
    assert all(r["state"] == "needs_attention" for r in left.values())
    assert json.loads(left[ids[2]]["errors"]) == {"address": ["This field is required."]}
    assert json.loads(left[ids[3]]["current"])["version"] == 3
    assert "address: This field is required." in summary.problems[0]["detail"]

    client.session.requests.clear()
    assert client.push().total == 0  # records needing attention are not sent again
    assert client.session.requests == []


def test_batches_of_at_most_500_each_with_a_heartbeat(tmp_path):
    client = make_client(tmp_path, receipts())
    client.enqueue([household(n) for n in range(1201)])
    client.push()
    pushes = client.session.pushes()
    assert [len(p["json"]["records"]) for p in pushes] == [500, 500, 201]
    assert all(p["json"]["protocol"] == 1 for p in pushes)
    # Each heartbeat announces what is left once its batch is stored.
    assert [p["json"]["device"]["outbox"] for p in pushes] == [701, 201, 0]
    assert pushes[0]["headers"]["Authorization"] == "Bearer tok"


def test_a_push_that_fails_half_way_keeps_what_was_not_receipted(tmp_path):
    calls = []

    def answer(req):
        calls.append(req)
        if len(calls) > 1:
            return down()
        return receipts()(req)

    client = make_client(tmp_path, answer, retries=2)
    ids = client.enqueue([household(n) for n in range(700)])["ids"]
    with pytest.raises(ServerUnreachable, match="cannot reach the server"):
        client.push()
    rows = list(client.store.db.query("SELECT id, attempts, last_error FROM outbox ORDER BY seq"))
    assert [r["id"] for r in rows] == ids[500:]
    assert rows[0]["attempts"] == 1 and "cannot reach" in rows[0]["last_error"]
    assert client.store.counts()["receipts"] == 500

    client.session.answer = receipts("duplicate")
    summary = client.push()
    assert summary.duplicate == 200 and client.store.depth() == 0


def test_a_record_edited_while_its_batch_was_on_the_wire_is_sent_again(tmp_path):
    holder = {}

    def answer(req):
        recs = req["json"]["records"]
        if recs and not holder.get("edited"):
            holder["edited"] = True
            holder["client"].enqueue([dict(household(99), id=recs[0]["id"])])
        return receipts()(req)

    client = make_client(tmp_path, answer)
    holder["client"] = client
    client.enqueue([dict(household(1), id="0b7e7f0e-5d1a-4c3e-9a39-2f6b1c8d4e01")])
    client.push()
    sent = [(p["json"]["records"][0]["data"]["address"], p["json"]["records"][0]["version"])
            for p in client.session.pushes() if p["json"]["records"]]
    assert sent == [("Số 1", 0), ("Số 99", 1)]  # the edit, on the version the first got
    assert client.store.depth() == 0
