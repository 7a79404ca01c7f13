"""An interrupted push, resumed: the server dies mid-push, comes back, the next push finishes."""
import threading

from sync.client import ServerUnreachable, SyncClient

from .records import household


def test_a_push_cut_off_by_a_dead_server_is_finished_by_the_next_push(live, tmp_path):
    client = SyncClient(live.url, tmp_path / "o.db", batch_size=100, retries=0)
    client.pair("col_a", "pw", "laptop")
    records = [household(n) for n in range(2000)]
    client.enqueue(records)

    outcome = {}

    def push():
        try:
            client.push()
        except ServerUnreachable as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=push)
    worker.start()
    seen = live.kill_when("households", 300)
    worker.join(60)
    assert "error" in outcome, "the push ended before the server died"
    assert seen < 2000

    # Whatever the server stored before it died has a receipt, or still waits: nothing else.
    stored = live.scalar("SELECT count(*) FROM households")
    receipted = client.store.counts()["receipts"]
    assert receipted <= stored and receipted + client.store.depth() == 2000

    live.start()
    summary = client.push()
    assert summary.accepted + summary.duplicate == 2000 - receipted
    assert summary.duplicate == stored - receipted  # stored just before the cut: no copy
    assert live.scalar("SELECT count(*) FROM households") == 2000
    assert live.scalar("SELECT max(version) FROM households") == 1
    assert client.store.depth() == 0
