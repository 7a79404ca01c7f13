"""The change feed in the database: writing it (push, server-side changes) and reading it (pull).

How the feed guarantees that a reader never skips a change is written down in sync/merge.py.
The rules that matter here: a writer touches the 'changes' counter LAST (after every other
write of its transaction, right before inserting its change rows and committing), and a
record has one live row, which every change deletes and re-inserts at a fresh number.

For other parts of the app: whatever changes a server-owned field of a synced record (a
visit's review, a referral's status or assignee) calls ``touch(kind, ids)`` as the last
thing before committing, so devices pull the new state; nothing else writes change rows for
such fields.
"""
from functools import cache

from sqlalchemy import and_, bindparam, delete, exists, false, func, or_, select, true, union_all, update
from sqlalchemy.orm import aliased

from sync.protocol import RECORD_TYPES

from ..db.fastrows import insert_rows
from ..extensions import db
from ..models import Change, Counter
from ..rules.access import AREA, NO_RULES, OWN, ROLE_RULES

COUNTER = "changes"
_CHUNK = 500


def _insert_counter(conn, count):
    dialect = conn.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    stmt = (dialect_insert(Counter).values(name=COUNTER, value=count)
            .on_conflict_do_nothing().returning(Counter.value))
    # rowcount is -1 for this statement under psycopg 3: ask for the row instead.
    return conn.execute(stmt).first() is not None


# Built once: every push runs them (a statement built per call is also compiled per call).
_TAKE = (update(Counter).where(Counter.name == COUNTER)
         .values(value=Counter.value + bindparam("count")).returning(Counter.value))
_LAST_SEQ = select(func.max(Change.seq))


def take_seqs(conn, count):
    """Reserve ``count`` consecutive sequence numbers (the counter row's lock is now held
    until COMMIT); returns the first."""
    for _attempt in range(3):
        row = conn.execute(_TAKE, {"count": count}).first()
        if row is not None:
            return row[0] - count + 1
        if _insert_counter(conn, count):
            return 1
    raise RuntimeError("the changes counter row could not be created")


def write(conn, live, left=(), replaced=()):
    """Record changes; call it last in the writing transaction.

    ``live``: (type, id, area_id, owner_id) of records whose new state devices must pull;
    ``left``: (type, id, area_id, owner_id, new_area_id) of records that left ``area_id``
    (a tombstone is written for it); ``replaced``: ids in ``live`` that may already have a
    live row (updates), so it is removed first.
    """
    live, left, replaced = list(live), list(left), list(replaced)
    if not live and not left:
        return
    # Row-level work on existing change rows first, the counter after: a writer holding the
    # counter never waits for another writer's row lock (no lock cycle, no deadlock).
    for start in range(0, len(replaced), _CHUNK):
        conn.execute(delete(Change).where(Change.record_id.in_(replaced[start:start + _CHUNK]),
                                          Change.deleted.is_(False)))
    if left:
        conn.execute(
            delete(Change).where(Change.deleted.is_(True),
                                 Change.record_id == db.bindparam("rid"),
                                 Change.area_id.in_([db.bindparam("old"), db.bindparam("new")])),
            [{"rid": rid, "old": old, "new": new} for _k, rid, old, _o, new in left])
    first = take_seqs(conn, len(left) + len(live))
    rows = [{"seq": first + n, "record_type": kind, "record_id": rid, "area_id": area,
             "owner_id": owner, "deleted": True}
            for n, (kind, rid, area, owner, _new) in enumerate(left)]
    base = first + len(left)
    rows += [{"seq": base + n, "record_type": kind, "record_id": rid, "area_id": area,
              "owner_id": owner, "deleted": False}
             for n, (kind, rid, area, owner) in enumerate(live)]
    insert_rows(conn, Change.__table__, rows)


def last_seq(conn):
    """The highest change number ``conn`` sees (0 for an empty feed)."""
    return conn.execute(_LAST_SEQ).scalar() or 0


def touch(kind, ids):
    """Move the live rows of records whose server-owned fields changed to fresh numbers.

    The one way for a change of a server-owned field (a visit's review, a referral's status
    or assignee) to reach devices: whatever writes such a field calls ``touch`` with the
    records' type and ids, in the same transaction. A push's own writes go through
    ``write`` (syncserver/store.py); new records entered by the server (demo data,
    imports) through syncserver/bulk.py.

    Their ``version`` stays (a review never makes the device's next edit conflict). Call it
    as the last statement before ``db.session.commit()``: it takes the feed's counter.
    """
    ids = sorted(set(ids))
    if not ids:
        return
    conn = db.session.connection()
    found = []
    for start in range(0, len(ids), _CHUNK):
        found += conn.execute(
            delete(Change).where(Change.record_id.in_(ids[start:start + _CHUNK]),
                                 Change.deleted.is_(False))
            .returning(Change.record_type, Change.record_id, Change.area_id, Change.owner_id)).all()
    known = {row[1] for row in found}
    missing = [rid for rid in ids if rid not in known]
    if missing:  # a record that never had a live row (made before the feed existed)
        from ..records.types import RECORD_MODELS

        model = RECORD_MODELS[kind]
        found += [(kind, rid, area, owner) for rid, area, owner in conn.execute(
            select(model.id, model.area_id, model.created_by_id).where(model.id.in_(missing)))]
    write(conn, [tuple(row) for row in found])


# -- reading -------------------------------------------------------------------------------

