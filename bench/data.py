"""Realistic synced records for the push and pull benchmarks, and a seeded database.

Records look like a collector's work in commune 31001 of the test world (villages 31001-1
and 31001-2): Vietnamese names and addresses, phone numbers, personal IDs. A household comes
with its members, a visit, sometimes a sign-up (with its correct premium), and now and then
a referral or a group session: about 20 % households, 50 % persons, 20 % visits, 5 %
enrollments (each with its payment), 3 % referrals, 2 % outreach.
"""
import random
import secrets
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sync.ids import uuid7  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = ["Văn", "Thị", "Đức", "Minh", "Ngọc", "Hữu", "Thanh", "Quang"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hoa", "Lan", "Hùng", "Mai", "Nam", "Hương", "Tuấn",
         "Linh", "Phúc", "Thảo", "Sơn", "Yến"]
STREETS = ["thôn Đông", "thôn Tây", "thôn Nam", "xóm Chợ", "tổ 3", "ngõ 12 Lạch Tray"]
VILLAGES = ["31001-1", "31001-2"]


#: Which UUID version the benchmarks' records get as ids: 7 (time-ordered, what the PWA and
#: sync/ids.py make since issue #16) or 4 (random, what they made before); ``--ids``.
ID_VERSION = [7]
_clock = [1_796_000_000_000]  # a fixed start (Unix ms): a seed makes the same ids


def _uid(rng):
    if ID_VERSION[0] == 4:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    _clock[0] += rng.random() < 0.25  # about four records a millisecond
    return str(uuid7(ms=_clock[0], rand=rng.randbytes(10)))


def _name(rng):
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _phone(rng):
    return f"09{rng.randint(0, 99999999):08d}"


def _rec(kind, rid, data):
    # A sign-up is made in its start month (its start window, docs/premiums.md §9).
    when = f"{data['start_month']}-10T09:30:00+07:00" if kind == "enrollment" \
        else "2026-11-25T09:30:00+07:00"
    return {"id": rid, "type": kind, "version": 0, "client_time": when, "data": data}


def household_group(rng, members=None, taken=None):
    """One household with its members and (usually) a visit: a list of records.

    ``taken``: personal IDs already given (a set, added to); a drawn ID found there is drawn
    again, since the server refuses a second person with the same ID (100,000 records
    draw about 30,000 of them: without it, one pair of persons in the mix collides)."""
    hid = _uid(rng)
    out = [_rec("household", hid, {
        "area": rng.choice(VILLAGES), "address": f"Số {rng.randint(1, 300)}, {rng.choice(STREETS)}",
        "head_name": _name(rng), "phone": _phone(rng)})]
    count = members if members is not None else rng.choice((2, 2, 3, 3))
    persons = []
    for n in range(count):
        pid = _uid(rng)
        persons.append(pid)
        data = {"household": hid, "full_name": _name(rng),
                "birth_date": f"{rng.randint(1950, 2015)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "sex": rng.choice(("male", "female")), "relation": "head" if n == 0 else
                rng.choice(("spouse", "child", "parent")), "coverage": rng.choice(
                    ("none", "household_hi", "compulsory_si", "unknown"))}
        if n == 0:  # the head may sign up for VSI (work_for): an adult outside compulsory SI
            data.update(birth_date=f"{rng.randint(1950, 1990)}-{rng.randint(1, 12):02d}-01",
                        coverage=rng.choice(("none", "unknown")))
        if rng.random() < 0.6:
            number = f"031{rng.randint(0, 999_999_999):09d}"
            while taken is not None and number in taken:
                number = f"031{rng.randint(0, 999_999_999):09d}"
            if taken is not None:
                taken.add(number)
            data["personal_id"] = number
        if rng.random() < 0.3:
            data["phone"] = _phone(rng)
        out.append(_rec("person", pid, data))
    return out, hid, persons


