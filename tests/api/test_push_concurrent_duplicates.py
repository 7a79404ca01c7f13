"""The same batch pushed at once by two devices (a phone and the laptop relaying for it):
every record stored once, each push told accepted or duplicate, never a 5xx."""
import threading
import time

import pytest
from sqlalchemy import func, select, text

from fieldapp.extensions import db
from fieldapp.models import Change, Household, Person
from fieldapp.syncserver.store import SqlStore
from tests.api.conftest import device_of
from tests.records import household, person


def test_two_devices_pushing_the_same_records_store_them_once(app, world):
    batches = []
    for _ in range(6):
        h = household()
        batches.append([h] + [person(h["id"], full_name=f"Thành viên {n}") for n in range(3)])
    devices = [device_of(app, world.users[u])
               for u in ("col_a", "col_a2", "col_a")]
    outcomes, errors = [], []
    start = threading.Barrier(len(devices))

    def run(api):
        try:
            start.wait()
            for batch in batches:
                resp = api.push(batch)
                assert resp.status_code == 200, resp.get_data(as_text=True)
                outcomes.extend(r["status"] for r in resp.get_json()["results"])
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(api,)) for api in devices]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    total = sum(len(b) for b in batches)
    assert outcomes.count("accepted") == total
    assert outcomes.count("duplicate") == total * (len(devices) - 1)
    with app.app_context():
        count = db.session.scalar
        assert count(select(func.count()).select_from(Household)) == len(batches)
        assert count(select(func.count()).select_from(Person)) == total - len(batches)
        assert count(select(func.count()).select_from(Change)) == total


# -- PostgreSQL: the same batch of many new records, raced on purpose ---------------------
#
# Several new records of one type are written by COPY (fieldapp/db/fastrows.py). When two
# pushes of the same new records both judge them new, the second one's COPY waits on the
# first one's uncommitted keys and fails with a unique violation once it commits; the push
# must then start again and find them stored. Persons carry no personal ID here: a personal
# ID takes a lock while the batch is judged (SqlStore.prefetch), which would serialise the
# two pushes before they race.

def _holds_a_waiter(app, pid, seconds=15):
    """Wait until another backend waits on a lock held by backend ``pid``; did one?"""
    deadline = time.monotonic() + seconds
    with app.app_context(), db.engine.connect() as conn:
        while time.monotonic() < deadline:
            waiting = conn.execute(text(
                "SELECT count(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))"),
                {"pid": pid}).scalar()
            conn.rollback()
            if waiting:
                return True
            time.sleep(0.02)
    return False


def _race_copies(monkeypatch, app):
    """Make the first push's write wait, uncommitted, until the second push's write is blocked
    on its rows; both pushes have judged the batch before either writes. Returns the facts
    seen: {"raced": did the second wait on the first, "writes": [one entry per write]}."""
    original = SqlStore.write
    both_judged = threading.Barrier(2)
    written = threading.Event()
    lock = threading.Lock()
    calls = []
    seen = {"raced": False, "writes": calls}

    def write(self, plan, heartbeat=None):
        with lock:
            calls.append(None)
            turn = len(calls)
        if turn > 2:  # a retry: no more holding
            return original(self, plan, heartbeat)
        both_judged.wait(timeout=30)
        if turn == 1:
            original(self, plan, heartbeat)
            written.set()
            pid = self.conn.connection.driver_connection.info.backend_pid
            seen["raced"] = _holds_a_waiter(app, pid)
            return None
        written.wait(timeout=30)
        return original(self, plan, heartbeat)

    monkeypatch.setattr(SqlStore, "write", write)
    return seen


def _same_batch_from_two_devices(app, world, batch):
    devices = [device_of(app, world.users["col_a"], "phone"),
               device_of(app, world.users["col_a2"], "laptop")]
    answers, errors = [None, None], []
    start = threading.Barrier(len(devices))

    def run(n):
        try:
            start.wait(timeout=30)
            answers[n] = devices[n].push(batch)
        except Exception as exc:  # a 5xx fails inside Device.push (tests/device.py)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(devices))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    return answers


def _fifty_and_fifty():
    households = [household(head_name=f"Chủ hộ {n}") for n in range(50)]
    persons = [person(h["id"], full_name=f"Thành viên {n}", personal_id=None)
               for n, h in enumerate(households)]
    return households + persons


def _check_stored_once(app, batch, answers):
    ids = [r["id"] for r in batch]
    statuses = {}
    for resp in answers:
        assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
        results = resp.get_json()["results"]
        assert [r["id"] for r in results] == ids
        for r in results:
            statuses.setdefault(r["id"], []).append(r["status"])
    assert all(sorted(s) == ["accepted", "duplicate"] for s in statuses.values()), statuses
    with app.app_context():
        count = db.session.scalar
        assert count(select(func.count()).select_from(Household)) == 50
        assert count(select(func.count()).select_from(Person)) == 50
        assert count(select(func.count()).select_from(Change)) == 100
        assert count(select(func.count(func.distinct(Change.record_id)))) == 100


def test_two_devices_racing_the_same_fifty_households_and_persons_on_postgres(
        app, world, monkeypatch):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL only: on SQLite the write lock serialises pushes")
    seen = _race_copies(monkeypatch, app)
    batch = _fifty_and_fifty()
    answers = _same_batch_from_two_devices(app, world, batch)
    assert seen["raced"], "the second push never waited on the first one's rows"
    assert len(seen["writes"]) == 3  # the first push, the second's failed try, its retry
    _check_stored_once(app, batch, answers)


@pytest.mark.parametrize("round_", range(3))
def test_two_devices_pushing_the_same_fifty_households_and_persons_at_once(app, world, round_):
    """The same, left to the scheduler (on SQLite too)."""
    batch = _fifty_and_fifty()
    _check_stored_once(app, batch, _same_batch_from_two_devices(app, world, batch))
