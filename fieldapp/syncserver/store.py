"""sync.merge.Store over the models: what the pure merge cannot know by itself.

Inside one writing transaction it reads the stored state of a batch's ids (bulk, one SELECT
per type), hands each record to the rules that need the database or the caller
(syncserver/checks.py: areas, scope, personal IDs unique, premiums recomputed), and writes
the accepted records with Core executemany: record rows, audit entries, the device
heartbeat, areas that follow a moved household, and finally the change feed (feed.write
takes the counter last). syncserver/service.py calls ``prefetch``, then ``sync.merge.judge``
(``lookup``, ``check``, ``accepted``), ``plan`` and ``write``, and ``current`` for
conflicts.
"""
from collections import namedtuple

from sqlalchemy import bindparam, select, text, update

from sync import protocol as P
from sync.merge import State

from ..db import fastrows
from ..models import Change, Device, Enrollment, Payment, Person, Task
from ..models.base import utcnow
from ..records.types import RECORD_MODELS as MODELS
from ..records.types import TYPES
from ..rules import audit
from ..rules.masking import mask_id, reveals_ids
from . import checks, feed, payerchains, referrals
from .shapes import ROW_NAMES, fetch, shaper_for

_Plan = namedtuple("_Plan", "now statements live left replaced moved referrals paid")
#: What a payment needs of its enrollment (syncserver/checks.py payment_matches, receipts).
_Enrolled = namedtuple("_Enrolled", "scheme amount_due household_id")
_CHUNK = 500
#: Where the area's code goes in a row of ROW_NAMES, for the types that name it.
_AREA_AT = {kind: names.index("area") for kind, names in ROW_NAMES.items() if "area" in names}

# The batch's reads, built once with an expanding ``:ids`` list: a SELECT built per call
# coerced each of its up to 500 ids and worked out its cache key again, which cost SQLAlchemy
# two to three times the database's own work (bench/push_cpu).
_IDS = bindparam("ids", expanding=True)
_STATES = {kind: select(model.id, model.version, model.content_hash, model.area_id,
                        model.created_by_id).where(model.id.in_(_IDS))
           for kind, model in MODELS.items()}
# On PostgreSQL, what the batch reads is locked until COMMIT, in id order: a concurrent push
# of the same record waits and then judges against this one's outcome.
_STATES_LOCKED = {kind: query.order_by(MODELS[kind].id).with_for_update()
                  for kind, query in _STATES.items()}
_LIVE = select(Change.record_id, Change.record_type).where(Change.record_id.in_(_IDS),
                                                            Change.deleted.is_(False))
_PARTICIPANTS = select(Person.id, Person.birth_date, Person.coverage,
                       Person.household_id).where(Person.id.in_(_IDS))
_HOUSEHOLD_SIGNUPS = (select(Enrollment.id, Enrollment.person_id, Person.household_id,
                             Enrollment.scheme, Enrollment.start_month, Enrollment.period_months,
                             Enrollment.received_at, Enrollment.member_order)
                      .join(Person, Person.id == Enrollment.person_id)
                      .where(Person.household_id.in_(_IDS)))
_PID_HOLDERS = select(Person.personal_id, Person.id, Person.area_id).where(
    Person.personal_id.in_(_IDS))
_RECEIPTS = (select(Payment.receipt_no, Payment.id, Enrollment.scheme, Person.household_id,
                    Payment.paid_on)
             .join(Enrollment, Enrollment.id == Payment.enrollment_id)
             .join(Person, Person.id == Enrollment.person_id)
             .where(Payment.receipt_no.in_(_IDS)))
_CHANGED_AFTER = select(Change.record_id, Change.record_type).where(Change.seq > bindparam("mark"))
_ENROLLMENTS = Enrollment.__table__
_MARK_PAID = (update(_ENROLLMENTS).where(_ENROLLMENTS.c.id == bindparam("eid"))
              .values(paid=True, receipt_no=bindparam("receipt")))
_ENROLLMENT_FEED = select(_ENROLLMENTS.c.id, _ENROLLMENTS.c.area_id,
                          _ENROLLMENTS.c.created_by_id).where(_ENROLLMENTS.c.id.in_(_IDS))
_RECEIPTS_NO_ORG = _RECEIPTS.where(Payment.organization_id.is_(None))
_RECEIPTS_OF_ORG = _RECEIPTS.where(Payment.organization_id == bindparam("org"))


