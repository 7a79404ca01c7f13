"""Push and pull as transactions: the glue between the views, sync/merge.py and the store.

Push validates every record with the forms BEFORE taking the write lock (the costly part
runs in parallel in several workers). On SQLite it also judges the batch and builds its rows
before the lock, then checks under the lock that nothing it read has changed
(``_push_sqlite``); on PostgreSQL it judges and writes in one transaction that locks what it
reads. Every record of a batch is stored completely or not at all, and a retried batch finds
its records stored (``duplicate``). On PostgreSQL two pushes of the same new record can race
to insert it; the loser's transaction is retried from the start and then finds the winner's
row.
Pull reads one page in one snapshot (REPEATABLE READ on PostgreSQL; a SQLite read
transaction is one), so the page, its records and the high-water mark agree.
"""
import hashlib
from datetime import timedelta
from functools import partial

from flask_babel import gettext
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import DBAPIError

from sync import merge
from sync import protocol as P

from ..db.tx import ATTEMPTS, begin_write, retryable
from ..db.writelock import sqlite_writer
from ..extensions import db
from ..i18n import local_zone
from ..models import Change, Device
from ..models.base import utcnow
from ..records.forms import validate_record
from ..records.types import RECORD_MODELS as MODELS
from ..rules.access import scope_of
from ..rules.areatree import area_tree
from .feed import PullFeed, last_seq, scope_params
from .shapes import Shaper, shaper_for
from .store import SqlStore

#: Batches at least this big are first checked for records already stored.
_LOOK_FIRST = 100
#: A completed pull records the device's sync time at most this often.
_MARK_EVERY = timedelta(seconds=60)


def _text(msgid, **params):
    return gettext(msgid, **params)


#: The stored hashes of a list of ids, per type (built once: cheaper for SQLAlchemy to run).
_HASHES = {kind: select(model.id, model.content_hash).where(
    model.id.in_(bindparam("ids", expanding=True))) for kind, model in MODELS.items()}
_ANY_LIVE = select(Change.record_id).where(Change.record_id.in_(bindparam("ids", expanding=True)),
                                           Change.deleted.is_(False)).limit(1)


