"""The sync merge (docs/protocol.md, docs/records.md): judging a pushed batch, and cutting a pull page.

(Longer than our usual module: the judging rules and the change feed's proof of
completeness are one contract and read best in one place.)

Pure logic: it imports neither Flask nor fieldapp. The server hands it a ``validator`` (the
WTForms record forms) and a ``store`` (the models); tests can hand it dictionaries.

Push, in two steps so the expensive part runs outside the database's write lock:

1. ``prepare(records, validator)`` reads the envelope of every record (id, type, version,
   data), hashes ``[type, data]`` for idempotency and validates ``data`` with the forms.
   Records the caller says are probably already stored (``trusted`` id/hash pairs read
   before the transaction) are not validated yet: a retried batch costs almost nothing.
2. ``judge(items, store, validator)`` runs inside the writing transaction. Each record is
   judged in this order (docs/protocol.md): ``duplicate`` (the id already holds exactly this type
   and data and the caller may see it), ``rejected`` (envelope, form, references, then the
   store's rules: areas, scope, premiums, uniqueness), ``conflict`` (stale base version),
   ``accepted``. The same id twice is judged in order, the second against the state the
   first left. A reference (``household``, ``person``, ``visit``, ``referral``) may name a
   record stored already or one anywhere in the batch, earlier or later: the referenced
   record's occurrences are judged first, on demand. A reference is refused when nothing
   of that type exists with that id (or the caller may not see it), or when every
   occurrence of it in the batch was rejected. References point from a type only to types
   before it in ``protocol.RECORD_TYPES`` (enrollment -> visit -> referral -> household,
   enrollment -> person -> household), so judging on demand can never go round in a
   circle; a guard turns a circle a broken client could still build into a rejection.
   ``judge`` writes nothing: it returns the accepted records (``Judgement.writes``, a
   ``Write`` list), which the caller stores all or none in its writing transaction (the
   server's store builds the rows with ``plan`` and stores them with ``write``; on SQLite
   the server judges in a read snapshot before the write lock and judges again under it
   when anything it read has changed, fieldapp/syncserver/service.py).

The change feed, and why a reader following cursors never skips a change
------------------------------------------------------------------------
Every synced record has exactly one *live* row in ``changes`` (record id, type, area,
owner, ``seq``). Each accepted write, and each change of a server-owned field (a review,
a referral's status, an area that follows its household), gives that row a new ``seq``;
so a record sits in the feed once, at its latest version, and "changed n times after a
cursor" means "appears at most n times, the last at its latest version". When a record
leaves an area (a household moves village), a *tombstone* row (``deleted``) is written
for the area it left, so whoever saw it only through that area is told to drop it; a
tombstone is hidden from callers who still see the live row, and a page keeps only the
last row of a record, so no record is ever twice in one page.

Sequence numbers come from one ``counters`` row ('changes'). The writing transaction does
all its other work first (records, audit, removing the live rows it replaces), then as its
LAST statements runs
``UPDATE counters SET value = value + n WHERE name = 'changes' RETURNING value`` and
inserts its change rows with the numbers ``value - n + 1 .. value``, then commits. The
UPDATE takes that row's lock and holds it until COMMIT, so while one writer holds numbers
no other writer can take any: on PostgreSQL the second writer's UPDATE waits and then
reads the committed value; on SQLite writers are serialised by the database lock anyway.
Numbers are therefore handed out in commit order: when a reader's snapshot holds a row
with number s, every transaction that will ever commit later gets numbers above s
(PostgreSQL makes a commit visible before it releases the transaction's locks). A reader
that pages by ``seq > cursor`` in one snapshot and moves its cursor to the last number it
was given — or, on the last page, to the highest number in its snapshot — can therefore
never step over a change that commits later. What PostgreSQL's plain sequences cannot
give (a transaction that took number 7 committing after one that took number 8 was
already read) cannot happen here. A cursor stays valid: asking again with it replays the
same changes (or newer versions of them). Because the counter is touched last, its lock
is held only for the few statements that write change rows.

Jumping to the highest number on the last page is safe because a row's visibility never
changes while it keeps its number: it depends on the row's own type, area, owner and
``deleted`` flag, which are only ever written with a fresh number. The one outside input,
"does the caller still see the live row?" (which hides a tombstone), changes only when the
live row moves; that move writes a new tombstone, at a new number, for the area just left,
which is exactly what the callers who saw the record there need.

Pull: ``pull_page(feed, after, limit)`` asks the feed for the visible change rows after a
position, keeps the last row of each record, fetches the records' data and server fields
per type, and says where the next page starts.
"""
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from . import protocol as P

