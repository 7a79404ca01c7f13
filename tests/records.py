"""Valid sync records of every type, as JSON-ready dicts: the one record factory of the tests.

Plain data on purpose: nothing here imports the application, so the black-box contract suite
may use it as freely as the white-box API tests and the sync client's tests. Each builder makes
a record that the server accepts for collector col_a of the test world (villages 31001-1 and
31001-2 in commune 31001); keyword arguments replace or add ``data`` fields, so a test names
only the field it is about.
"""
import itertools
import random
import uuid

VALID_TIME = "2026-11-25T09:30:00+07:00"

#: Unique within a process (two persons never share a personal ID, even in a 5000-record day
#: of work), from a random start so two processes writing one database rarely meet.
_personal_ids = itertools.count(random.randrange(10**8))


def new_id():
    return str(uuid.uuid4())


def record(kind, data, id=None, version=0, **extra):
    return {"id": id or new_id(), "type": kind, "version": version,
            "client_time": VALID_TIME, "data": data, **extra}


def typed(rec):
    """``rec`` as a person or a file hands it to the sync client: id, type and data only (the
    device fills in the base version and the client time)."""
    return {"id": rec["id"], "type": rec["type"], "data": rec["data"]}


def personal_id():
    """A fresh 12-digit personal ID."""
    return f"031{next(_personal_ids) % 10**9:09d}"


def household(area="31001-1", id=None, version=0, **data):
    base = {"area": area, "address": "Số 7, ngõ 3, Hồng Bàng", "head_name": "Phạm Văn Hải",
            "phone": "0912345678", "note": None}
    base.update(data)
    return record("household", base, id, version)


def person(household_id, id=None, version=0, **data):
    base = {"household": household_id, "full_name": "Phạm Thị Lan", "birth_date": "1985-03-14",
            "sex": "female", "personal_id": personal_id(), "relation": "spouse",
            "coverage": "none"}
    base.update(data)
    return record("person", base, id, version)


def visit(household_id, id=None, version=0, **data):
    base = {"household": household_id, "visited_at": VALID_TIME, "outcome": "interested",
            "topics": ["vsi", "hhi"], "follow_up_on": "2026-12-02", "note": "Hẹn quay lại"}
    base.update(data)
    return record("visit", base, id, version)


def made_in(month, day=10):
    """A client time in ``month`` ('YYYY-MM'): an enrollment made in its start month lies in
    the start window of every period (docs/premiums.md §9)."""
    return f"{month}-{day:02d}T09:30:00+07:00"


def vsi_enrollment(person_id, id=None, version=0, client_time=None, **data):
    """The first worked example of tests/fixtures/premiums.json: 3 months at the poverty line,
    no extra support; made in its start month unless ``client_time`` says otherwise."""
    base = {"person": person_id, "scheme": "vsi", "start_month": "2025-09", "period_months": 3,
            "amount_due": 792000, "monthly_income": 1500000, "support_group": "other"}
    base.update(data)
    return record("enrollment", base, id, version,
                  client_time=client_time or made_in(str(base["start_month"])[:7]))


def hhi_enrollment(person_id, id=None, version=0, client_time=None, **data):
    """HHI member 1 for 12 months, made in its start month unless ``client_time`` says
    otherwise."""
    base = {"person": person_id, "scheme": "hhi", "start_month": "2025-09", "period_months": 12,
            "amount_due": 1263600, "member_order": 1}
    base.update(data)
    return record("enrollment", base, id, version,
                  client_time=client_time or made_in(str(base["start_month"])[:7]))


def referral(area="31001-1", id=None, version=0, **data):
    base = {"area": area, "contact_name": "Đỗ Văn Nam", "reason": "informal_worker",
            "contact_phone": "0987654321"}
    base.update(data)
    return record("referral", base, id, version)


def outreach(area="31001", id=None, version=0, **data):
    base = {"area": area, "kind": "conference", "held_at": "2026-11-20T08:00:00+07:00",
            "attendees": 40, "leads": 5}
    base.update(data)
    return record("outreach", base, id, version)


def one_of_each(area_village="31001-1", area_commune="31001"):
    """A household with a member, a visit, an enrollment, a referral and an outreach."""
    h = household(area_village)
    p = person(h["id"])
    v = visit(h["id"])
    e = vsi_enrollment(p["id"], visit=v["id"])
    r = referral(area_village, household=h["id"])
    o = outreach(area_commune)
    return {"household": h, "person": p, "visit": v, "enrollment": e, "referral": r,
            "outreach": o}



def payment(enrollment_id, id=None, version=0, **data):
    """The cash payment of ``vsi_enrollment``'s amount, with a fresh receipt number (#15)."""
    base = {"enrollment": enrollment_id, "amount": 792000, "paid_on": "2026-11-25",
            "receipt_no": f"BL{next(_personal_ids) % 10**7:07d}", "method": "cash"}
    base.update(data)
    return record("payment", base, id, version)
