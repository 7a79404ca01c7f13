"""Pull follows cursors to the end; each page is saved with its cursor, so a cut pull resumes."""
import pytest

from sync.client import ServerUnreachable

from .stub import down, make_client

PAGES = {
    None: {"changes": [{"id": "a", "type": "household", "version": 1, "deleted": False,
                        "data": {"address": "Số 1"}, "server": {}},
                       {"id": "b", "type": "household", "version": 1, "deleted": False,
                        "data": {"address": "Số 2"}, "server": {}}],
           "cursor": "c1", "more": True},
    "c1": {"changes": [{"id": "a", "type": "household", "version": 1, "deleted": True,
                        "data": None, "server": {}}],
           "cursor": "c2", "more": False},
}


def feed(fail_on="no page"):
    def answer(req):
        cursor = req["params"].get("cursor")
        if cursor == fail_on:
            return down()
        return 200, PAGES[cursor]
    return answer


def test_pull_follows_cursors_until_no_more_and_drops_deleted_records(tmp_path):
    client = make_client(tmp_path, feed())
    summary = client.pull(limit=2)
    assert (summary.pages, summary.changes, summary.deleted) == (2, 3, 1)
    assert [r["params"] for r in client.session.requests] == [
        {"limit": 2}, {"limit": 2, "cursor": "c1"}]
    assert [r["id"] for r in client.store.db.query("SELECT id FROM records")] == ["b"]
    assert client.store.get("cursor") == "c2"


def test_an_interrupted_pull_keeps_its_first_page_and_resumes_after_it(tmp_path):
    client = make_client(tmp_path, feed(fail_on="c1"), retries=1)
    with pytest.raises(ServerUnreachable):
        client.pull()
    assert client.store.get("cursor") == "c1"
    assert client.store.counts()["records"] == {"household": 2}

    client.session.answer = feed()
    client.session.requests.clear()
    client.pull()
    assert [r["params"].get("cursor") for r in client.session.requests] == ["c1"]