def _made_key(received_at, member_order, rid):
    """Orders stored sign-ups by when they were first made: the time the server first
    received them; members of one batch (one time) by the places they were accepted with.
    Sign-ups of the batch being judged come after every stored one: (1, position, id)."""
    return (0, received_at.isoformat() if received_at else "", member_order or 0, rid)


class SqlStore:
    """One caller's view of the database while a batch is judged and written."""

    def __init__(self, conn, user, device_id, scope, areas, shaper, book_loader):
        self.conn, self.user, self.device_id = conn, user, device_id
        self.user_id = user.id
        self.scope, self.areas, self.shaper = scope, areas, shaper
        self._book_loader, self._book = book_loader, None
        self.is_pg = conn.dialect.name == "postgresql"
        self.pid_holders = {}  # personal_id -> {person id: area id}
        self.read_ids = set()  # every record id whose stored state was read (changed_since)
        self.pid_of = {}       # person id -> personal_id, for persons written in this batch
        self.probes = []       # audit rows: personal IDs refused as held outside the areas
        # Sign-up rules (checks.py 6-11): persons and enrollments accepted earlier in the batch,
        # and the households / persons whose enrollments were read (changed_since).
        self.batch_persons = {}      # person id -> checks.Participant
        self.batch_enrollments = {}  # enrollment id -> (checks.Other, household id, row dict)
        self.signup_households, self.signup_persons = set(), set()
        self.signup_pending = None   # (id, entry) of the enrollment checked last
        self.participants = {}       # person id -> checks.Participant, as stored
        self.household_signups = {}  # household id -> {enrollment id: checks.Other}, stored
        self.batch_household = {}   # person id -> household id, persons accepted in the batch
        self.batch_enrolled = {}    # enrollment id -> _Enrolled, accepted in the batch
        self.receipts = {}          # (organization id, receipt no) -> {payment id: ReceiptUse}
        self.receipt_of = {}        # payment id -> its key in ``receipts`` (batch writes)

    # -- reading ------------------------------------------------------------------------
    def _states(self, kind, ids):
        query = (_STATES_LOCKED if self.is_pg else _STATES)[kind]
        ids = sorted(ids)
        out = {}
        for start in range(0, len(ids), _CHUNK):
            for rid, version, digest, area_id, owner_id in self.conn.execute(
                    query, {"ids": ids[start:start + _CHUNK]}):
                seen = self.scope.sees_record(kind, checks.Owned(area_id, owner_id))
                out[rid] = State(kind, version, digest, area_id, owner_id, seen)
        return out

    def lookup(self, wanted):
        """The stored states of the wanted ids, whatever type each is stored as.

        Every stored record has exactly one live change row (syncserver/feed.py), so one look at
        the feed tells which ids exist and as what; only those are read (and on PostgreSQL
        locked) in their tables. A batch of new records costs one statement.
        """
        every = sorted({rid for ids in wanted.values() for rid in ids})
        self.read_ids.update(every)
        stored = {}
        for start in range(0, len(every), _CHUNK):
            for rid, kind in self.conn.execute(_LIVE, {"ids": every[start:start + _CHUNK]}):
                if kind in MODELS:
                    stored.setdefault(kind, set()).add(rid)
        out = {}
        for kind, ids in stored.items():
            out.update(self._states(kind, ids))
        return out

    def prefetch(self, items):
        """Read ahead what ``check`` will need for the whole batch (personal IDs, receipts),
        and on PostgreSQL lock the receipt numbers, then the sign-ups' households and persons
        (``_lock_signups``)."""
        numbers = sorted({item.cleaned["receipt_no"] for item in items
                          if item.type == "payment" and item.cleaned})
        if numbers and self.is_pg:
            # Two collectors of one organization writing the same receipt number at once:
            # the second waits for the first to commit, then sees it.
            org = self.user.organization_id
            self.conn.execute(text(
                "SELECT count(pg_advisory_xact_lock(hashtext(p))) "
                "FROM (SELECT unnest(CAST(:keys AS text[])) AS p ORDER BY 1) AS s"),
                {"keys": sorted(f"receipt:{org}:{number}" for number in numbers)})
        self._prefetch_receipts(numbers)
        pids = sorted({item.cleaned["personal_id"] for item in items
                       if item.type == "person" and item.cleaned
                       and item.cleaned.get("personal_id")})
        self._prefetch_pids(pids)
        self._prefetch_signups(items)

    def _prefetch_signups(self, items):
        """The sign-up rules' reads for the whole batch, a few statements in all: the
        participants, then every enrollment of their households.

        On PostgreSQL, between the two, a lock per household and per person (in a fixed
        order, after the personal-ID locks): two phones signing up members of one household
        (or periods of one person) at once, the second waits until the first commits and
        then reads its enrollment (the member place, overlaps, the support cap)."""
        persons = sorted({item.cleaned["person"] for item in items
                          if item.type == "enrollment" and item.cleaned
                          and item.cleaned.get("person")})
        if not persons:
            return
        households = {item.cleaned["household"] for item in items
                      if item.type == "person" and item.id in set(persons) and item.cleaned}
        for start in range(0, len(persons), _CHUNK):
            for pid, born, coverage, household in self.conn.execute(
                    _PARTICIPANTS, {"ids": persons[start:start + _CHUNK]}):
                self.participants[pid] = checks.Participant(born, coverage, household)
                households.add(household)
        if self.is_pg:
            keys = sorted({f"signup-h:{h}" for h in households}
                          | {f"signup-p:{p}" for p in persons})
            self.conn.execute(text(
                "SELECT count(pg_advisory_xact_lock(hashtext(k))) "
                "FROM (SELECT unnest(CAST(:keys AS text[])) AS k ORDER BY 1) AS s"), {"keys": keys})
        self._load_households(sorted(households))

    def _load_households(self, households):
        """Every stored enrollment of ``households`` into ``household_signups``."""
        for household in households:
            self.household_signups.setdefault(household, {})
        for start in range(0, len(households), _CHUNK):
            for oid, person_id, household, scheme, month, period, received, order in self.conn.execute(
                    _HOUSEHOLD_SIGNUPS, {"ids": households[start:start + _CHUNK]}):
                self.household_signups[household][oid] = checks.Other(
                    oid, person_id, scheme, month, period, _made_key(received, order, oid))

    def _prefetch_pids(self, pids):
        if not pids:
            return
        for pid in pids:
            self.pid_holders.setdefault(pid, {})
        if self.is_pg:
            # Two devices registering the same personal ID at once: the second waits for the
            # first to commit, then sees it (a per-ID lock, taken in a fixed order).
            self.conn.execute(text(
                "SELECT count(pg_advisory_xact_lock(hashtext(p))) "
                "FROM (SELECT unnest(CAST(:pids AS text[])) AS p ORDER BY 1) AS s"),
                {"pids": pids})
        for start in range(0, len(pids), _CHUNK):
            for pid, rid, area_id in self.conn.execute(
                    _PID_HOLDERS, {"ids": pids[start:start + _CHUNK]}):
                self.pid_holders.setdefault(pid, {})[rid] = area_id

    def _pid_holders(self, pid):
        if pid not in self.pid_holders:
            self.pid_holders[pid] = dict(self.conn.execute(
                select(Person.id, Person.area_id).where(Person.personal_id == pid)).all())
        return self.pid_holders[pid]

    def changed_since(self, mark):
        """Has a record this store read, or a holder of a personal ID it read, changed after
        change number ``mark``? (Every write of a synced record gives it a change row with a
        higher number: syncserver/feed.py.)"""
        rows = self.conn.execute(_CHANGED_AFTER, {"mark": mark}).all()
        if not rows:
            return False
        if any(rid in self.read_ids for rid, _kind in rows):
            return True
        if self._signups_changed([rid for rid, kind in rows if kind == "enrollment"]):
            return True
        if self._receipts_changed([rid for rid, kind in rows if kind == "payment"]):
            return True
        persons = sorted({rid for rid, kind in rows if kind == "person"})
        if not persons or not self.pid_holders:
            return False
        for start in range(0, len(persons), _CHUNK):
            for (pid,) in self.conn.execute(select(Person.personal_id)
                                            .where(Person.id.in_(persons[start:start + _CHUNK]))):
                if pid in self.pid_holders:
                    return True
        return False

    def _receipts_changed(self, payment_ids):
        """Did another push take one of the receipt numbers judged, or change a payment
        that held one? (Any payment written at all would make every batch with payments
        judged twice when two devices push at once.)"""
        if not payment_ids or not self.receipts:
            return False
        holders = {pid for held in self.receipts.values() for pid in held}
        if any(pid in holders for pid in payment_ids):
            return True
        for start in range(0, len(payment_ids), _CHUNK):
            for key in self.conn.execute(
                    select(Payment.organization_id, Payment.receipt_no)
                    .where(Payment.id.in_(payment_ids[start:start + _CHUNK]))):
                if tuple(key) in self.receipts:
                    return True
        return False

    def _signups_changed(self, enrollment_ids):
        """Did another push add or change an enrollment of a household or person whose
        sign-ups this store counted (member place, overlaps, the cap)?"""
        if not enrollment_ids or not (self.signup_households or self.signup_persons):
            return False
        for start in range(0, len(enrollment_ids), _CHUNK):
            for person_id, household_id in self.conn.execute(
                    select(Enrollment.person_id, Person.household_id)
                    .join(Person, Person.id == Enrollment.person_id)
                    .where(Enrollment.id.in_(enrollment_ids[start:start + _CHUNK]))):
                if person_id in self.signup_persons or household_id in self.signup_households:
                    return True
        return False

    @property
    def book(self):
        if self._book is None:
            self._book = self._book_loader()
        return self._book

    # -- rules --------------------------------------------------------------------------
    def check(self, item, prior, refs):
        """The cross-record rules of syncserver/checks.py, in their order: (errors, facts)."""
        kind, data = item.type, item.cleaned
        errors = checks.kind_allowed(self.scope, kind)
        if errors:
            return errors, None
        if kind in checks.CODED_TYPES:
            node = self.areas.by_code.get(data["area"])
            errors = checks.area_known(node) or checks.area_is_village(kind, node)
            if errors:
                return errors, None
            area_id = node.id
        elif kind in ("person", "visit", "task"):
            area_id = refs["household"].area_id
        elif kind == "payment":
            area_id = refs["enrollment"].area_id
        else:
            area_id = refs["person"].area_id
        errors = (checks.area_in_scope(self.scope, kind, area_id, prior)
                  or checks.closer_is_collector(self.scope, kind, data,
                                                self._close_reason(kind, data, prior, item.id)))
        if errors:
            return errors, None
        facts = {"area_id": area_id,
                 "owner_id": prior.owner_id if prior is not None else self.user_id}
        if kind == "person" and data.get("personal_id"):
            holders = self._pid_holders(data["personal_id"])
            errors = checks.personal_id_unique(self.scope, item.id, holders)
            if errors:
                if checks.held_elsewhere(self.scope, item.id, holders):
                    self._probe(item, data["personal_id"], area_id)
                return errors, None
        if kind == "enrollment":
            errors = self._check_signup(item, prior, area_id, facts)
            if errors:
                return errors, None
        if kind == "payment":
            errors = self._check_payment(item, facts)
            if errors:
                return errors, None
        if kind == "task":
            errors = checks.task_only_done(self._stored_task(item.id), data)
            if errors:
                return errors, None
        return {}, facts

    def _participant(self, person_id):
        if person_id in self.batch_persons:
            return self.batch_persons[person_id]
        if person_id not in self.participants:
            row = self.conn.execute(select(Person.birth_date, Person.coverage, Person.household_id)
                                    .where(Person.id == person_id)).first()
            self.participants[person_id] = checks.Participant(*row) if row else None
        return self.participants[person_id]

    def _stored_signup(self, rid):
        """The stored row of enrollment ``rid`` as a dict (with its ordering key), or None."""
        if rid in self.batch_enrollments:
            return self.batch_enrollments[rid][2]
        names = checks.AMOUNT_INPUTS + ("amount_due", "monthly_amount", "monthly_support",
                                        "policy_set_id", "kind", "made_month")
        row = self.conn.execute(select(*(getattr(Enrollment, n) for n in names),
                                       Enrollment.received_at, Enrollment.client_time)
                                .where(Enrollment.id == rid)).first()
        if row is None:
            return None
        out = dict(zip(names, row, strict=False))
        out["key"] = _made_key(row.received_at, out["member_order"], rid)
        if out["made_month"] is None:  # written before #14: the month it reached the server
            when = row.received_at or row.client_time
            out["made_month"] = when.astimezone(self.shaper.zone).strftime("%Y-%m") \
                if when is not None else None
        return out

    def _signups_of(self, household):
        """{id: checks.Other} of the household's enrollments, stored and accepted earlier in
        the batch (their latest version)."""
        if household not in self.household_signups:
            self._load_households([household])
        out = dict(self.household_signups[household])
        for other, other_household, _row in self.batch_enrollments.values():
            if other_household == household:
                out[other.id] = other
            else:
                out.pop(other.id, None)  # moved to another person in the batch
        return out

    def _check_signup(self, item, prior, area_id, facts):
        """The sign-up rules (checks.py 6-11) with what they read: the participant, the
        person's other enrollments, the household's HHI enrollments of the fiscal year."""
        data, rid = item.cleaned, item.id
        person_id = data["person"]
        participant = self._participant(person_id)
        stored = self._stored_signup(rid) if prior is not None else None
        if stored is not None and stored.get("made_month"):
            made = stored["made_month"]
        else:
            # The month on the phone's clock when it was made (its own offset).
            made = (item.client_time.strftime("%Y-%m") if item.client_time is not None
                    else utcnow().astimezone(self.shaper.zone).strftime("%Y-%m"))
        key = stored["key"] if stored is not None else (1, len(self.batch_enrollments), 0, rid)
        self.signup_persons.add(person_id)
        household = participant.household_id if participant is not None else None
        signups = self._signups_of(household) if household is not None else {}
        signups.pop(rid, None)  # an edit does not count itself
        mine = [o for o in signups.values() if o.person_id == person_id]
        errors = (checks.vsi_old_enough(data, participant)
                  or checks.vsi_not_compulsory(data, participant)
                  or checks.start_in_window(self.book, data, made)
                  or checks.vsi_no_overlap(data, mine))
        if errors:
            return errors
        if data["scheme"] == "hhi" and household is not None:
            self.signup_households.add(household)
            year = data["start_month"][:4]
            same = [o for o in signups.values()
                    if o.scheme == "hhi" and o.start_month[:4] == year]
            errors = checks.hhi_member_place(data, person_id, key, same)
            if errors:
                return errors
        errors = checks.premium_matches(self.book, data, self.areas.province_code(area_id),
                                        facts, stored, checks.supported_before(data, mine))
        if errors:
            return errors
        kept = stored is not None and stored.get("kind") and all(
            data.get(k) == stored.get(k) for k in checks.AMOUNT_INPUTS)
        facts.update(kind=stored["kind"] if kept else checks.signup_kind(data, mine),
                     made_month=made)
        self.signup_pending = (rid, (
            checks.Other(rid, person_id, data["scheme"], data["start_month"],
                         data["period_months"], key),
            household,
            {**{k: data.get(k) for k in checks.AMOUNT_INPUTS}, "amount_due": data["amount_due"],
             **{k: facts.get(k) for k in ("monthly_amount", "monthly_support", "policy_set_id",
                                          "kind", "made_month")}, "key": key}))
        return None

    def _close_reason(self, kind, data, prior, rid):
        """The stored ``close_reason`` of a referral a non-collector updates with one (rare:
        read only then)."""
        if kind != "referral" or prior is None or not data.get("close_reason") \
                or self.scope.role == "collector":
            return None
        from ..models import Referral

        return self.conn.execute(select(Referral.close_reason).where(Referral.id == rid)).scalar()

    # -- payments and tasks (#15) ---------------------------------------------------------
    def _household_of(self, person_id):
        if person_id in self.batch_household:
            return self.batch_household[person_id]
        return self.conn.execute(select(Person.household_id)
                                 .where(Person.id == person_id)).scalar()

    def _enrolled(self, enrollment_id):
        if enrollment_id in self.batch_enrolled:
            return self.batch_enrolled[enrollment_id]
        row = self.conn.execute(
            select(Enrollment.scheme, Enrollment.amount_due, Person.household_id)
            .join(Person, Person.id == Enrollment.person_id)
            .where(Enrollment.id == enrollment_id)).first()
        return _Enrolled(*row)

    def _receipt_rows(self, org, numbers):
        """The payments of organization ``org`` holding any of the receipt ``numbers``."""
        if org is None:
            return self.conn.execute(_RECEIPTS_NO_ORG, {"ids": numbers})
        return self.conn.execute(_RECEIPTS_OF_ORG, {"ids": numbers, "org": org})

    def _prefetch_receipts(self, numbers):
        """The holders of the batch's receipt numbers in the caller's organization, a statement
        per 500 numbers instead of one per payment."""
        org = self.user.organization_id
        for number in numbers:
            self.receipts.setdefault((org, number), {})
        for start in range(0, len(numbers), _CHUNK):
            for number, pid, scheme, household, paid_on in self._receipt_rows(
                    org, numbers[start:start + _CHUNK]):
                self.receipts[(org, number)][pid] = checks.ReceiptUse(scheme, household, paid_on)

    def _receipt_holders(self, key):
        holders = self.receipts.get(key)
        if holders is None:
            org, number = key
            holders = self.receipts[key] = {
                pid: checks.ReceiptUse(scheme, household, paid_on)
                for _number, pid, scheme, household, paid_on
                in self._receipt_rows(org, [number])}
        return holders

    def _check_payment(self, item, facts):
        """A payment pays its enrollment's amount, under a receipt number its organization
        has not used for anything else (checks.py ``payment_matches``, ``receipt_unique``)."""
        data = item.cleaned
        enrolled = self._enrolled(data["enrollment"])
        errors = checks.payment_matches(enrolled, data)
        if errors:
            return errors
        org = self.user.organization_id
        facts["organization_id"] = org
        use = checks.ReceiptUse(enrolled.scheme, enrolled.household_id, data["paid_on"])
        holders = self._receipt_holders((org, data["receipt_no"]))
        errors = checks.receipt_unique(item.id, use, holders)
        if errors:
            return errors
        facts["receipt_use"] = use
        return None

    def _stored_task(self, task_id):
        """A stored task's fields as its form cleans them, or None."""
        row = self.conn.execute(
            select(Task.kind, Task.household_id, Task.person_id, Task.due_on, Task.amount,
                   Task.note).where(Task.id == task_id)).first()
        if row is None:
            return None
        return dict(zip(checks.TASK_FIXED, row, strict=True))

    def _probe(self, item, pid, area_id):
        """Audit a personal ID refused because a person outside the caller's areas holds it:
        who (the user), which device (the entry's record), when; the ID only masked."""
        self.probes.append({
            "action": "id_refused", "entity": "device", "entity_id": self.device_id,
            "before": None, "after": {"record": item.id, "personal_id": mask_id(pid),
                                      "area": self.areas.by_id[area_id].code},
            # Filed under the area the record named, so that area's admins see the probing.
            "user_id": self.user_id, "area_id": area_id})

    def accepted(self, write):
        if write.item.type == "enrollment" and self.signup_pending \
                and self.signup_pending[0] == write.item.id:
            self.batch_enrollments[write.item.id] = self.signup_pending[1]
        kind, cleaned = write.item.type, write.item.cleaned
        if kind == "person":
            self.batch_household[write.item.id] = cleaned["household"]
        elif kind == "enrollment":
            self.batch_enrolled[write.item.id] = _Enrolled(
                cleaned["scheme"], cleaned["amount_due"], self._household_of(cleaned["person"]))
        elif kind == "payment":
            key = (write.state.facts["organization_id"], cleaned["receipt_no"])
            old = self.receipt_of.get(write.item.id)
            if old is not None and old != key:
                self._receipt_holders(old).pop(write.item.id, None)
            self._receipt_holders(key)[write.item.id] = write.state.facts["receipt_use"]
            self.receipt_of[write.item.id] = key
        if write.item.type == "person":
            c = write.item.cleaned
            self.batch_persons[write.item.id] = checks.Participant(
                c.get("birth_date"), c.get("coverage"), c.get("household"))
            rid, pid = write.item.id, write.item.cleaned.get("personal_id")
            old = self.pid_of.get(rid)
            if old is not None and old != pid:
                self._pid_holders(old).pop(rid, None)
            if pid:
                self._pid_holders(pid)[rid] = write.state.area_id
            self.pid_of[rid] = pid

    # -- writing ------------------------------------------------------------------------
    def _columns(self, kind, c, facts):
        """The stored columns of a record's cleaned data (records/types.py declares them)."""
        return TYPES[kind].to_row(c, facts)

    def _shape_write(self, kind, values, state):
        """The pull shape (data, server) of a record as this write leaves it (for the audit
        log); ``server`` is only whole for the server-owned columns ``on_write`` sets."""
        get = values.get
        row = [get(name) for name in ROW_NAMES[kind]]
        row[0], row[1] = None, state.version  # id, version
        if kind in _AREA_AT:  # the area's code, where the table has its id
            row[_AREA_AT[kind]] = self.areas.by_id[state.area_id].code
        return self.shaper.shape(kind, row)

    @staticmethod
    def _server_reset(kind, rid, before, previous, server_after):
        """The audit row of an edit that resets server-owned fields (a reviewed visit's
        review goes back to pending), or None. Only the first write of a record in a batch
        can reset: the stored state is the one a supervisor saw."""
        if not TYPES[kind].on_write or rid in previous or rid not in before:
            return None
        server_before = before[rid]["server"]
        if server_before == server_after:
            return None
        return {"action": "review_reset", "entity": kind, "entity_id": rid,
                "before": server_before, "after": server_after}

    def plan(self, writes):
        """What ``write`` stores for ``writes``: rows built and converted, nothing written.

        It reads (the stored state of updated records, for the audit log) but never writes,
        so the sync push builds it before taking the write lock (syncserver/service.py).
        """
        now = utcnow()
        first, last = {}, {}
        for w in writes:
            first.setdefault(w.item.id, w)
            last[w.item.id] = w
        updated = {}
        for rid, w in first.items():
            if w.prior is not None:
                updated.setdefault(w.item.type, []).append(rid)
        before = fetch(self.conn, self.shaper, updated) if updated else {}

        inserts, updates, audits, previous = {}, {}, [], {}
        for w in writes:
            kind, state = w.item.type, w.state
            values = self._columns(kind, w.item.cleaned, state.facts)
            after, server_after = self._shape_write(kind, values, state)
            rid = w.item.id
            old = previous.get(rid, before.get(rid, {}).get("data"))
            audits.append({"action": "update" if w.prior is not None else "create",
                           "entity": kind, "entity_id": rid, "before": old, "after": after,
                           "user_id": self.user_id, "at": now, "area_id": state.area_id})
            reset = self._server_reset(kind, rid, before, previous, server_after)
            if reset is not None:
                audits.append(dict(reset, user_id=self.user_id, at=now, area_id=state.area_id))
            previous[rid] = after
            if last[rid] is not w:
                continue
            values.update(version=state.version, client_time=w.item.client_time,
                          updated_at=now, content_hash=state.content_hash,
                          area_id=state.area_id)
            if first[rid].prior is None:
                values.update(TYPES[kind].on_create)
                values.update(id=rid, received_at=now, device_id=self.device_id,
                              created_by_id=state.owner_id)
                inserts.setdefault(kind, []).append(values)
            else:
                values["id"] = rid
                updates.setdefault(kind, []).append(values)
        statements = []
        for kind in P.RECORD_TYPES:  # referenced types first: foreign keys always hold
            table = MODELS[kind].__table__
            statements.append(fastrows.prepare(self.conn, table, inserts.get(kind)))
            statements.append(fastrows.prepare(self.conn, table, updates.get(kind), "id"))
        # Refusals of personal IDs held elsewhere are written with the batch's records (and
        # on their own when nothing was accepted): a rejected record never spoils its batch.
        audits += [dict(row, at=now) for row in self.probes]
        statements.append(audit.prepare_many(self.conn, audits))

        live, left, replaced = [], [], []
        moved = {"household": {}, "person": {}}
        for rid, w in last.items():
            state, prior = w.state, first[rid].prior
            live.append((w.item.type, rid, state.area_id, state.owner_id))
            if prior is not None:
                replaced.append(rid)
                if prior.area_id != state.area_id:
                    left.append((w.item.type, rid, prior.area_id, state.owner_id, state.area_id))
                    if w.item.type in moved:
                        moved[w.item.type][rid] = state.area_id
        # What the referrals' server-owned status must follow (syncserver/referrals.py).
        work = {"new": [rid for rid, w in last.items() if w.item.type == "referral"
                        and first[rid].prior is None],
                "written": [rid for rid, w in last.items() if w.item.type == "referral"],
                "visits": [rid for rid, w in last.items() if w.item.type == "visit"],
                "enrollments": [rid for rid, w in last.items() if w.item.type == "enrollment"]}
        # A payment marks its enrollment paid with its receipt (older clients read those two).
        paid = {w.item.cleaned["enrollment"]: w.item.cleaned["receipt_no"]
                for w in last.values() if w.item.type == "payment"}
        return _Plan(now, [st for st in statements if st is not None], live, left, replaced,
                     moved, work, paid)

    def write(self, plan, heartbeat=None):
        """Store a ``plan`` in the writing transaction; the payers' state inputs after the
        records (syncserver/payerchains.py), the change feed last."""
        # Whose sign-ups the batch's stored enrollments and payments were before it: an edit
        # may move one to another person, whose payer row must lose it.
        updated = set(plan.replaced)
        payers_before = payerchains.persons_of(self.conn, *payerchains.written(
            [(kind, rid) for kind, rid, _area, _owner in plan.live if rid in updated]))
        for statement in plan.statements:
            fastrows.run(self.conn, statement)
        self._heartbeat(plan.now, heartbeat)
        live, left, replaced = list(plan.live), list(plan.left), list(plan.replaced)
        self._follow(plan.moved, live, left, replaced)
        self._settle_referrals(plan, live, replaced)
        self._mark_paid(plan.paid, live, replaced)
        payerchains.follow(self.conn, live, payers_before)
        feed.write(self.conn, live, left, replaced)

    def _settle_referrals(self, plan, live, replaced):
        """Route new referrals and move those the batch's work answers; a referral changed
        here that the batch did not write gets its feed row moved like a touch."""
        work = plan.referrals
        if not any(work.values()):
            return
        audits, touched = referrals.settle(self.conn, work, plan.now, self.user_id, self.scope.role)
        if audits:
            fastrows.run(self.conn, audit.prepare_many(self.conn, audits))
        in_batch = set(work["written"])
        for rid, (area_id, owner_id) in sorted(touched.items()):
            if rid not in in_batch:
                live.append(("referral", rid, area_id, owner_id))
                replaced.append(rid)

    def _mark_paid(self, paid, live, replaced):
        """Set ``paid`` and ``receipt_no`` of the enrollments the batch's payments pay, and
        give those not written by the batch a fresh change (no new version: like a server-owned
        field, the device's next edit of the sign-up must not conflict)."""
        if not paid:
            return
        self.conn.execute(_MARK_PAID, [{"eid": eid, "receipt": receipt}
                                       for eid, receipt in sorted(paid.items())])
        written = {rid for _kind, rid, _area, _owner in live}
        others = sorted(eid for eid in paid if eid not in written)
        for start in range(0, len(others), _CHUNK):
            for eid, area_id, owner_id in self.conn.execute(
                    _ENROLLMENT_FEED, {"ids": others[start:start + _CHUNK]}):
                live.append(("enrollment", eid, area_id, owner_id))
                replaced.append(eid)

    def _follow(self, moved, live, left, replaced):
        """Records whose area is their household's (persons, visits) or their person's
        (enrollments) move with it: new area, a tombstone where they were, no new version."""
        persons = dict(moved["person"])
        for kind in ("person", "visit"):
            for rid, old, owner, new in self._moving(kind, "household_id", moved["household"]):
                if kind == "person":
                    persons[rid] = new
                self._move(kind, rid, old, owner, new, live, left, replaced)
        for rid, old, owner, new in self._moving("enrollment", "person_id", persons):
            self._move("enrollment", rid, old, owner, new, live, left, replaced)

    def _moving(self, kind, column, parents):
        if not parents:
            return []
        model = MODELS[kind]
        parent_col = getattr(model, column)
        ids = sorted(parents)
        out = []
        for start in range(0, len(ids), _CHUNK):
            rows = self.conn.execute(select(model.id, model.area_id, model.created_by_id, parent_col)
                                     .where(parent_col.in_(ids[start:start + _CHUNK])))
            out += [(rid, area_id, owner_id, parents[parent]) for rid, area_id, owner_id, parent in rows
                    if area_id != parents[parent]]
        return out

    def _move(self, kind, rid, old_area, owner_id, new_area, live, left, replaced):
        table = MODELS[kind].__table__
        self.conn.execute(update(table).where(table.c.id == rid).values(area_id=new_area))
        live.append((kind, rid, new_area, owner_id))
        left.append((kind, rid, old_area, owner_id, new_area))
        replaced.append(rid)

    def _heartbeat(self, now, heartbeat):
        values = {"last_sync_at": now}
        if heartbeat:
            values.update(heartbeat)
        self.conn.execute(update(Device).where(Device.id == self.device_id).values(**values))

    def current(self, conflicts, items):
        """{id: pull-shaped change} of conflicting records, as stored now, shaped as the
        caller's pull would show them (personal IDs masked for roles that pull them masked;
        today every role that pushes sees them whole)."""
        wanted = {}
        for index, rid in conflicts:
            wanted.setdefault(items[index].type, set()).add(rid)
        shaper = self.shaper
        if not reveals_ids(self.scope.role):
            shaper = shaper_for(self.scope.role, shaper.zone)
        found = fetch(self.conn, shaper, wanted)
        out = {}
        for index, rid in conflicts:
            record = found.get(rid)
            if record is not None:
                out[rid] = {"id": rid, "type": items[index].type, "version": record["version"],
                            "deleted": False, "data": record["data"], "server": record["server"]}
        return out
