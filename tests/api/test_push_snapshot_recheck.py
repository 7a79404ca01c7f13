"""On SQLite a push is judged in a read snapshot before the write lock (syncserver/service.py).

A write that commits between that snapshot and the lock must make the batch be judged
again: these tests commit such a write at exactly that moment (another device's push, run
from the hook that takes the lock) and check the outcome is what a serial order gives.
"""
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import Household, Person
from fieldapp.syncserver import service
from tests.api.conftest import device_of
from tests.records import household, payment, person, vsi_enrollment


@pytest.fixture
def sqlite_only(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("the snapshot-then-lock path is SQLite's")


@pytest.fixture
def meddle(monkeypatch, app):
    """meddle(fn): run ``fn`` once, right before the next push takes the write lock."""
    pending = []
    real = service.sqlite_writer

    @contextmanager
    def writer(engine):
        while pending:
            pending.pop()()
        with real(engine):
            yield

    monkeypatch.setattr(service, "sqlite_writer", writer)
    return pending.append


@pytest.fixture
def judged(monkeypatch):
    """How many times batches were judged (reads and rules)."""
    calls = []
    real = service._judged

    def counting(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(service, "_judged", counting)
    return calls


def _other_device(app, world):
    return device_of(app, world.users["col_a2"], name="other")


def test_same_new_record_committed_meanwhile_is_a_duplicate(app, world, api, meddle, judged,
                                                            sqlite_only):
    h = household()
    other = _other_device(app, world)
    meddle(lambda: other.push_ok([h]))
    results = api("col_a").push_ok([h])
    assert [r["status"] for r in results] == ["duplicate"]
    assert len(judged) == 3  # ours in the snapshot, the other's, ours again under the lock
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Household)) == 1


def test_same_id_other_content_committed_meanwhile_is_not_stored_twice(app, world, api, meddle,
                                                                      sqlite_only):
    h = household()
    other = _other_device(app, world)
    meddle(lambda: other.push_ok([dict(h, data=dict(h["data"], head_name="Lê Văn Cường"))]))
    results = api("col_a").push_ok([h])
    assert results[0]["status"] == "conflict"
    assert results[0]["current"]["data"]["head_name"] == "Lê Văn Cường"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Household)) == 1


def test_personal_id_taken_meanwhile_is_rejected(app, world, api, meddle, sqlite_only):
    h = household()
    api("col_a").push_ok([h])
    other = _other_device(app, world)
    meddle(lambda: other.push_ok([person(h["id"], personal_id="001203004567")]))
    mine = person(h["id"], full_name="Phạm Văn Dũng", personal_id="001203004567")
    results = api("col_a").push_ok([mine])
    assert results[0]["status"] == "rejected"
    assert "personal_id" in results[0]["errors"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Person)
                                 .where(Person.personal_id == "001203004567")) == 1


def test_unrelated_write_meanwhile_keeps_the_first_judgement(app, world, api, meddle, judged,
                                                            sqlite_only):
    other = _other_device(app, world)
    meddle(lambda: other.push_ok([household()]))
    h = household()
    results = api("col_a").push_ok([h, person(h["id"])])
    assert [r["status"] for r in results] == ["accepted", "accepted"]
    assert len(judged) == 2  # the other's push and ours, once


def _signed_up(push):
    """A household, its member and the member's VSI sign-up, pushed: the sign-up."""
    h = household()
    p = person(h["id"])
    e = vsi_enrollment(p["id"])
    assert [r["status"] for r in push([h, p, e])] == ["accepted"] * 3
    return e


def test_receipt_number_taken_meanwhile_is_rejected(app, world, api, meddle, judged,
                                                    sqlite_only):
    mine = _signed_up(api("col_a").push_ok)
    other = _other_device(app, world)
    theirs = _signed_up(other.push_ok)
    meddle(lambda: other.push_ok([payment(theirs["id"], receipt_no="BL7777777")]))
    before = len(judged)
    results = api("col_a").push_ok([payment(mine["id"], receipt_no="BL7777777")])
    assert results[0]["status"] == "rejected"
    assert "receipt_no" in results[0]["errors"]
    assert len(judged) - before == 3  # ours, the other's, ours again under the lock


def test_other_receipt_written_meanwhile_keeps_the_first_judgement(app, world, api, meddle,
                                                                   judged, sqlite_only):
    """Another device's payment under another receipt number does not make the batch be
    judged again (with two devices pushing sign-ups at once, every batch would be)."""
    mine = _signed_up(api("col_a").push_ok)
    other = _other_device(app, world)
    theirs = _signed_up(other.push_ok)
    meddle(lambda: other.push_ok([payment(theirs["id"], receipt_no="BL7777778")]))
    before = len(judged)
    results = api("col_a").push_ok([payment(mine["id"], receipt_no="BL7777779")])
    assert [r["status"] for r in results] == ["accepted"]
    assert len(judged) - before == 2  # the other's push and ours, once