# Messages (English msgids; the server translates them through its catalogs).
M_NOT_OBJECT = "A record must be a JSON object with an id, a type, a version and data."
M_BAD_ID = "The id must be a UUID, e.g. 0f8fad5b-d9cb-469f-a165-70867728950e."
M_BAD_TYPE = "Unknown record type."
M_OTHER_TYPE = "This id already belongs to a record of another type."
M_BAD_VERSION = "The version must be a whole number: 0 for a new record."
M_NO_RECORD = "This record is not on the server: send it with version 0 to create it."
M_DATA_OBJECT = "The record's data must be a JSON object."
M_BAD_TEXT = "The text contains characters that cannot be stored."
M_NOT_PERMITTED = "You may not change this record."
M_UNKNOWN_REF = "No such record on the server or in this batch."
M_REJECTED_REF = "This record was rejected in the same batch."
M_CIRCULAR = "These records point at each other in a circle."


def _plain(msgid, **params):
    return msgid % params if params else msgid


@dataclass(slots=True, eq=False)
class Item:
    """One pushed record, as read by ``prepare``."""

    index: int
    given_id: Any = None           # echoed in the result as sent
    id: str | None = None          # canonical lowercase; None when not a UUID
    type: Any = None
    version: Any = None
    data: Any = None
    client_time: datetime | None = None
    hash: str | None = None
    problem: dict | None = None    # envelope errors (id, data shape, characters)
    cleaned: dict | None = None    # the form's values (dates, ints, ...) once valid
    errors: dict | None = None     # form errors; None while not validated


@dataclass(slots=True)
class State:
    """What an id holds: on the server, or after an accepted write earlier in the batch."""

    type: str
    version: int
    content_hash: str
    area_id: Any = None
    owner_id: Any = None
    visible: bool = True
    facts: dict = field(default_factory=dict)  # what the store derived (area, amounts, ...)


@dataclass(slots=True, eq=False)
class Write:
    """An accepted record: ``prior`` is the state it replaced (None when new)."""

    item: Item
    prior: State | None
    state: State


class Store(Protocol):
    """What ``judge`` calls on the database side, and all it calls: reading states, the rules
    that need other records, and being told of each acceptance. Reading ahead and writing
    are the caller's business, outside this protocol (fieldapp/syncserver/store.py
    implements it; fieldapp/syncserver/service.py also calls its ``prefetch``, ``plan``,
    ``write`` and ``current``)."""

    def lookup(self, wanted: Mapping[str, set]) -> dict:
        """{id: State} for those of ``wanted`` ({type: ids}) that exist, whatever their real
        type; ``visible`` says whether the caller may see each one."""

    def check(self, item: Item, prior: State | None, refs: Mapping[str, State]) -> tuple:
        """The rules that need other records or the caller: (errors by field, facts).

        ``refs`` maps each reference field to the referenced record's state. ``facts``
        of an acceptable record hold at least ``area_id`` and ``owner_id``."""

    def accepted(self, write: Write) -> None:
        """Told of each accepted write in judging order (e.g. to keep uniqueness maps)."""


class Feed(Protocol):
    """What ``pull_page`` needs: the caller's view of the change feed."""

    def changes_after(self, seq: int, limit: int) -> list:
        """Up to ``limit`` rows (seq, type, id, deleted) the caller may see, seq > ``seq``,
        in seq order, all from one snapshot."""

    def high_water(self) -> int:
        """The highest seq in that snapshot (0 when the feed is empty)."""

    def records(self, wanted: Mapping[str, list], after: int, through: int) -> dict:
        """{id: {"version", "data", "server"}} of those records that exist; ``wanted``
        ({type: ids}) are the page's records, its rows lie in the range (after, through]."""


def _parse_time(value):
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None and 2000 <= parsed.year <= 2100 else None


def _unstorable(value):
    """True when a string in ``value`` holds NUL or a lone surrogate (no database keeps them)."""
    if isinstance(value, str):
        if "\x00" in value:
            return True
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return True
        return False
    if isinstance(value, list):
        return any(_unstorable(v) for v in value)
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    return False


