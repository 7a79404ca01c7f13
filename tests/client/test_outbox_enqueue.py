"""Queuing: ids are made once, a queued id is never queued twice, one bad record queues none."""
import pytest

from .stub import household, make_client, receipts


@pytest.fixture
def client(tmp_path):
    c = make_client(tmp_path, receipts())
    yield c
    c.close()


def outbox_rows(client):
    return list(client.store.db.query("SELECT id, version, data, state FROM outbox ORDER BY seq"))


def test_a_record_without_id_keeps_the_id_it_was_given(client):
    first = client.enqueue([household(1)])
    again = client.enqueue([household(1)])
    assert first["ids"] == again["ids"]
    assert (first["queued"], again["unchanged"]) == (1, 1)
    assert len(outbox_rows(client)) == 1


def test_an_id_already_waiting_is_replaced_not_duplicated(client):
    rid = "3F2A9C1E-8B7D-4E6F-A1B2-C3D4E5F60718"
    client.enqueue([dict(household(1), id=rid)])
    counts = client.enqueue([dict(household(2), id=rid.lower())])
    rows = outbox_rows(client)
    assert counts["replaced"] == 1
    assert [r["id"] for r in rows] == [rid.lower()]
    assert '"Số 2"' in rows[0]["data"]


def test_one_invalid_record_queues_nothing(client):
    with pytest.raises(ValueError, match="'data'"):
        client.enqueue([household(1), {"type": "household", "data": "Số 2"}])
    assert outbox_rows(client) == []


def test_a_synced_record_queued_again_is_skipped_and_an_edit_gets_its_version(client):
    rid = client.enqueue([household(1)])["ids"][0]
    client.push()
    assert client.enqueue([household(1)])["synced"] == 1
    assert outbox_rows(client) == []
    client.enqueue([dict(household(5), id=rid)])
    assert outbox_rows(client)[0]["version"] == 1  # based on the version the receipt gave
