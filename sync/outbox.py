"""The sync client's local store: one SQLite file, kept through sqlite-utils.

Tables:
- ``outbox``: records not yet receipted by the server, in the order they were queued. A record
  leaves only when the server's receipt says ``accepted`` or ``duplicate``; a ``rejected`` or
  ``conflict`` receipt keeps it, marked ``needs_attention`` with the errors or the server copy.
- ``receipts``: what the server accepted (id, type, version, a hash of what was sent), so a
  record queued again unchanged is known to be synced, and an edit is sent on the right base
  version.
- ``records``: what pulls brought down, ONE generic table (id, type, version, data JSON, server
  JSON) rather than a table per type: the protocol grows by adding types and fields, and this
  client relays and uploads rather than querying fields, so a generic table never needs a
  migration and keeps every field the server sends, also ones this client does not know yet.
  SQLite's json_extract (or ``sqlite-utils query``) still reaches any field.
- ``state``: key -> JSON value: the server URL, the device token and id, the user, the pull
  cursor, the times of the last push and pull.

Everything that must change together changes in one transaction (``db.atomic()``): a batch's
receipts, and a pull page with the cursor that follows it. The file holds the device token, so
it is created readable by its owner only.
"""
import hashlib
import json
import os
import sqlite3
import uuid
from datetime import UTC, datetime

import sqlite_utils

from .protocol import ACCEPTED, CONFLICT, DUPLICATE, REJECTED, STATUSES

SCHEMA_VERSION = 1

WAITING = "waiting"
NEEDS_ATTENTION = "needs_attention"

#: Namespace for ids made from a record's content (see ``normalize``).
CONTENT_NAMESPACE = uuid.UUID("6f1c8a52-4d0e-4b8e-9a57-0c2d3e4f5a61")

RECORD_KEYS = ("type", "data", "id", "version", "client_time")


def canonical_json(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(rtype, data):
    return hashlib.sha256(canonical_json([rtype, data]).encode()).hexdigest()


def canonical_id(value):
    """The id in the protocol's canonical form (lower case), or ValueError."""
    if not isinstance(value, str) or len(value) != 36:
        raise ValueError("'id' must be a UUID like 3f2a9c1e-8b7d-4e6f-a1b2-c3d4e5f60718")
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        raise ValueError("'id' must be a UUID like 3f2a9c1e-8b7d-4e6f-a1b2-c3d4e5f60718") from None
    if str(parsed) != value.lower():
        raise ValueError("'id' must be a UUID in its 36-character form with dashes")
    return value.lower()


def now_iso():
    return datetime.now(UTC).astimezone().isoformat(timespec="seconds")


def normalize(record, known_types=None):
    """Check one record as a device would queue it and fill in what the caller left out.

    A record without an id gets one made from its type and data (a name-based UUID): the same
    record queued twice, for instance a file of records typed from paper enqueued again after
    a fix, keeps its id, so it is never stored twice on the server. Give records an explicit
    id when other records refer to them or when you mean to edit them later.
    Raises ValueError with a sentence naming the problem.
    """
    if not isinstance(record, dict):
        raise ValueError("a record must be a JSON object")
    unknown = sorted(set(record) - set(RECORD_KEYS))
    if unknown:
        raise ValueError(f"unknown key '{unknown[0]}' (allowed: {', '.join(RECORD_KEYS)})")
    rtype = record.get("type")
    if not isinstance(rtype, str) or not rtype:
        raise ValueError("'type' is required (a string such as \"household\")")
    if known_types is not None and rtype not in known_types:
        raise ValueError(f"unknown type '{rtype}' (one of {', '.join(known_types)})")
    data = record.get("data")
    if not isinstance(data, dict):
        raise ValueError("'data' is required and must be a JSON object")
    rid = record.get("id")
    rid = canonical_id(rid) if rid is not None else str(
        uuid.uuid5(CONTENT_NAMESPACE, canonical_json([rtype, data])))
    version = record.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)
                                or version < 0):
        raise ValueError("'version' must be a whole number, 0 or more")
    client_time = record.get("client_time")
    if client_time is not None:
        try:
            parsed = datetime.fromisoformat(client_time) if isinstance(client_time, str) else None
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            raise ValueError("'client_time' must be an ISO 8601 time with an offset, "
                             "e.g. 2026-11-25T09:30:00+07:00")
    return {"id": rid, "type": rtype, "version": version, "data": data,
            "client_time": client_time}