def work_for(rng, hid, persons):
    """A visit, and sometimes a sign-up, a referral or a group session."""
    out = []
    interested = rng.random() < 0.4
    vid = _uid(rng)
    out.append(_rec("visit", vid, {
        "household": hid, "visited_at": f"2026-11-{rng.randint(1, 25):02d}T0{rng.randint(7, 9)}:30:00+07:00",
        "outcome": "interested" if interested else rng.choice(("not_home", "not_interested", "enrolled")),
        "topics": ["vsi", "hhi"] if interested else ["hhi"],
        "follow_up_on": "2026-12-05" if interested else None,
        "location": {"lat": 20.8 + rng.random() / 10, "lon": 106.6 + rng.random() / 10,
                     "accuracy_m": rng.randint(5, 40)}}))
    if rng.random() < 0.25:
        eid = _uid(rng)
        out.append(_rec("enrollment", eid, {
            "person": persons[0], "scheme": "vsi", "start_month": "2025-09",
            "period_months": 3, "amount_due": 792000, "monthly_income": 1500000,
            "support_group": "other", "visit": vid}))
        out.append(payment_for(eid, 792000))
    if rng.random() < 0.15:
        out.append(_rec("referral", _uid(rng), {
            "area": rng.choice(VILLAGES), "contact_name": _name(rng), "reason": "farmer",
            "household": hid, "contact_phone": _phone(rng)}))
    if rng.random() < 0.10:
        out.append(_rec("outreach", _uid(rng), {
            "area": "31001", "kind": "small_group", "held_at": "2026-11-20T14:00:00+07:00",
            "attendees": rng.randint(5, 40), "leads": rng.randint(0, 5)}))
    return out


def payment_for(enrollment_id, amount):
    """The payment of a sign-up, taken in cash the day of the visit (#15). Its id and receipt
    come from the enrollment's id, so adding it left the rest of the mix as it was."""
    own = random.Random(enrollment_id)
    return _rec("payment", _uid(own), {
        "enrollment": enrollment_id, "amount": amount, "paid_on": "2026-11-20",
        "receipt_no": f"BL{own.randint(0, 10**9):09d}", "method": "cash"})


def server_tasks(count, seed=2):
    """Tasks as the server makes them (#15), for tests of the record declarations: devices
    never create them, so pushes (mixed_batches) hold none."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        _group, hid, persons = household_group(rng, members=1)
        out.append(_rec("task", _uid(rng), {
            "kind": ("payment_due", "lapsed", "follow_up")[n % 3], "household": hid,
            "person": persons[0], "due_on": "2026-12-31", "amount": 792000,
            "note": "Nhắc đóng tiền", "done": n % 2 == 0}))
    return out


def mixed_batches(total, size=500, seed=1):
    """About ``total`` mixed records in batches of at most ``size``; a household and what
    points at it always travel in the same batch (batches may be pushed in any order)."""
    rng = random.Random(seed)
    batches, batch, count, taken = [], [], 0, set()
    while count < total:
        group, hid, persons = household_group(rng, taken=taken)
        group += work_for(rng, hid, persons)
        if len(batch) + len(group) > size:
            batches.append(batch)
            batch = []
        batch += group
        count += len(group)
    if batch:
        batches.append(batch)
    return batches


def seed_database(url):
    """A fresh schema with the test world (commune 31001, collector col_a, policy sets) and a
    paired device for col_a; returns (SQLAlchemy URL as the app normalised it, token)."""
    from sqlalchemy import text

    from fieldapp import create_app
    from fieldapp.extensions import db
    from fieldapp.models import Device, User, hash_token
    from tests.conftest import build_world

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "RATELIMIT_STORAGE_URI": "memory://"})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
    build_world(app)
    token = secrets.token_urlsafe(32)
    with app.app_context():
        user = User.query.filter_by(username="col_a").one()
        db.session.add(Device(id=str(uuid.uuid4()), user_id=user.id, name="bench",
                              token_hash=hash_token(token)))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return app.config["SQLALCHEMY_DATABASE_URI"], token
