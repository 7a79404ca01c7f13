"""The supervisor's review of synced visits: approve, send back with a note, and what the
collector changed since a send-back.

The review is a server-owned field of visits (records/types.py, ``server.review`` in the
pull). Writing it never bumps a visit's ``version`` (the collector's next edit of the visit
must not conflict with a review); devices learn of it because the change feed row of each
reviewed visit is moved to a fresh number with ``feed.touch``, the last statement before
commit. Every decision writes one audit entry per visit (action ``review``) whose before and
after are the review as the pull shows it, so the log reads like the phone's data.

The earlier values shown as "what changed since the send-back" come from the audit log too:
each accepted push writes the visit's data as it left it (``create`` / ``update`` entries),
so the data the supervisor saw when sending back is the last such entry before the
``review`` entry that flagged it.
"""
from sqlalchemy import select, update

from ..db import fastrows
from ..extensions import db
from ..models import AuditEntry, User, Visit
from ..models.base import utcnow
from . import audit

#: Decision (the form's button) -> review status.
DECISIONS = {"approve": "approved", "send_back": "flagged"}
NOTE_MAX = 1000
_CHUNK = 500


class ReviewError(ValueError):
    """A decision that cannot be stored; ``field`` names the form field at fault."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field, self.message = field, message


class NotInScope(LookupError):
    """A visit that does not exist or lies outside the reviewer's areas (answered 404)."""


def clean_note(decision, note):
    """The note to store, or ReviewError: sending back needs one, approving may have one."""
    from flask_babel import gettext as _

    if decision not in DECISIONS:
        raise ReviewError("decision", _("Choose approve or send back."))
    note = "".join(ch for ch in (note or "") if ch.isprintable() or ch in "\n\t").strip()
    if decision == "send_back" and not note:
        raise ReviewError("note", _("Note: write what the collector must correct."))
    if len(note) > NOTE_MAX:
        raise ReviewError("note", _("Note: at most %(num)s characters.", num=NOTE_MAX))
    return note or None


def review(scope, reviewer, ids, decision, note=None):
    """Store ``decision`` for the visits ``ids`` (all in ``scope``'s areas, else NotInScope)
    with ``note``; audit each and touch the feed. Returns how many visits were reviewed.

    The caller commits. Visits already in the asked state are written again (a second
    approval keeps the latest reviewer and time) so the audit log holds each action."""
    note = clean_note(decision, note)
    status = DECISIONS[decision]
    ids = sorted(set(ids))
    if not ids:
        return 0
    conn = db.session.connection()
    areas = set(scope.area_ids)
    rows = []
    for start in range(0, len(ids), _CHUNK):
        rows += conn.execute(
            select(Visit.id, Visit.area_id, Visit.review_status, Visit.review_note,
                   User.username, Visit.reviewed_at)
            .outerjoin(User, User.id == Visit.reviewed_by_id)
            .where(Visit.id.in_(ids[start:start + _CHUNK]))).all()
    if len(rows) != len(ids) or any(row.area_id not in areas for row in rows):
        raise NotInScope()
    now = utcnow()
    after = {"review": {"status": status, "note": note, "by": reviewer.username,
                        "at": _iso(now)}}
    entries = [{"action": "review", "entity": "visit", "entity_id": row.id,
                "before": {"review": {"status": row.review_status, "note": row.review_note,
                                      "by": row.username, "at": _iso(row.reviewed_at)}},
                "after": after, "user_id": reviewer.id, "at": now, "area_id": row.area_id}
               for row in rows]
    for start in range(0, len(ids), _CHUNK):
        conn.execute(update(Visit).where(Visit.id.in_(ids[start:start + _CHUNK]))
                     .values(review_status=status, review_note=note,
                             reviewed_by_id=reviewer.id, reviewed_at=now))
    fastrows.run(conn, audit.prepare_many(conn, entries))
    from ..syncserver.feed import touch

    touch("visit", ids)
    return len(ids)


def _iso(value):
    return None if value is None else value.isoformat()


def since_send_back(visit_id, current):
    """What the collector changed since the visit was last sent back, or None.

    ``current``: the visit's data as the pull shows it now. Returns {"note", "at", "by",
    "changes": [(field, before, after)]} when the visit was sent back and edited after
    that; None when it never was, or was not edited since."""
    entries = db.session.execute(
        select(AuditEntry.id, AuditEntry.action, AuditEntry.after, AuditEntry.at,
               AuditEntry.user_id)
        .where(AuditEntry.entity == "visit", AuditEntry.entity_id == visit_id,
               AuditEntry.action.in_(("create", "update", "review")))
        .order_by(AuditEntry.id)).all()
    flagged = None
    for n, entry in enumerate(entries):
        if entry.action == "review" and (entry.after or {}).get("review", {}).get("status") == "flagged":
            flagged = n
    if flagged is None:
        return None
    seen = next((e.after for e in reversed(entries[:flagged]) if e.action in ("create", "update")),
                None)
    edited = any(e.action == "update" for e in entries[flagged + 1:])
    if seen is None or not edited:
        return None
    review = entries[flagged].after["review"]
    changes = [(field, seen.get(field), value) for field, value in current.items()
               if seen.get(field) != value]
    return {"note": review.get("note"), "by": review.get("by"), "at": entries[flagged].at,
            "changes": changes}
