"""A referral's server-owned status follows the work done on it (docs/protocol.md, referrals).

Village heads point collectors to people; this module makes sure the pointing reaches
someone and that the village head hears what came of it:

* **routing**: a new referral goes at once to the one collector who covers its village
  (assigned to the village or an area above it); with none or several it stays ``new`` for
  the supervisor's referral page. A referral recorded by a collector is theirs.
* **the work**: a visit naming the referral makes it ``visited``; an enrollment naming that
  visit, or any enrollment for the visit's household within ``ENROLL_WINDOW`` of it, makes
  it ``enrolled``; a collector's push with a ``close_reason`` closes it (and a collector's
  push without one opens it again; a village head's edit leaves it closed).
* **the desk**: a supervisor assigns or reassigns it (``assign``).

Every step keeps its date (``assigned_at`` ...) and an audit entry. The push calls
``settle`` inside its writing transaction, before the change feed is written, and adds the
referrals it changed to the feed; ``assign`` calls feed.touch, so devices pull the new
state without a version change.
"""
from datetime import timedelta

from sqlalchemy import bindparam, or_, select, update

from sync.protocol import REFERRAL_STATUSES

from ..models import Enrollment, Person, Referral, User, Visit, user_areas
from ..rules.access import ancestor_ids

#: An enrollment for the household this close to a visit naming a referral counts for it.
ENROLL_WINDOW = timedelta(days=30)
#: Statuses a referral leaves when the work moves it on (enrolled wins even over closed:
#: the person joined, whatever the collector wrote before).
_BEFORE_VISIT = REFERRAL_STATUSES[:2]
_BEFORE_ENROLL = tuple(s for s in REFERRAL_STATUSES if s != "enrolled")
_CHUNK = 500


class AssignError(ValueError):
    """A supervisor's assignment that cannot be made (the field and the reason's key)."""


def covering_collectors(conn, area_id):
    """Ids of the active collectors who cover ``area_id`` (assigned to it or above it)."""
    areas = {area_id} | ancestor_ids([area_id])
    rows = conn.execute(
        select(User.id).join(user_areas, user_areas.c.user_id == User.id)
        .where(user_areas.c.area_id.in_(sorted(areas)), User.role == "collector",
               User.active.is_(True)).distinct())
    return sorted(row[0] for row in rows)


_STATE = (Referral.id, Referral.status, Referral.assigned_to_id, Referral.close_reason,
          Referral.visited_at, Referral.area_id, Referral.created_by_id)
# Built once, with an expanding list of ids (cheaper for SQLAlchemy than a SELECT per call).
_IDS = bindparam("ids", expanding=True)
_STATE_OF = select(*_STATE).where(Referral.id.in_(_IDS))
# An empty expanding list matches nothing, so one statement serves every chunk.
_ANSWERABLE = (select(Visit.id, Visit.referral_id, Visit.household_id, Visit.visited_at)
               .where(Visit.referral_id.is_not(None),
                      or_(Visit.id.in_(bindparam("named", expanding=True)),
                          Visit.household_id.in_(bindparam("homes", expanding=True)))))
_HOME_SIGNUPS = (select(Enrollment.visit_id, Enrollment.client_time, Enrollment.received_at,
                        Person.household_id)
                 .join(Person, Person.id == Enrollment.person_id)
                 .where(or_(Enrollment.visit_id.in_(bindparam("visits", expanding=True)),
                            Person.household_id.in_(bindparam("homes", expanding=True)))))
_ENROLLED_HOMES = (select(Enrollment.visit_id, Person.household_id)
                   .join(Person, Person.id == Enrollment.person_id)
                   .where(Enrollment.id.in_(_IDS)))


def _load(conn, ids, state):
    """Add to ``state`` ({id: {column: value}}) the referrals of ``ids`` not in it yet, with
    what the status steps need."""
    ids = sorted(set(ids) - state.keys())
    for start in range(0, len(ids), _CHUNK):
        for row in conn.execute(_STATE_OF, {"ids": ids[start:start + _CHUNK]}):
            state[row.id] = row._asdict()


def _set(changes, pending, row, values, now, user_id):
    """Note ``values`` for referral ``row`` (written by ``_write``), apply them to ``row`` so
    the next step reads them, and note the change for the audit log."""
    changes.append({"action": "referral_status", "entity": "referral", "entity_id": row["id"],
                    "before": {"status": row["status"], "assigned_to_id": row["assigned_to_id"]},
                    "after": {k: (v.isoformat() if hasattr(v, "isoformat") else v)
                              for k, v in values.items()},
                    "user_id": user_id, "at": now, "area_id": row["area_id"]})
    row.update(values)
    pending.setdefault(row["id"], {}).update(values)


def _write(conn, pending):
    """One UPDATE per set of columns changed, each with every referral it changes."""
    groups = {}
    for rid, values in sorted(pending.items()):
        groups.setdefault(tuple(sorted(values)), []).append({"rid": rid, **values})
    for columns, rows in groups.items():
        conn.execute(update(Referral.__table__)
                     .where(Referral.__table__.c.id == bindparam("rid"))
                     .values({c: bindparam(c) for c in columns}), rows)


