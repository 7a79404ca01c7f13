"""FAULT (issue #3): SIGKILL the server in the middle of a push of 5,000 records, start it
again; the client retries by itself; every record ends up stored exactly once."""
import threading

from sync.client import SyncClient

from .records import day_of_work


def test_sigkill_mid_push_of_5000_records_stores_each_exactly_once(live, tmp_path):
    failures = []

    def on_request(method, path, status, seconds):
        if status is None or status >= 500:
            failures.append(status)

    client = SyncClient(live.url, tmp_path / "o.db", batch_size=250, retries=30, backoff=0.2,
                        backoff_max=2.0, on_request=on_request)
    client.pair("col_a", "pw", "laptop")
    records = day_of_work(1667)[:5000]  # households, persons and visits that refer to them
    client.enqueue(records)
    expected = {t: sum(1 for r in records if r["type"] == t)
                for t in ("household", "person", "visit")}

    result = {}
    worker = threading.Thread(target=lambda: result.setdefault("summary", client.push()))
    worker.start()
    seen = live.kill_when("households", 600)
    live.start()  # same port, same database
    worker.join(300)

    summary = result["summary"]
    assert seen < expected["household"], "the push ended before the server was killed"
    assert failures, "the client never saw the server die"
    assert summary.accepted + summary.duplicate == 5000 and summary.needs_attention == 0
    for table, rtype in (("households", "household"), ("persons", "person"),
                         ("visits", "visit")):
        assert live.scalar(f"SELECT count(*) FROM {table}") == expected[rtype]
        assert live.scalar(f"SELECT count(DISTINCT id) FROM {table}") == expected[rtype]
        assert live.scalar(f"SELECT max(version) FROM {table}") == 1  # never applied twice
    ids = {r["id"] for r in records}
    stored = {r[0] for r in client.store.db.execute("SELECT id FROM receipts")}
    assert stored == ids and client.store.depth() == 0