def visible(change, role, by_area=False):
    """SQL condition: may a user of ``role`` see change row ``change`` (docs/protocol.md §12).

    The user's areas and id are bound as ``areas`` and ``uid`` (see ``scope_params``), so
    the statements are built once per role and reused. ``area_id + 0`` keeps the planner
    off the (area_id, seq) index where a query walks the feed in ``seq`` order (a page for
    a caller with many areas) or goes by record id (a tombstone's "still seen?" check);
    ``by_area`` leaves it on, for reads that want each area's own range.
    """
    column = change.area_id if by_area else change.area_id + 0
    return and_(column.in_(bindparam("areas", expanding=True)), _role_rule(change, role))


def _role_rule(change, role):
    """The part of ``visible`` that is not the area: what the role reads in its areas, from
    rules/access.py's ROLE_RULES (the table ``Scope.sees_record`` answers from)."""
    read = ROLE_RULES.get(role, NO_RULES).read
    area = [kind for kind, reach in read.items() if reach == AREA]
    own = [kind for kind, reach in read.items() if reach == OWN]
    if len(area) == len(RECORD_TYPES):
        return true()
    terms = [_type_in(change, area)] if area else []
    if own:
        mine = change.owner_id == bindparam("uid")
        # The feed holds only RECORD_TYPES: when the rest are all OWN, naming them adds
        # nothing (and the statement stays the one the planner always had).
        terms.append(mine if len(area) + len(own) == len(RECORD_TYPES)
                     else and_(_type_in(change, own), mine))
    return or_(*terms) if terms else false()


def _type_in(change, kinds):
    return change.record_type == kinds[0] if len(kinds) == 1 else change.record_type.in_(kinds)


def scope_params(scope):
    return {"areas": sorted(scope.area_ids), "uid": scope.user_id}


#: Callers with at most this many areas (a collector's commune and its villages) read a
#: page area by area; callers with more (supervisors, admins) see most of the feed anyway
#: and read it in ``seq`` order.
AREA_PAGES_UP_TO = 32


def _page_rows(c, role):
    """Conditions every page row meets: visible, and a tombstone only for callers who no
    longer see the record at all."""
    live = aliased(Change)
    still_seen = exists().where(live.record_id == c.record_id, live.deleted.is_(False),
                                visible(live, role))
    return (c.seq > bindparam("after"), _role_rule(c, role),
            or_(c.deleted.is_(False), ~still_seen))


@cache
def _page_query(role):
    """A page in ``seq`` order over the whole feed (callers with many areas)."""
    c = aliased(Change)
    area = (c.area_id + 0).in_(bindparam("areas", expanding=True))
    return (select(c.seq, c.record_type, c.record_id, c.deleted)
            .where(area, *_page_rows(c, role))
            .order_by(c.seq).limit(bindparam("limit")))


@cache
def _area_page_query(role, areas):
    """A page for a caller with ``areas`` areas (bound as ``area0`` ...): the first
    ``limit`` visible changes of each area after ``after``, each read in order from the
    (area_id, seq) index, merged, and the first ``limit`` of those. The work per page is
    bounded by the caller's areas times ``limit``, whatever the rest of the feed holds; in
    seq order over the whole feed, a commune's first pull walked every other commune's
    changes too.
    """
    parts = []
    for n in range(areas):
        c = aliased(Change)
        part = (select(c.seq, c.record_type, c.record_id, c.deleted)
                .where(c.area_id == bindparam(f"area{n}"), *_page_rows(c, role))
                .order_by(c.seq).limit(bindparam("limit")).subquery())
        parts.append(select(part))
    merged = union_all(*parts).subquery() if areas > 1 else parts[0].subquery()
    return select(merged).order_by(merged.c.seq).limit(bindparam("limit"))


@cache
def _records_query(role, kind):
    from .shapes import live_query

    c = aliased(Change)
    rows = (select(c.record_id).where(
        c.seq > bindparam("after"), c.seq <= bindparam("through"), c.record_type == kind,
        c.deleted.is_(False), visible(c, role, by_area=True)).subquery())
    return live_query(kind, rows)


class PullFeed:
    """sync.merge.Feed for one caller, read inside one snapshot (see syncserver/service.py)."""

    def __init__(self, conn, scope, shaper, params=None):
        self.conn, self.scope, self.shaper = conn, scope, shaper
        self.params = params or scope_params(scope)

    def changes_after(self, seq, limit):
        areas = self.params["areas"]
        params = {**self.params, "after": seq, "limit": limit}
        if 0 < len(areas) <= AREA_PAGES_UP_TO:
            query = _area_page_query(self.scope.role, len(areas))
            params.update((f"area{n}", area) for n, area in enumerate(areas))
        else:
            query = _page_query(self.scope.role)
        rows = self.conn.execute(query, params).all()
        return [tuple(row) for row in rows]

    def high_water(self):
        return last_seq(self.conn)

    def records(self, wanted, after=None, through=None):
        """The page's live records by type, joined to their change rows in the page's
        range (after, through]; tombstoned ids (rare) by id."""
        from .shapes import collect, fetch

        if after is None:
            return fetch(self.conn, self.shaper, wanted)
        out = {}
        for kind, ids in wanted.items():
            query = _records_query(self.scope.role, kind)
            found = collect(self.conn.execute(
                query, {**self.params, "after": after, "through": through}).all(),
                getattr(self.shaper, kind))
            out.update(found)
            missing = [rid for rid in ids if rid not in found]
            if missing:
                out.update(fetch(self.conn, self.shaper, {kind: missing}))
        return out
