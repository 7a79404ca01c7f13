"""Writing the audit log. Every create, update and delete of a business record calls here."""
from datetime import date, datetime

from ..extensions import db
from ..models import AuditEntry
from ..models.base import utcnow


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def values_of(obj, fields=None):
    """A JSON-safe dict of a model instance's columns (for ``before`` / ``after``)."""
    if obj is None:
        return None
    cols = fields or [c.key for c in obj.__table__.columns]
    return {c: _plain(getattr(obj, c)) for c in cols if c not in ("password_hash", "token_hash")}


def record(action, entity, entity_id, before=None, after=None, user_id=None, area_id=None):
    """Add one entry to the current transaction (it commits or rolls back with the change).

    ``area_id``: the area of what the entry touches; admins read only the entries of the
    areas they reach, and an entry without one only admins of the whole country
    (admin/audit_views.py). Pass it whenever the entity has an area."""
    db.session.add(AuditEntry(action=action, entity=entity, entity_id=str(entity_id),
                              before=before, after=after, user_id=user_id, at=utcnow(),
                              area_id=area_id))


def prepare_many(conn, rows):
    """Bulk form for the sync push: the statement (fastrows.prepare; ``rows`` are dicts with
    the same AuditEntry columns) that the caller runs in its writing transaction with
    ``fastrows.run``; each row carries the ``area_id`` of its record. Built apart from
    running so the push can build it before the write lock; rows go to the driver in one go
    (the ORM's bulk insert cost more than the database's own work on a 500-record push)."""
    from ..db.fastrows import prepare

    now = utcnow()
    for row in rows:
        row.setdefault("at", now)
        row.setdefault("area_id", None)
    return prepare(conn, AuditEntry.__table__, rows)


def sign_in(ok, username, user=None, *, via, address, device=None, device_name=None):
    """One sign-in attempt, successful or failed, on the web (``via="web"``) or by pairing.

    Entity ``sign_in`` (apart from ``user``, the changes of user records): the entry's
    ``entity_id`` and ``user_id`` are the user's id when the username names one (whose
    account was used or tried), else ``entity_id`` is the username tried and no user.
    ``after`` holds the username as typed, the client address, and for a pairing the device
    (its id once paired, the name it gave). Attempts refused by the rate limit (429) are not
    written: the limit already bounds what one address can make the log hold.
    """
    typed = "".join(ch for ch in (username or "") if ch.isprintable())[:64]  # no NUL in PG
    after = {"username": typed, "address": address or "", "via": via}
    if device is not None:
        after["device"] = device
    if device_name is not None:
        after["device_name"] = device_name[:100]
    record("sign_in" if ok else "sign_in_failed", "sign_in",
           user.id if user is not None else typed, after=after,
           user_id=user.id if user is not None else None)
