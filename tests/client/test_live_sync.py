"""The Python client against a live server: pair, enqueue, push, pull, heartbeat, logout."""
import pytest

from sync.client import APP_VERSION, SignedOut, SyncClient

from .records import day_of_work, household


@pytest.fixture
def device(live, tmp_path):
    def make(username="col_a", name="laptop"):
        client = SyncClient(live.url, tmp_path / f"{username}-{name}.db", retries=2, backoff=0.1)
        client.pair(username, "pw", name)
        return client
    return make


def test_enqueue_push_pull_round_trip(live, device):
    col_a = device()
    work = day_of_work(40)  # 120 records
    outside = household(999, village="31002-1")  # col_b's commune
    col_a.enqueue(work + [outside])
    col_a.batch_size = 50
    summary = col_a.push()

    assert (summary.accepted, summary.rejected, summary.batches) == (120, 1, 3)
    assert summary.problems[0]["id"] == outside["id"] and "area" in summary.problems[0]["detail"]
    assert live.scalar("SELECT count(*) FROM households") == 40
    assert live.scalar("SELECT count(*) FROM persons") == 40
    assert live.scalar("SELECT count(*) FROM visits") == 40
    assert col_a.status()["needs_attention"] == 1 and col_a.status()["waiting"] == 0

    # The heartbeat after the push reports what is left: the one record needing attention.
    depth, version = live.scalar(
        "SELECT outbox_depth || '|' || app_version FROM devices WHERE name = 'laptop'").split("|")
    assert (int(depth), version) == (1, APP_VERSION)

    # Queuing the same records again sends nothing: they are known to be synced.
    assert col_a.enqueue(work)["synced"] == 120 and col_a.push().total == 0

    # Another collector of the same commune pulls the shared register, not col_a's visits.
    col_a2 = device("col_a2", "phone")
    pulled = col_a2.pull(limit=30)
    held = col_a2.status()["records"]
    assert held == {"household": 40, "person": 40}
    assert pulled.pages >= 3 and col_a2.pull().changes == 0

    mine = col_a.pull()
    assert col_a.status()["records"] == {"household": 40, "person": 40, "visit": 40}
    assert mine.changes == 120


def test_a_revoked_device_keeps_its_records_and_is_told_to_pair_again(live, device, tmp_path):
    laptop = device()
    laptop.enqueue([household(1)])
    # Revoked elsewhere (a supervisor, or the same token signing out from another copy).
    SyncClient(live.url, tmp_path / "elsewhere.db", token=laptop.token).logout()
    with pytest.raises(SignedOut, match="this device was signed out; pair again"):
        laptop.push()
    assert laptop.store.depth() == 1

    laptop.pair("col_a", "pw", "laptop")
    assert laptop.push().accepted == 1 and laptop.store.depth() == 0
    laptop.logout()
    assert laptop.token is None


def test_the_client_hears_the_server_in_its_language(live, tmp_path):
    """A record refused by the server is explained in the language the client asked for."""
    said = {}
    for lang in ("en", "vi"):
        client = SyncClient(live.url, tmp_path / f"{lang}.db", retries=2, backoff=0.1, language=lang)
        client.pair("col_a", "pw", f"laptop-{lang}")
        client.enqueue([household(900, village="31002-1")])  # col_b's commune: refused
        said[lang] = client.push().problems[0]["detail"]
    assert said["en"] != said["vi"]
    assert "area" in said["en"].lower()