def _probably_stored(records):
    """{(id, hash)} of records already stored with this content: likely a retried batch.

    Read outside the write transaction, so it is only a hint (``judge`` checks again). A
    fresh batch, the usual case, is recognised by one look at three of its ids.
    """
    wanted = {}
    for raw in records:
        if isinstance(raw, dict) and isinstance(raw.get("type"), str) and raw["type"] in MODELS \
                and isinstance(raw.get("id"), str) \
                and P.UUID_RE.match(raw["id"]):
            wanted.setdefault(raw["type"], []).append(raw["id"].lower())
    every = [rid for ids in wanted.values() for rid in ids]
    if not every:
        return set()
    sample = {every[0], every[len(every) // 2], every[-1]}
    conn = db.session.connection()  # Core statements: the ORM's execute path costs more
    if not conn.execute(_ANY_LIVE, {"ids": sorted(sample)}).first():
        return set()
    found = set()
    for kind, ids in wanted.items():
        for start in range(0, len(ids), 500):
            rows = conn.execute(_HASHES[kind], {"ids": ids[start:start + 500]})
            found.update((rid, digest) for rid, digest in rows)
    return found


def _book():
    from ..rules.policy import PolicyBook

    return PolicyBook.load()


def push(user, device_id, records, heartbeat):
    """Judge and store a batch: the list of per-record results (docs/protocol.md)."""
    scope = scope_of(user)
    areas = area_tree()
    # A retried big batch skips validating what is stored already; a small one (a phone's
    # usual push) is validated faster than that look costs.
    trusted = _probably_stored(records) if len(records) >= _LOOK_FIRST else set()
    items = merge.prepare(records, validate_record, trusted, _text)
    shaper = Shaper(local_zone())
    judge = partial(_judged, user, device_id, scope, areas, shaper, items)
    if db.engine.dialect.name == "sqlite":
        return _push_sqlite(judge, heartbeat, items)
    for attempt in range(ATTEMPTS):
        try:
            # PostgreSQL (READ COMMITTED): the transaction that loaded the device goes on
            # writing; every statement sees what is committed, rows are locked as read.
            conn = db.session.connection()
            store, judgement, plan = judge(conn)
            _store(store, judgement, plan, heartbeat, items)
            return judgement.results
        except DBAPIError as exc:
            db.session.rollback()
            if attempt + 1 < ATTEMPTS and retryable(exc):
                continue
            raise


def _judged(user, device_id, scope, areas, shaper, items, conn):
    """Judge ``items`` against the database as ``conn`` sees it and build the rows to write:
    (store, judgement, plan)."""
    store = SqlStore(conn, user, device_id, scope, areas, shaper, _book)
    store.prefetch(items)
    judgement = merge.judge(items, store, validate_record, _text)
    return store, judgement, store.plan(judgement.writes)


def _store(store, judgement, plan, heartbeat, items):
    """Write ``plan``, give each conflict the record as stored now, commit."""
    store.write(plan, heartbeat)
    if judgement.conflicts:
        current = store.current(judgement.conflicts, items)
        for index, rid in judgement.conflicts:
            judgement.results[index]["current"] = current.get(rid)
    db.session.commit()


def _push_sqlite(judge, heartbeat, items):
    """SQLite has one writer at a time: keep the reading and the Python out of its turn.

    The batch is judged and its rows built in a read snapshot, without the write lock,
    while another worker writes. Then, holding the lock, the change feed tells whether
    anything that judgement read (the batch's ids, the records it references, the holders
    of its personal IDs) has changed since the snapshot: every write of a synced record
    moves or adds its change row after the highest number the snapshot saw. Only then is
    the batch judged again, under the lock; otherwise the rows are written as built.
    """
    conn = db.session.connection()
    mark = last_seq(conn)
    store, judgement, plan = judge(conn)
    db.session.commit()  # the snapshot ends; the write transaction starts afresh
    try:
        with sqlite_writer(db.engine):
            conn = begin_write()
            store.conn = conn
            if store.changed_since(mark):
                store, judgement, plan = judge(conn)
            _store(store, judgement, plan, heartbeat, items)
    except DBAPIError:
        db.session.rollback()
        raise
    return judgement.results


def scope_key(scope):
    """A short fingerprint of what ``scope`` sees (role, user, areas), kept in cursors."""
    text = f"{scope.role}:{scope.user_id}:{','.join(map(str, sorted(scope.area_ids)))}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def pull(user, device, after, limit, seen_scope=None, in_snapshot=False):
    """One page of the caller's change feed after position ``after``: (page, scope key,
    reset).

    ``in_snapshot``: the caller's transaction has been one read snapshot since its first
    statement (the sync API opens it before checking the token, api/http.py); the page is
    read in it. Otherwise the page gets a snapshot of its own.

    A cursor made when the caller saw other areas (an admin changed them) cannot be
    continued: records of a new area committed before it would never come, records of a
    removed area would stay on the device. Such a pull starts again from the beginning and
    says ``reset``, so the device replaces its copy. Cursors without a scope key (made
    before keys existed) continue as they are.
    """
    scope = scope_of(user)
    key = scope_key(scope)
    reset = seen_scope is not None and seen_scope != key
    if reset:
        after = 0
    params = scope_params(scope)  # read before the commit below expires the user
    device_id, last_sync = device.id, device.last_sync_at
    options = {}
    if not in_snapshot:
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            options["isolation_level"] = "REPEATABLE READ"
    conn = db.session.connection(execution_options=options)
    shaper = shaper_for(scope.role, local_zone())  # supervisors: personal IDs masked
    page = merge.pull_page(PullFeed(conn, scope, shaper, params), after, limit)
    db.session.commit()
    now = utcnow()
    if not page.more and (last_sync is None or now - last_sync > _MARK_EVERY):
        # A completed pull is a sync too; written at most once a minute so pulls stay reads.
        with sqlite_writer(db.engine):
            begin_write()
            db.session.execute(update(Device).where(Device.id == device_id)
                               .values(last_sync_at=now))
            db.session.commit()
    return page, key, reset