def settle(conn, work, now, user_id, role):
    """Route, close and move on the referrals a push touched; the audit rows of the changes.

    ``work``: {"new": referral ids created, "written": referral ids written (created or
    updated), "visits": visit ids written, "enrollments": enrollment ids written}. Returns
    (audit rows, {referral id: (area_id, owner_id)} of every referral changed here).
    The referrals are read once and each step sees the steps before it; what changed is
    written at the end, a statement per set of columns rather than one per referral.
    """
    audits, touched, pending, state = [], {}, {}, {}
    _load(conn, work["written"], state)
    for rid in sorted(work["new"]):
        row = state[rid]
        if role == "collector":
            assignee = user_id
        else:
            found = covering_collectors(conn, row["area_id"])
            assignee = found[0] if len(found) == 1 else None
        if assignee is not None:
            _set(audits, pending, row, {"status": "assigned", "assigned_to_id": assignee,
                                        "assigned_at": now}, now, user_id)
            touched[rid] = (row["area_id"], row["created_by_id"])
    for rid in sorted(work["written"]):
        row = state[rid]
        if row["close_reason"] and row["status"] not in ("closed", "enrolled"):
            _set(audits, pending, row, {"status": "closed", "closed_at": now}, now, user_id)
        elif not row["close_reason"] and row["status"] == "closed" and role == "collector":
            reopened = ("visited" if row["visited_at"] else
                        "assigned" if row["assigned_to_id"] else "new")
            _set(audits, pending, row, {"status": reopened, "closed_at": None}, now, user_id)
        else:
            continue
        touched[rid] = (row["area_id"], row["created_by_id"])
    done = _work_done(conn, work["visits"], work["enrollments"])
    _load(conn, done, state)
    for rid, status in done.items():
        row = state[rid]
        if status == "enrolled" and row["status"] in _BEFORE_ENROLL:
            values = {"status": "enrolled", "enrolled_at": now}
            if row["visited_at"] is None:
                values["visited_at"] = now
        elif status == "visited" and row["status"] in _BEFORE_VISIT:
            values = {"status": "visited", "visited_at": now}
        else:
            continue
        _set(audits, pending, row, values, now, user_id)
        touched[rid] = (row["area_id"], row["created_by_id"])
    _write(conn, pending)
    return audits, touched


def _work_done(conn, visit_ids, enrollment_ids):
    """{referral id: "visited" | "enrolled"} for the referrals named by the visits written, or
    by visits that the enrollments written answer (by naming the visit, or by the household
    within ``ENROLL_WINDOW`` of it)."""
    visit_ids, enrollment_ids = sorted(visit_ids), sorted(enrollment_ids)
    households = set()
    named_visits = set(visit_ids)
    for start in range(0, len(enrollment_ids), _CHUNK):
        for visit_id, household_id in conn.execute(
                _ENROLLED_HOMES, {"ids": enrollment_ids[start:start + _CHUNK]}):
            households.add(household_id)
            if visit_id:
                named_visits.add(visit_id)
    if not named_visits and not households:
        return {}
    # The visits that name a referral and that this push's work may answer.
    visits = []
    named, homes = sorted(named_visits), sorted(households)
    for start in range(0, max(len(named), len(homes)), _CHUNK):
        visits += conn.execute(_ANSWERABLE, {"named": named[start:start + _CHUNK],
                                             "homes": homes[start:start + _CHUNK]}).all()
    if not visits:
        return {}
    out = {v.referral_id: "visited" for v in visits}
    by_id = {v.id: v for v in visits}
    homes = sorted({v.household_id for v in visits})
    for start in range(0, len(homes), _CHUNK):
        rows = conn.execute(_HOME_SIGNUPS, {"visits": sorted(by_id),
                                            "homes": homes[start:start + _CHUNK]}).all()
        for visit_id, client_time, received_at, household_id in rows:
            if visit_id in by_id:
                out[by_id[visit_id].referral_id] = "enrolled"
            when = client_time or received_at
            for v in visits:
                if v.household_id == household_id and abs(when - v.visited_at) <= ENROLL_WINDOW:
                    out[v.referral_id] = "enrolled"
    return out


def assign(session, referral, collector, by_user, now):
    """A supervisor assigns (or reassigns) an open referral to ``collector``; the caller has
    checked that the supervisor reaches the referral's area. Writes the audit entry and
    touches the feed (last), so both the new and the old assignee's devices pull it."""
    from ..rules import audit
    from .feed import touch

    if referral.status in ("enrolled", "closed"):
        raise AssignError("status")
    if collector is None or collector.role != "collector" or not collector.active \
            or collector.id not in covering_collectors(session.connection(), referral.area_id):
        raise AssignError("collector")
    before = {"status": referral.status, "assigned_to_id": referral.assigned_to_id}
    if referral.assigned_to_id == collector.id:
        return False
    referral.assigned_to_id = collector.id
    referral.assigned_at = now
    if referral.status == "new":
        referral.status = "assigned"
    audit.record("referral_assign", "referral", referral.id, before=before,
                 after={"status": referral.status, "assigned_to_id": collector.id},
                 user_id=by_user.id, area_id=referral.area_id)
    session.flush()
    touch("referral", [referral.id])
    return True
