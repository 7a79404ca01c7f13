"""Bulk insertion of synced records made on the server (demo data, imports).

Devices learn about records only through the change feed (docs/protocol.md), so a household
imported from a spreadsheet must get its live ``Change`` row exactly as if a collector had
pushed it; the rows are written by the push's own feed writer (syncserver/feed.py), last in
the writing transaction. ``content_hash`` stays empty: it only lets a device's exact retry
of its own push count as a duplicate, and these records were never pushed. (A server-owned
field of a record already stored changes through ``feed.touch`` instead.) Like the rest of
syncserver/, it needs no request and never imports the sync API's views.
"""
import uuid

from sqlalchemy import insert

from sync import ids

from ..extensions import db
from ..models.base import utcnow
from ..records.types import RECORD_MODELS

_TYPE_OF = {model: name for name, model in RECORD_MODELS.items()}


def new_id(rng=None):
    """A new record id: time-ordered (UUID version 7, sync/ids.py) like the ones devices make,
    so an import's records append to the id indexes (issue #16); from ``rng`` (a
    random.Random) a random version-4 id, for demo data whose ids must repeat."""
    if rng is None:
        return ids.new_id()
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def register_changes(entries):
    """Add live change-feed rows for new records: ``entries`` are (type, id, area_id, owner_id).

    Call it last in the writing transaction, after the records themselves are inserted; the
    numbering is the sync API's own (syncserver/feed.py). New sign-ups and payments update
    their payers' state inputs first (syncserver/payerchains.py), as a push does.
    """
    from . import feed, payerchains

    conn = db.session.connection()
    payerchains.follow(conn, entries)
    feed.write(conn, entries)


def insert_records(model, rows, chunk=5000):
    """Insert new synced records of one model (dicts with at least id, area_id).

    Fills the server-side columns (version 1, received/updated now) where missing and
    returns the (type, id, area_id, owner_id) entries for ``register_changes``.
    """
    now = utcnow()
    for row in rows:
        row.setdefault("version", 1)
        row.setdefault("received_at", now)
        row.setdefault("updated_at", now)
        row.setdefault("content_hash", "")
    for start in range(0, len(rows), chunk):
        db.session.execute(insert(model), rows[start:start + chunk])
    kind = _TYPE_OF[model]
    return [(kind, r["id"], r["area_id"], r.get("created_by_id")) for r in rows]