def prepare(records, validator, trusted=frozenset(), text=_plain):
    """Read and validate each record of a batch (no database needed): a list of ``Item``.

    ``validator(type, data) -> (cleaned, errors)``. ``trusted`` holds (id, hash) pairs that
    are probably stored already; their validation waits until ``judge`` knows it is needed.
    """
    items = []
    for index, raw in enumerate(records):
        item = Item(index)
        items.append(item)
        if not isinstance(raw, dict):
            item.problem = {"id": [text(M_NOT_OBJECT)]}
            continue
        item.given_id = raw.get("id")
        item.type, item.version, item.data = raw.get("type"), raw.get("version"), raw.get("data")
        item.client_time = _parse_time(raw.get("client_time"))
        if not isinstance(item.given_id, str) or not P.UUID_RE.match(item.given_id):
            item.problem = {"id": [text(M_BAD_ID)]}
            continue
        item.id = item.given_id.lower()
        if item.type not in P.RECORD_TYPES:
            continue
        if not isinstance(item.data, dict):
            item.problem = {"_": [text(M_DATA_OBJECT)]}
            continue
        try:
            canonical = P.canonical_json([item.type, item.data])
            item.hash = hashlib.sha256(canonical.encode("ascii")).hexdigest()
            bad = None
            # Canonical JSON is ASCII: NUL and surrogates show as escapes. Only then look
            # for the field that holds them (an emoji is a valid surrogate pair).
            if "\\u0000" in canonical or "\\ud" in canonical:
                bad = [k for k, v in item.data.items() if _unstorable(k) or _unstorable(v)]
        except (RecursionError, ValueError, TypeError):
            item.problem = {"_": [text(M_DATA_OBJECT)]}
            continue
        if bad:
            item.problem = {(k if isinstance(k, str) and not _unstorable(k) else "_"): [text(M_BAD_TEXT)]
                            for k in bad}
            continue
        if (item.id, item.hash) not in trusted:
            _validate(item, validator, text)
    return items


def _validate(item, validator, text):
    try:
        item.cleaned, item.errors = validator(item.type, item.data)
    except RecursionError:
        item.cleaned, item.errors = None, {"_": [text(M_DATA_OBJECT)]}
    item.errors = item.errors or {}


class _Circle(Exception):
    pass


@dataclass
class Judgement:
    """``results`` in batch order; ``writes`` in judging order; ``conflicts`` as
    (result index, id) pairs whose ``current`` the caller fills once the writes are done."""

    results: list
    writes: list
    conflicts: list


def judge(items, store, validator, text=_plain):
    """Judge every prepared item against ``store``: a ``Judgement``."""
    return _Judge(items, store, validator, text).run()


