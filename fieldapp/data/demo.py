"""The demo city (`seed-demo`): Hải Phòng with five communes and what a season of work leaves.

Everything comes from one seeded random generator, so two runs on the same day give the same
data (dates are counted back from today, so the work always looks recent). Synced records
are inserted as a device's push would leave them (UUID ids, version 1, created_by, area) and
each gets its live row in the change feed, so collectors' phones pull them like any other
record. Bulk inserts keep the whole seed to a second or two.

Longer than our usual module: it is one generator whose steps share a single random stream
(any reordering changes every record after it), and it reads best top to bottom as one story.
The static material (names, places, phrases) lives apart in demo_data.py.
"""
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from sync.protocol import SCHEMES

from ..db.tx import begin_write
from ..extensions import db
from ..models import (
    Area,
    CollectionPoint,
    CoordinationProgram,
    Enrollment,
    Household,
    Organization,
    Outreach,
    ParticipantCount,
    Payment,
    Person,
    Plan,
    Referral,
    Task,
    User,
    Visit,
)
from ..records.textfold import household_search_text
from ..rules import audit
from ..syncserver import bulk
from . import demo_data as D

SEED = 20261125
USERNAMES = tuple(D.USERS)
LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
#: Households per village (inclusive range) and how far back the field work goes.
HOUSEHOLDS_PER_VILLAGE = (14, 22)
WORK_DAYS = 180
OUTCOMES = [("not_home", 15), ("not_interested", 20), ("interested", 25), ("enrolled", 15),
            ("already_covered", 15), ("moved_away", 2), ("refused", 8)]
AFTER_INTEREST = [("enrolled", 45), ("interested", 15), ("not_interested", 25), ("not_home", 15)]
REASONS = [("informal_worker", 4), ("farmer", 3), ("no_health_insurance", 4), ("lapsed", 2),
           ("other", 1)]


class DemoError(Exception):
    """The database is not empty enough for the demo."""


def seed(password="demo", now=None):
    """Add the demo city in one transaction; returns {what: how many}."""
    from ..rules.policy import PolicyBook, seed_parameters

    if db.session.scalar(select(Area.id).where(Area.code == D.PROVINCE[0])) is not None:
        raise DemoError(f"area {D.PROVINCE[0]} already exists; the demo needs an empty database.")
    begin_write()
    try:
        seed_parameters()
        db.session.flush()
        summary = _Demo(password, now or datetime.now(UTC), PolicyBook.load()).run()
        audit.record("seed", "demo", "seed-demo", after=summary)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return summary


def _pick(rng, weighted):
    values, weights = zip(*weighted)
    return rng.choices(values, weights)[0]