class LocalStore:
    """The outbox file, used by one thread at a time (make one instance per thread)."""

    def __init__(self, path):
        self.path = str(path)
        if self.path != ":memory:" and not os.path.exists(self.path):
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        # One thread at a time, but not necessarily the one that opened it (a push in a
        # background thread of a program that made the client in its main thread).
        self.db = sqlite_utils.Database(sqlite3.connect(self.path, check_same_thread=False))
        self.db.execute("PRAGMA busy_timeout=10000")
        if self.path != ":memory:":
            # WAL: a commit appends to one file (a rollback journal creates, syncs and deletes
            # one per transaction), and `python -m sync status` can read during a push.
            # synchronous stays FULL: a receipt or a queued record survives a power cut.
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
        self._create_tables()

    def close(self):
        self.db.close()

    def _create_tables(self):
        """Create the tables once; PRAGMA user_version records that (and future changes)."""
        db = self.db
        if db.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        with db.atomic():
            db["outbox"].create(
                {"seq": int, "id": str, "type": str, "version": int, "client_time": str,
                 "data": str, "state": str, "status": str, "errors": str, "current": str,
                 "server_version": int, "attempts": int, "last_error": str, "source": str,
                 "queued_at": str},
                pk="seq", not_null={"id", "type", "data", "state"},
                defaults={"state": WAITING, "attempts": 0}, if_not_exists=True)
            db["outbox"].create_index(["id"], unique=True, if_not_exists=True)
            db["outbox"].create_index(["state", "seq"], if_not_exists=True)
            db["receipts"].create(
                {"id": str, "type": str, "version": int, "status": str, "hash": str,
                 "source": str, "received_at": str},
                pk="id", if_not_exists=True)
            db["records"].create(
                {"id": str, "type": str, "version": int, "data": str, "server": str,
                 "pulled_at": str},
                pk="id", if_not_exists=True)
            db["records"].create_index(["type"], if_not_exists=True)
            db["state"].create({"key": str, "value": str}, pk="key", if_not_exists=True)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # -- state ------------------------------------------------------------------------------

    def get(self, key, default=None):
        row = self.db.execute("SELECT value FROM state WHERE key = ?", [key]).fetchone()
        return json.loads(row[0]) if row else default

    def set(self, **values):
        with self.db.atomic():
            self._set(values)

    def _set(self, values):
        for key, value in values.items():
            if value is None:
                self.db.execute("DELETE FROM state WHERE key = ?", [key])
            else:
                self.db.execute("INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)",
                                [key, json.dumps(value)])

    # -- outbox -----------------------------------------------------------------------------

    def enqueue(self, records, known_types=None):
        """Queue records (dicts as in ``normalize``, plus an optional ``source`` to name them
        in reports, e.g. "visits.jsonl line 12"); returns counts and the ids in order.

        An id already in the outbox is not queued twice: the newer content replaces the old
        (an edit made before it was sent, "replaced") and a record that needed attention waits
        again ("requeued", e.g. after fixing a line that a rejected record referred to). A
        record whose receipt shows the same content was already synced and is skipped. All or
        nothing: one invalid record queues none.
        """
        items = []
        for r in records:
            source = r.get("source") if isinstance(r, dict) else None
            if isinstance(r, dict) and "source" in r:
                r = {k: v for k, v in r.items() if k != "source"}
            items.append(dict(normalize(r, known_types), source=source))
        counts = {"queued": 0, "replaced": 0, "requeued": 0, "unchanged": 0, "synced": 0}
        with self.db.atomic():
            for item in items:
                counts[self._enqueue_one(item)] += 1
        counts["ids"] = [item["id"] for item in items]
        return counts

    def _enqueue_one(self, item):
        db = self.db
        data_json = canonical_json(item["data"])
        digest = content_hash(item["type"], item["data"])
        receipt = db.execute("SELECT version, hash FROM receipts WHERE id = ?",
                             [item["id"]]).fetchone()
        version = item["version"]
        if version is None:
            # An edit of a record this device already synced starts from the version it got.
            pulled = db.execute("SELECT version FROM records WHERE id = ?",
                                [item["id"]]).fetchone()
            version = receipt[0] if receipt else pulled[0] if pulled else 0
        existing = db.execute("SELECT seq, type, version, data, state FROM outbox WHERE id = ?",
                              [item["id"]]).fetchone()
        if existing is None and receipt and receipt[1] == digest:
            return "synced"
        row = {"id": item["id"], "type": item["type"], "version": version, "data": data_json,
               "client_time": item["client_time"] or now_iso(), "state": WAITING,
               "status": None, "errors": None, "current": None, "server_version": None,
               "attempts": 0, "last_error": None, "source": item["source"],
               "queued_at": now_iso()}
        if existing is None:
            # Plain SQL: a file of 100,000 lines is queued in seconds, not minutes.
            db.execute(f"INSERT INTO outbox ({', '.join(row)}) VALUES "
                       f"({', '.join('?' * len(row))})", list(row.values()))
            return "queued"
        seq, old_type, old_version, old_data, state = existing
        if (state == WAITING and old_type == item["type"] and old_data == data_json
                and old_version == version):
            return "unchanged"
        row.pop("queued_at")
        db["outbox"].update(seq, row)
        return "requeued" if state == NEEDS_ATTENTION else "replaced"

    def next_batch(self, limit, max_bytes):
        """The oldest waiting records, at most ``limit`` and about ``max_bytes`` of JSON.

        Queue order is kept so a record referring to another queued earlier is sent in the
        same batch or a later one.
        """
        rows = self.db.execute(
            "SELECT seq, id, type, version, client_time, data, source FROM outbox "
            "WHERE state = ? ORDER BY seq LIMIT ?", [WAITING, limit]).fetchall()
        batch, size = [], 0
        for seq, rid, rtype, version, client_time, data, source in rows:
            size += len(data.encode()) + len(rid) + 120
            if batch and size > max_bytes:
                break
            record = {"id": rid, "type": rtype, "version": version, "data": json.loads(data)}
            if client_time:
                record["client_time"] = client_time
            batch.append({"seq": seq, "record": record, "source": source})
        return batch

    def note_attempt(self, batch, error=None):
        """Count a send of these records and remember why it failed, if it did."""
        if not batch:
            return
        with self.db.atomic():
            self.db.conn.executemany(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ?",
                [(error, item["seq"]) for item in batch])

    def apply_receipts(self, batch, results, received_at):
        """Record the server's answer to one batch, in one transaction; returns the statuses."""
        if not isinstance(results, list) or len(results) != len(batch):
            raise ValueError("the server answered a different number of results than records")
        for item, result in zip(batch, results):
            if (not isinstance(result, dict)
                    or str(result.get("id", "")).lower() != item["record"]["id"]
                    or result.get("status") not in STATUSES):
                raise ValueError(f"the server's result for {item['record']['id']} is not a receipt")
        # Plain SQL and one statement per kind of change: a receipt costs microseconds, so
        # a laptop relaying a hundred phones spends its time on the network, not here.
        seqs = [item["seq"] for item in batch]
        rows = {seq: (version, data) for seq, version, data in self.db.execute(
            f"SELECT seq, version, data FROM outbox WHERE seq IN ({', '.join('?' * len(seqs))})",
            seqs)}
        deletes, rebases, receipts, holds = [], [], [], []
        for item, result in zip(batch, results):
            record, status, seq = item["record"], result["status"], item["seq"]
            row = rows.get(seq)
            # Queued again with new content while this batch was on the wire (another
            # process): the receipt is for the old content, so the new one stays, based on
            # the version the old content got.
            edited = row is None or row != (record["version"], canonical_json(record["data"]))
            if status in (ACCEPTED, DUPLICATE):
                receipts.append((record["id"], record["type"], result.get("version"), status,
                                 content_hash(record["type"], record["data"]), item["source"],
                                 received_at))
                if not edited:
                    deletes.append((seq,))
                elif row is not None and row[0] == record["version"]:
                    rebases.append((result.get("version"), seq))
            elif not edited:
                errors, current = result.get("errors"), result.get("current")
                message = (describe_errors(errors) if status == REJECTED else
                           f"the server has version {result.get('version')}, "
                           f"this record was based on version {record['version']}")
                holds.append((NEEDS_ATTENTION, status,
                               json.dumps(errors) if errors is not None else None,
                               json.dumps(current) if current is not None else None,
                               result.get("version"), message, seq))
        conn = self.db.conn
        with self.db.atomic():
            conn.executemany("DELETE FROM outbox WHERE seq = ?", deletes)
            conn.executemany("UPDATE outbox SET version = ? WHERE seq = ?", rebases)
            conn.executemany("INSERT OR REPLACE INTO receipts (id, type, version, status, hash, "
                             "source, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)", receipts)
            conn.executemany("UPDATE outbox SET state = ?, status = ?, errors = ?, current = ?, "
                             "server_version = ?, last_error = ? WHERE seq = ?", holds)
        return [result["status"] for result in results]

    def hold(self, item, status, message):
        """Set one record aside as needing attention without a server receipt (too large)."""
        with self.db.atomic():
            self.db.execute(
                "UPDATE outbox SET state = ?, status = ?, errors = ?, last_error = ? "
                "WHERE seq = ?",
                [NEEDS_ATTENTION, status, json.dumps({"_": [message]}), message, item["seq"]])

    def discard(self, ids=None):
        """Drop records needing attention (all, or those of ``ids``); returns how many.

        Dropping a change of a record the server holds puts the server's copy back in place
        of what this device knew: a conflict's ``current`` is stored as the pulled copy (and
        as the version the next edit is based on); a record the server refused because this
        device may no longer see it (rejected with ``_`` only, on an edit) leaves the pulled
        records and the receipts, as the next pull would remove it.
        """
        with self.db.atomic():
            if ids is None:
                rows = self.db.execute(
                    "SELECT seq, id, type, version, status, errors, current FROM outbox "
                    "WHERE state = ?", [NEEDS_ATTENTION]).fetchall()
            else:
                wanted = sorted({str(i).lower() for i in ids})
                rows = self.db.execute(
                    "SELECT seq, id, type, version, status, errors, current FROM outbox "
                    f"WHERE state = ? AND id IN ({', '.join('?' * len(wanted))})",
                    [NEEDS_ATTENTION, *wanted]).fetchall() if wanted else []
            for _seq, rid, rtype, version, status, errors, current in rows:
                self._restore_server_copy(rid, rtype, version, status, errors, current)
            self.db.conn.executemany("DELETE FROM outbox WHERE seq = ?", [(r[0],) for r in rows])
            return len(rows)

    def _restore_server_copy(self, rid, rtype, version, status, errors, current):
        current = json.loads(current) if current else None
        if status == CONFLICT and isinstance(current, dict) and not current.get("deleted"):
            data = current.get("data")
            self.db.execute(
                "INSERT OR REPLACE INTO records (id, type, version, data, server, pulled_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [rid, rtype, current.get("version"), json.dumps(data, ensure_ascii=False),
                 json.dumps(current.get("server"), ensure_ascii=False), now_iso()])
            self.db.execute("UPDATE receipts SET version = ?, hash = ? WHERE id = ?",
                            [current.get("version"), content_hash(rtype, data), rid])
        elif (status == CONFLICT and current) or (
                status == REJECTED and version and list(json.loads(errors or "{}")) == ["_"]):
            # Deleted on the server, or no longer this device's to see.
            self.db.execute("DELETE FROM records WHERE id = ?", [rid])
            self.db.execute("DELETE FROM receipts WHERE id = ?", [rid])

    def attention(self, limit=None):
        sql = ("SELECT id, type, status, errors, current, server_version, source, last_error "
               "FROM outbox WHERE state = ? ORDER BY seq")
        params = [NEEDS_ATTENTION]
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self.db.execute(sql, params).fetchall()
        return [{"id": r[0], "type": r[1], "status": r[2],
                 "errors": json.loads(r[3]) if r[3] else None,
                 "current": json.loads(r[4]) if r[4] else None, "server_version": r[5],
                 "source": r[6], "message": r[7]} for r in rows]

    def counts(self):
        out = {WAITING: 0, NEEDS_ATTENTION: 0}
        for state, n in self.db.execute("SELECT state, count(*) FROM outbox GROUP BY state"):
            out[state] = n
        out["receipts"] = self.db.execute("SELECT count(*) FROM receipts").fetchone()[0]
        out["records"] = dict(self.db.execute(
            "SELECT type, count(*) FROM records GROUP BY type ORDER BY type").fetchall())
        return out

    def depth(self):
        """Records not yet safely on the server (waiting or needing attention)."""
        return self.db.execute("SELECT count(*) FROM outbox").fetchone()[0]

    # -- pulled records ---------------------------------------------------------------------

    def save_page(self, changes, cursor, pulled_at, reset=False):
        """Store one pull page and the cursor after it together, or neither.

        Saving both in one transaction means a crash between pages resumes from the last page
        stored, never after a page that was lost. ``reset``: the page starts the feed again
        (the server says the user's areas changed), so the pulled records held so far go
        first, in the same transaction.
        """
        upserts, deletes = [], []
        for change in changes:
            rid = str(change["id"]).lower()
            if change.get("deleted"):
                deletes.append((rid,))
            else:
                upserts.append((rid, change["type"], change.get("version"),
                                json.dumps(change.get("data"), ensure_ascii=False),
                                json.dumps(change.get("server"), ensure_ascii=False), pulled_at))
        with self.db.atomic():
            if reset:
                self.db.execute("DELETE FROM records")
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO records (id, type, version, data, server, pulled_at) "
                "VALUES (?, ?, ?, ?, ?, ?)", upserts)
            self.db.conn.executemany("DELETE FROM records WHERE id = ?", deletes)
            self._set({"cursor": cursor, "last_pull_at": pulled_at})
        return len(upserts), len(deletes)

    def forget_pulled(self):
        """Drop pulled records and the cursor (another user paired: their scope differs)."""
        with self.db.atomic():
            self.db.execute("DELETE FROM records")
            self._set({"cursor": None})


def describe_errors(errors):
    """``{"amount_due": ["expected 792000"]}`` -> ``amount_due: expected 792000``."""
    if not errors:
        return "no reason given"
    if not isinstance(errors, dict):
        return str(errors)
    parts = []
    for field, messages in errors.items():
        if not isinstance(messages, list):
            messages = [messages]
        text = "; ".join(str(m) for m in messages)
        parts.append(text if field == "_" else f"{field}: {text}")
    return "; ".join(parts)
