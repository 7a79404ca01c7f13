"""Completeness of the change feed under concurrent pushes (docs/protocol.md, sync/merge.py).

Several threads push (new records and edits) at once, each through its own client and
database connection, while a reader follows the cursor. Writers are slowed down while they
hold sequence numbers, so commits that finish late are common. The reader must see every
record, each version at most once, versions only rising, and each record's last version.
"""
import random
import threading
import time

from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import Household
from fieldapp.syncserver import feed
from tests.api.conftest import device_of
from tests.records import household

WRITERS, BATCHES, PER_BATCH = 4, 8, 15


def test_reader_sees_every_change_once_while_others_push(app, world, monkeypatch):
    real_take = feed.take_seqs

    def slow_take(conn, count):
        first = real_take(conn, count)
        time.sleep(random.uniform(0, 0.02))  # hold the numbers a while before committing
        return first

    monkeypatch.setattr(feed, "take_seqs", slow_take)
    writers = [device_of(app, world.users[u])
               for u in ("col_a", "col_a2", "col_a", "col_a2")[:WRITERS]]
    reader = device_of(app, world.users["sup_a"])
    errors, done = [], threading.Event()

    def write(api, seed):
        rng = random.Random(seed)
        mine = {}
        try:
            for _ in range(BATCHES):
                batch = [household(rng.choice(["31001-1", "31001-2"]))
                         for _ in range(PER_BATCH)]
                for rid in rng.sample(sorted(mine), min(5, len(mine))):
                    batch.append(household(id=rid, version=mine[rid], note=str(rng.random())))
                for result in api.push_ok(batch):
                    assert result["status"] == "accepted", result
                    mine[result["id"]] = result["version"]
        except Exception as exc:
            errors.append(exc)

    seen = {}
    repeats = []

    def read():
        cursor = None
        try:
            while True:
                finished = done.is_set()
                resp = reader.pull(cursor, limit=7)
                assert resp.status_code == 200, resp.get_data(as_text=True)
                page = resp.get_json()
                ids = [c["id"] for c in page["changes"]]
                assert len(ids) == len(set(ids)), "a record twice in one page"
                for change in page["changes"]:
                    history = seen.setdefault(change["id"], [])
                    if history and history[-1] >= change["version"]:
                        repeats.append((change["id"], history[-1], change["version"]))
                    history.append(change["version"])
                cursor = page["cursor"]
                if finished and not page["more"]:
                    return
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(api, n)) for n, api in enumerate(writers)]
    reading = threading.Thread(target=read)
    reading.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    reading.join()
    assert not errors, errors
    assert not repeats, repeats[:5]
    with app.app_context():
        final = dict(db.session.execute(select(Household.id, Household.version)).all())
    assert len(final) == WRITERS * BATCHES * PER_BATCH
    assert {rid: versions[-1] for rid, versions in seen.items()} == final