class _Demo:
    def __init__(self, password, now, book):
        self.rng = random.Random(SEED)
        self.ids = random.Random(SEED + 1)  # ids apart, so data changes never shift them
        self.password, self.now, self.book = password, now, book
        self.today = now.astimezone(LOCAL).date()
        self.rows = {model: [] for model in (Household, Person, Referral, Visit, Enrollment,
                                             Outreach, Payment, Task)}
        # Payments and tasks draw from their own generators: adding them shifted nothing else.
        self.money_rng, self.money_ids = random.Random(SEED + 2), random.Random(SEED + 3)
        self.personal_ids = set()
        self.receipts = 0

    # --- places, the network, users ----------------------------------------------------------

    def run(self):
        self.places()
        self.network()
        self.users()
        for c in range(len(self.communes)):
            collector = self.collector_of[c]
            for village in self.villages[c]:
                for _ in range(self.rng.randint(*HOUSEHOLDS_PER_VILLAGE)):
                    self.household(c, village, collector)
        self.referrals_and_visits()
        self.outreach()
        self.plans_and_counts()
        entries = []
        for model, rows in self.rows.items():
            # Keys starting with "_" are the generator's notes, not columns.
            clean = [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows]
            entries += bulk.insert_records(model, clean)
        bulk.register_changes(entries)
        return {"communes": len(self.communes),
                "villages": sum(len(v) for v in self.villages),
                "households": len(self.rows[Household]), "persons": len(self.rows[Person]),
                "visits": len(self.rows[Visit]), "enrollments": len(self.rows[Enrollment]),
                "referrals": len(self.rows[Referral]),
                "outreach sessions": len(self.rows[Outreach]), "payments": len(self.rows[Payment]),
                "tasks": len(self.rows[Task]), "users": len(USERNAMES)}

    def places(self):
        reform = date(2025, 7, 1)  # communes and special zones of the 2025 reform
        self.province = Area(code=D.PROVINCE[0], name=D.PROVINCE[1], level="province",
                             central_city=True)
        self.communes, self.villages = [], []
        for code, name, _kind, villages, _centre in D.COMMUNES:
            commune = Area(code=code, name=name, level="commune", parent=self.province,
                           valid_from=reform)
            self.communes.append(commune)
            self.villages.append([Area(code=f"{code}-{n}", name=vname, level="village",
                                       parent=commune) for n, vname in enumerate(villages, 1)])
        db.session.add_all([self.province, *self.communes, *sum(self.villages, [])])
        db.session.flush()

    def network(self):
        self.org = Organization(code="BD31", name="Bưu điện thành phố Hải Phòng",
                                kind="post_office", area=self.province)
        db.session.add(self.org)
        db.session.flush()
        for c, commune in enumerate(self.communes):
            short = commune.name.split(" ", 1)[1]
            points = [("001", f"Điểm thu Bưu điện văn hóa {short}", f"Trụ sở bưu điện {short}")]
            if c == 0:
                points.append(("002", "Điểm thu Bưu cục Hạ Lý", "Số 5 Hạ Lý"))
            for code, name, address in points:
                db.session.add(CollectionPoint(organization_id=self.org.id, area_id=commune.id,
                                               code=code, name=name, address=address))
            if c < len(self.communes) - 1:  # the island zone has not signed yet
                db.session.add(CoordinationProgram(
                    area_id=commune.id, organization_id=self.org.id,
                    signed_on=date(2025, 8, 4) + timedelta(days=9 * c),
                    note=f"Chương trình phối hợp ba bên: {self.org.name}, BHXH cơ sở và "
                         f"UBND {commune.name}."))

    def users(self):
        self.user = {}
        # The demo users share one password, so one (slow, salted) hash serves them all.
        password_hash = generate_password_hash(self.password)
        for username, (role, full_name, phone, where) in D.USERS.items():
            if where == "province":
                areas = [self.province]
            elif isinstance(where, tuple):
                areas = [self.villages[where[1]][where[2]]]
            else:
                areas = [self.communes[i] for i in where]
            user = User(username=username, role=role, full_name=full_name, phone=phone,
                        organization_id=self.org.id if role in ("collector", "village_head") else None)
            user.password_hash = password_hash
            user.areas = areas
            db.session.add(user)
            self.user[username] = user
        db.session.flush()
        self.collector_of = {}
        for username, (role, _n, _p, where) in D.USERS.items():
            if role == "collector":
                for c in where:
                    self.collector_of[c] = self.user[username].id
        _role, _n, _p, (_v, vc, vv) = D.USERS["village1"]
        self.head_village = self.villages[vc][vv]

    # --- people ------------------------------------------------------------------------------

    def name(self, sex, born, family=None):
        era = "old" if born < 1990 else "young"
        family = family or _pick(self.rng, D.FAMILY_NAMES)
        return f"{family} {_pick(self.rng, D.MIDDLE[(sex, era)])} {self.rng.choice(D.GIVEN[(sex, era)])}"

    def birth_date(self, age):
        """A birth date of someone ``age`` years old today (never in the future)."""
        last_birthday = date(self.today.year - age, self.today.month, min(self.today.day, 28))
        return last_birthday - timedelta(days=self.rng.randrange(365))

    def personal_id(self, sex, born):
        # Place of birth registration, then century-and-sex digit, two-digit year, six digits.
        century = (0 if born.year < 2000 else 2) + (1 if sex == "female" else 0)
        while True:
            pid = (f"{_pick(self.rng, D.BIRTH_PROVINCES)}{century}{born.year % 100:02d}"
                   f"{self.rng.randrange(10**6):06d}")
            if pid not in self.personal_ids:
                self.personal_ids.add(pid)
                return pid

    def phone(self):
        return self.rng.choice(D.MOBILE_PREFIXES) + f"{self.rng.randrange(10**7):07d}"

    def coverage(self, age):
        if age < 6:
            return "other_hi"  # children under six are covered by the state
        if age < 18:
            return _pick(self.rng, [("other_hi", 80), ("household_hi", 15), ("none", 5)])
        if age < 60:
            return _pick(self.rng, [("compulsory_si", 25), ("voluntary_si", 5),
                                    ("household_hi", 30), ("none", 30), ("unknown", 10)])
        if age < 80:
            return _pick(self.rng, [("household_hi", 40), ("other_hi", 30), ("none", 20),
                                    ("unknown", 10)])
        return "other_hi"

    def household(self, c, village, collector):
        rng = self.rng
        _code, _cname, kind, _villages, _centre = D.COMMUNES[c]
        created = self.now - timedelta(days=rng.randint(WORK_DAYS + 20, 600),
                                       minutes=rng.randrange(600))
        head_sex = "male" if rng.random() < 0.7 else "female"
        head_age = rng.randint(28, 72)
        head_born = self.birth_date(head_age)
        family = _pick(rng, D.FAMILY_NAMES)
        members = [("head", head_sex, head_age, self.name(head_sex, head_born.year, family), head_born)]
        size = _pick(rng, [(2, 25), (3, 30), (4, 30), (5, 15)])
        other_sex = "female" if head_sex == "male" else "male"
        if rng.random() < 0.85:
            age = max(20, head_age + rng.randint(-6, 4) * (1 if head_sex == "male" else -1))
            born = self.birth_date(age)
            members.append(("spouse", other_sex, age, self.name(other_sex, born.year), born))
        if len(members) < size and head_age < 60 and rng.random() < 0.2:
            age = min(95, head_age + rng.randint(22, 30))
            sex = "female" if rng.random() < 0.65 else "male"
            born = self.birth_date(age)
            members.append(("parent", sex, age, self.name(sex, born.year), born))
        while len(members) < size:
            age = rng.randint(0, max(0, head_age - 20))
            sex = rng.choice(("male", "female"))
            born = self.birth_date(age)
            relation = "child" if age <= head_age - 18 else "other"
            child_family = family if head_sex == "male" else None
            members.append((relation, sex, age, self.name(sex, born.year, child_family), born))
        village_name = village.name[0].lower() + village.name[1:]
        if kind == "ward":
            lane = f", ngõ {rng.randint(1, 250)}" if rng.random() < 0.6 else ""
            address = f"Số {rng.randint(1, 180)}{lane} {rng.choice(D.STREETS)}"
        else:
            address = f"Xóm {rng.randint(1, 6)}, {village_name}"
        head_name = members[0][3]
        hh = {"id": bulk.new_id(self.ids), "area_id": village.id, "address": address,
              "head_name": head_name, "phone": self.phone() if rng.random() < 0.8 else None,
              "note": rng.choice(D.HOUSEHOLD_NOTES) if rng.random() < 0.1 else None,
              "search_text": household_search_text(head_name, address),
              "created_by_id": collector, "client_time": created,
              "received_at": created + timedelta(hours=rng.randint(0, 30)),
              "_commune": c, "_kind": kind, "_members": []}
        hh["updated_at"] = hh["received_at"]
        for relation, sex, age, full_name, born in members:
            coverage = self.coverage(age)
            person = {
                "id": bulk.new_id(self.ids), "area_id": village.id, "household_id": hh["id"],
                "full_name": full_name, "birth_date": born, "sex": sex,
                "personal_id": self.personal_id(sex, born) if rng.random() < 0.95 else None,
                "si_code": (f"31{rng.randrange(10**8):08d}"
                            if coverage not in ("none", "unknown") and rng.random() < 0.7 else None),
                "phone": self.phone() if age >= 18 and relation != "head" and rng.random() < 0.4 else None,
                "relation": relation, "coverage": coverage, "created_by_id": collector,
                "client_time": created, "received_at": hh["received_at"],
                "updated_at": hh["received_at"], "_age": age}
            if relation == "head":
                person["phone"] = hh["phone"]
            hh["_members"].append(person)
        self.rows[Household].append(hh)
        self.rows[Person].extend(hh["_members"])

    # --- field work --------------------------------------------------------------------------

    def work_time(self, day):
        """A plausible moment of field work on ``day`` (never on Sunday), in UTC."""
        if day.weekday() == 6:
            day -= timedelta(days=1)
        hour = self.rng.choice((8, 9, 10, 14, 15, 16, 18, 19))
        local = datetime.combine(day, time(hour, self.rng.randrange(60)), LOCAL)
        return local.astimezone(UTC)

    def referrals_and_visits(self):
        head = self.user["village1"].id
        in_village = [h for h in self.rows[Household] if h["area_id"] == self.head_village.id]
        referred = {}
        for i in range(12):
            when = self.now - timedelta(days=self.rng.randint(1, 150), hours=self.rng.randint(0, 9))
            linked = in_village[i] if i < 8 and i < len(in_village) else None
            ref = {"id": bulk.new_id(self.ids), "area_id": self.head_village.id,
                   "reason": _pick(self.rng, REASONS), "created_by_id": head,
                   "client_time": when, "received_at": when + timedelta(minutes=20),
                   "note": self.rng.choice(D.REFERRAL_NOTES) if self.rng.random() < 0.6 else None}
            ref["updated_at"] = ref["received_at"]
            if linked:
                ref.update(household_id=linked["id"], contact_name=linked["head_name"],
                           contact_phone=linked["phone"], address=linked["address"])
                referred[linked["id"]] = ref
            else:
                sex = self.rng.choice(("male", "female"))
                born = self.birth_date(self.rng.randint(25, 55))
                ref.update(household_id=None, contact_name=self.name(sex, born.year),
                           contact_phone=self.phone(),
                           address=f"Xóm {self.rng.randint(1, 6)}, thôn Đông")
            days_old = (self.now - when).days
            ref["status"] = "new" if days_old < 3 else "assigned"
            if not linked and days_old > 60:
                ref["status"] = "closed"
            ref["assigned_to_id"] = None if ref["status"] == "new" else self.collector_of[2]
            self.rows[Referral].append(ref)
        for hh in self.rows[Household]:
            self.visits(hh, referred.get(hh["id"]))

    def visits(self, hh, referral):
        rng = self.rng
        collector = self.collector_of[hh["_commune"]]
        if referral is not None:
            if referral["status"] == "new":
                return
            day = (referral["client_time"] + timedelta(days=rng.randint(2, 10))).astimezone(LOCAL).date()
        elif rng.random() < 0.65:
            day = self.today - timedelta(days=rng.randint(3, WORK_DAYS))
        else:
            return
        outcome = _pick(rng, OUTCOMES)
        for _ in range(3):
            at = self.work_time(day)
            if at > self.now - timedelta(hours=2):
                return
            visit = self.visit(hh, collector, at, outcome, referral)
            if outcome == "enrolled":
                self.enroll(hh, visit)  # may find everyone covered after all
                outcome = visit["outcome"]
            if referral is not None:
                referral["status"] = {"enrolled": "enrolled", "not_interested": "closed",
                                      "refused": "closed", "moved_away": "closed"}.get(outcome, "visited")
                referral = None
            if outcome not in ("interested", "not_home") or rng.random() < 0.4:
                return
            day = visit["follow_up_on"] or day + timedelta(days=rng.randint(5, 20))
            outcome = _pick(rng, AFTER_INTEREST if outcome == "interested" else OUTCOMES)

    def visit(self, hh, collector, at, outcome, referral):
        rng = self.rng
        centre = D.COMMUNES[hh["_commune"]][4]
        local_day = at.astimezone(LOCAL).date()
        follow = local_day + timedelta(days=rng.randint(5, 21)) if outcome == "interested" else None
        topics = [] if outcome in ("not_home", "moved_away") else rng.choice(
            (["vsi"], ["hhi"], ["vsi", "hhi"]))
        received = min(self.now, at + timedelta(minutes=rng.randint(1, 60 * 48)))
        visit = {"id": bulk.new_id(self.ids), "area_id": hh["area_id"], "household_id": hh["id"],
                 "visited_at": at, "outcome": outcome, "topics": topics, "follow_up_on": follow,
                 "referral_id": referral["id"] if referral else None,
                 "note": rng.choice(D.VISIT_NOTES[outcome]) if rng.random() < 0.5 else None,
                 "created_by_id": collector, "client_time": at, "received_at": received,
                 "updated_at": received, "review_status": "pending"}
        if rng.random() < 0.8:
            visit.update(lat=round(centre[0] + rng.uniform(-0.012, 0.012), 6),
                         lon=round(centre[1] + rng.uniform(-0.012, 0.012), 6),
                         accuracy_m=round(rng.uniform(4, 35), 1))
        age = (self.now - at).days
        roll = rng.random()
        if (age > 10 and roll < 0.9) or (age > 3 and roll < 0.4):
            flagged = age > 10 and roll < 0.05
            visit.update(review_status="flagged" if flagged else "approved",
                         review_note=rng.choice(D.FLAG_NOTES) if flagged else None,
                         reviewed_by_id=self.user["supervisor"].id,
                         reviewed_at=min(self.now, received + timedelta(days=rng.randint(1, 5))))
        self.rows[Visit].append(visit)
        return visit

    def enroll(self, hh, visit):
        """Sign up the uncovered: one adult for VSI and/or the uncovered members for HHI."""
        rng = self.rng
        at = visit["visited_at"].astimezone(LOCAL)
        month = at.date().replace(day=1)
        if at.day > 20:
            month = (month + timedelta(days=32)).replace(day=1)
        start_month = month.strftime("%Y-%m")
        uncovered = [p for p in hh["_members"] if p["coverage"] in ("none", "unknown")
                     and p["_age"] >= 6]
        adults = [p for p in uncovered if 18 <= p["_age"] < 60]
        group = "poor" if hh["_kind"] == "island" else _pick(
            rng, [("other", 80), ("near_poor", 12), ("poor", 5), ("ethnic_minority", 3)])
        plans = []
        if adults and (rng.random() < 0.5 or len(uncovered) == len(adults) == 1):
            plans.append((adults[0], "vsi", {"monthly_income": _pick(rng, [
                (1_500_000, 50), (2_000_000, 20), (3_000_000, 15), (4_000_000, 8), (5_000_000, 7)]),
                "support_group": group}, _pick(rng, [(1, 10), (3, 30), (6, 30), (12, 30)])))
        hhi_members = [p for p in uncovered if not plans or p is not plans[0][0]]
        period = _pick(rng, [(3, 30), (6, 30), (12, 40)])
        for order, person in enumerate(hhi_members[:5], 1):
            plans.append((person, "hhi", {"member_order": order}, period))
        if not plans:
            visit["outcome"] = "already_covered"
            return
        topics = set(visit["topics"])
        for person, scheme, inputs, months in plans:
            premium = self.book.compute(scheme, start_month, months, **inputs)
            paid = rng.random() < 0.85
            if paid:
                self.receipts += 1
            self.rows[Enrollment].append({
                "id": bulk.new_id(self.ids), "area_id": person["area_id"],
                "person_id": person["id"], "visit_id": visit["id"], "scheme": scheme,
                "start_month": start_month, "period_months": months,
                "amount_due": premium.amount_due, "monthly_amount": premium.monthly_amount,
                "monthly_support": premium.monthly_support, "policy_set_id": premium.set_id,
                "monthly_income": inputs.get("monthly_income"),
                "support_group": inputs.get("support_group"),
                "member_order": inputs.get("member_order"),
                "receipt_no": f"BL{month.year}-{self.receipts:05d}" if paid else None,
                "paid": paid, "created_by_id": visit["created_by_id"],
                # Each demo person signs up once: a new sign-up, made at the visit.
                "kind": "new", "made_month": at.strftime("%Y-%m"), "hhi_group": None,
                "client_time": visit["visited_at"], "received_at": visit["received_at"],
                "updated_at": visit["received_at"]})
            self.payment_or_task(self.rows[Enrollment][-1], hh, visit)
            person["coverage"] = "voluntary_si" if scheme == "vsi" else (
                person["coverage"] if person["coverage"] == "voluntary_si" else "household_hi")
            topics.add(scheme)
        visit["topics"] = sorted(topics, key=SCHEMES.index)

    def payment_or_task(self, enrollment, hh, visit):
        """A paid sign-up has its payment (cash mostly, not yet handed over: the money page
        has something to reconcile); an unpaid one recent enough a "payment due" task for the
        collectors of its village, made by the supervisor."""
        if enrollment["paid"]:
            self.rows[Payment].append({
                "id": bulk.new_id(self.money_ids), "area_id": enrollment["area_id"],
                "enrollment_id": enrollment["id"], "amount": enrollment["amount_due"],
                "paid_on": visit["visited_at"].astimezone(LOCAL).date(),
                "receipt_no": enrollment["receipt_no"],
                "method": "transfer" if self.money_rng.random() < 0.2 else "cash",
                "organization_id": self.org.id, "created_by_id": enrollment["created_by_id"],
                "client_time": enrollment["client_time"], "received_at": enrollment["received_at"],
                "updated_at": enrollment["updated_at"]})
        elif (self.today - visit["visited_at"].astimezone(LOCAL).date()).days <= 60:
            self.rows[Task].append({
                "id": bulk.new_id(self.money_ids), "area_id": hh["area_id"], "kind": "payment_due",
                "household_id": hh["id"], "person_id": enrollment["person_id"],
                "due_on": self.today + timedelta(days=7), "amount": enrollment["amount_due"],
                "note": None, "done": False, "created_by_id": self.user["supervisor"].id,
                "client_time": self.now, "received_at": self.now, "updated_at": self.now})

    def outreach(self):
        rng = self.rng
        for c, commune in enumerate(self.communes):
            for kind in ("conference", "small_group", "small_group"):
                day = self.today - timedelta(days=rng.randint(5, WORK_DAYS))
                at = self.work_time(day)
                area = commune if kind == "conference" else rng.choice(self.villages[c])
                attendees = rng.randint(40, 120) if kind == "conference" else rng.randint(8, 25)
                self.rows[Outreach].append({
                    "id": bulk.new_id(self.ids), "area_id": area.id, "kind": kind, "held_at": at,
                    "attendees": attendees, "leads": rng.randint(1, attendees // 4),
                    "note": D.OUTREACH_NOTES[kind], "created_by_id": self.collector_of[c],
                    "client_time": at, "received_at": at + timedelta(hours=3),
                    "updated_at": at + timedelta(hours=3)})

    # --- plans and official counts -----------------------------------------------------------

    def plans_and_counts(self):
        rng = self.rng
        year = self.today.year
        this_month = self.today.replace(day=1)
        months = []  # the thirteen months before this one, oldest first
        for _ in range(13):
            this_month = (this_month - timedelta(days=1)).replace(day=1)
            months.insert(0, this_month.strftime("%Y-%m"))
        december = f"{year - 1}-12"
        totals = {"vsi": 0, "hhi": 0}
        splits = {"vsi": [0] * 12, "hhi": [0] * 12}
        counts = []
        for c, commune in enumerate(self.communes):
            island = D.COMMUNES[c][2] == "island"
            for scheme, start, growth, rise in (
                    ("vsi", rng.randint(120, 300) if island else rng.randint(300, 1100),
                     (0.002, 0.016), (1.12, 1.20)),
                    ("hhi", rng.randint(1500, 3000) if island else rng.randint(3000, 8000),
                     (-0.004, 0.01), (1.03, 1.08))):
                value, series = float(start), {}
                for month in months:
                    value *= 1 + rng.uniform(*growth)
                    series[month] = round(value)
                counts += [{"area_id": commune.id, "month": month, "scheme": scheme,
                            "participants": series[month]}
                           for month in months[1:]]  # the twelve months before this one
                base = series[december]
                target = int(round(base * rng.uniform(*rise), -1))
                split = self.monthly_split(base, target)
                db.session.add(Plan(area_id=commune.id, year=year, scheme=scheme,
                                    target=target, monthly=split))
                totals[scheme] += target
                splits[scheme] = [a + b for a, b in zip(splits[scheme], split.values())]
        db.session.execute(insert(ParticipantCount), counts)
        for scheme, target in totals.items():
            db.session.add(Plan(organization_id=self.org.id, year=year, scheme=scheme,
                                target=target,
                                monthly={f"{m:02d}": n for m, n in enumerate(splits[scheme], 1)}))

    @staticmethod
    def monthly_split(base, target):
        """Cumulative targets per month, rising evenly from last December's count."""
        return {f"{m:02d}": base + round((target - base) * m / 12) for m in range(1, 13)}