class _Judge:
    def __init__(self, items, store, validator, text):
        self.items, self.store, self.validator, self.text = items, store, validator, text
        self.results = [None] * len(items)
        self.busy = set()
        self.occurrences = {}
        for item in items:
            if item.id is not None:
                self.occurrences.setdefault(item.id, []).append(item.index)
        self.stored = {}   # id -> State | None, from the store
        self.now = {}      # id -> State after the accepted occurrences judged so far
        self.writes, self.conflicts = [], []

    # -- store access -------------------------------------------------------------------
    def _fetch(self, wanted):
        wanted = {t: {i for i in ids if i not in self.stored} for t, ids in wanted.items()}
        wanted = {t: ids for t, ids in wanted.items() if ids}
        if not wanted:
            return
        found = self.store.lookup(wanted)
        for ids in wanted.values():
            for rid in ids:
                self.stored[rid] = found.get(rid)

    def _stored(self, rid, type_hint):
        if rid not in self.stored:
            self._fetch({type_hint: {rid}})
        return self.stored[rid]

    def _state(self, rid, type_hint):
        return self.now[rid] if rid in self.now else self._stored(rid, type_hint)

    def run(self):
        wanted = {}
        for item in self.items:
            if item.id is None:
                continue
            kind = item.type if item.type in P.RECORD_TYPES else P.RECORD_TYPES[0]
            wanted.setdefault(kind, set()).add(item.id)
            if item.cleaned:
                for name, target_type in P.REFERENCES[kind].items():
                    target = item.cleaned.get(name)
                    if target:
                        wanted.setdefault(target_type, set()).add(target)
        self._fetch(wanted)
        for index in range(len(self.items)):
            try:
                self._judge(index)
            except _Circle:
                if self.results[index] is None:
                    self._reject(self.items[index], None, {"_": [self.text(M_CIRCULAR)]})
        return Judgement(self.results, self.writes, self.conflicts)

    # -- outcomes -----------------------------------------------------------------------
    def _result(self, item, status, version, **extra):
        self.results[item.index] = {"id": item.given_id, "status": status, "version": version,
                                    **extra}

    def _reject(self, item, prior, errors):
        self._result(item, P.REJECTED, prior.version if prior else 0, errors=errors)

    def _judge(self, index):
        if self.results[index] is not None:
            return
        if index in self.busy:
            raise _Circle()
        self.busy.add(index)
        try:
            self._judge_one(self.items[index])
        finally:
            self.busy.discard(index)

    def _judge_one(self, item):
        if item.id is None:
            return self._reject(item, None, item.problem)
        for earlier in self.occurrences[item.id]:
            if earlier >= item.index:
                break
            self._judge(earlier)
        known_type = item.type in P.RECORD_TYPES
        prior = self._state(item.id, item.type if known_type else P.RECORD_TYPES[0])
        if not known_type:
            return self._reject(item, prior, {"type": [self.text(M_BAD_TYPE)]})
        if item.problem:
            return self._reject(item, prior, item.problem)
        if (prior is not None and prior.type == item.type and prior.visible
                and prior.content_hash == item.hash):
            return self._result(item, P.DUPLICATE, prior.version)
        if prior is not None and prior.type != item.type:
            return self._reject(item, prior, {"type": [self.text(M_OTHER_TYPE)]})
        if prior is not None and not prior.visible:
            return self._reject(item, prior, {"_": [self.text(M_NOT_PERMITTED)]})
        version = item.version
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            return self._reject(item, prior, {"version": [self.text(M_BAD_VERSION)]})
        if prior is None and version != 0:
            return self._reject(item, prior, {"version": [self.text(M_NO_RECORD)]})
        if item.errors is None:
            _validate(item, self.validator, self.text)
        if item.errors:
            return self._reject(item, prior, item.errors)
        refs, errors = {}, {}
        for name, target_type in P.REFERENCES[item.type].items():
            target = item.cleaned.get(name)
            if target:
                state, message = self._resolve(target, target_type)
                if message:
                    errors[name] = [self.text(message)]
                else:
                    refs[name] = state
        if errors:
            return self._reject(item, prior, errors)
        errors, facts = self.store.check(item, prior, refs)
        if errors:
            return self._reject(item, prior, errors)
        if prior is not None and version != prior.version:
            self.conflicts.append((item.index, item.id))
            return self._result(item, P.CONFLICT, prior.version, current=None)
        state = State(item.type, prior.version + 1 if prior else 1, item.hash,
                      facts.get("area_id"), facts.get("owner_id"), True, facts)
        self.now[item.id] = state
        write = Write(item, prior, state)
        self.writes.append(write)
        self.store.accepted(write)
        self._result(item, P.ACCEPTED, state.version)

    def _resolve(self, target, target_type):
        """(state, None) when ``target`` is a usable ``target_type`` record, else (None, msgid)."""
        stored = self._stored(target, target_type)
        occurrences = self.occurrences.get(target)
        if occurrences:
            if stored is not None and stored.type != target_type:
                return None, M_UNKNOWN_REF
            same = [k for k in occurrences if self.items[k].type == target_type]
            if stored is None and len(same) != len(occurrences):
                return None, M_UNKNOWN_REF
            try:
                for k in same:
                    self._judge(k)
            except _Circle:
                return None, M_CIRCULAR
            if same and all(self.results[k]["status"] == P.REJECTED for k in same):
                return None, M_REJECTED_REF
        final = self.now.get(target, stored)
        if final is None or final.type != target_type or not final.visible:
            return None, M_UNKNOWN_REF
        return final, None


@dataclass
class Page:
    changes: list
    cursor: int
    more: bool


def pull_page(feed, after, limit):
    """The changes after position ``after`` the caller may see, at most ``limit`` of them."""
    rows = feed.changes_after(after, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    last_of = {row[2]: pos for pos, row in enumerate(rows)}
    page = [row for pos, row in enumerate(rows) if last_of[row[2]] == pos]
    wanted = {}
    for _seq, kind, rid, _deleted in page:
        wanted.setdefault(kind, []).append(rid)
    found = feed.records(wanted, after, rows[-1][0]) if wanted else {}
    changes = []
    for _seq, kind, rid, deleted in page:
        record = found.get(rid)
        if deleted or record is None:
            changes.append({"id": rid, "type": kind, "version": record["version"] if record else 0,
                            "deleted": True, "data": None, "server": {}})
        else:
            changes.append({"id": rid, "type": kind, "version": record["version"],
                            "deleted": False, "data": record["data"], "server": record["server"]})
    cursor = rows[-1][0] if rows else after
    if not more:
        cursor = max(cursor, feed.high_water())
    return Page(changes, cursor, more)
