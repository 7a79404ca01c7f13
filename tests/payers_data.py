"""Fixed payers for the #15 tests: households, persons, sign-ups and payments written straight
into the database (no push, but with their change-feed rows, as server imports do), so a
test states exactly the enrollments and payments it judges. Each function returns the ids
it made."""
import uuid
from datetime import date

from fieldapp.extensions import db
from fieldapp.models import Enrollment, Household, Payment, Person
from fieldapp.syncserver.bulk import register_changes

#: premiums of tests/fixtures/premiums.json (income 1,500,000, group other) per period.
VSI_AMOUNT = {1: 264000, 3: 792000, 6: 1584000, 12: 3168000}
HHI_AMOUNT = {1: 105300, 2: 73710, 3: 63180}  # per month, by member order (2024-07 base)


def _id():
    return str(uuid.uuid4())


def household(world, village="31001-1", head="Phạm Văn Hải", phone="0912345678"):
    hid = _id()
    db.session.add(Household(id=hid, area_id=world.areas[village], address="Số 1, tổ 1",
                             head_name=head, phone=phone, created_by_id=world.users["col_a"]))
    db.session.flush()
    register_changes([("household", hid, world.areas[village], world.users["col_a"])])
    return hid


def person(world, household_id, name="Phạm Thị Lan", village="31001-1", ended_on=None,
           ended_reason=None, phone=None):
    pid = _id()
    db.session.add(Person(id=pid, household_id=household_id, area_id=world.areas[village],
                          full_name=name, birth_date=date(1980, 1, 1), sex="female",
                          phone=phone, ended_on=ended_on, ended_reason=ended_reason,
                          created_by_id=world.users["col_a"]))
    db.session.flush()
    register_changes([("person", pid, world.areas[village], world.users["col_a"])])
    return pid


def enrollment(world, person_id, start, period, scheme="vsi", paid=True, collector="col_a",
               village="31001-1", member_order=1, kind="new", receipt=None, paid_on=None,
               method="cash"):
    """A sign-up; ``paid`` with a payment record (its receipt) unless ``receipt`` is False."""
    eid = _id()
    if scheme == "vsi":
        amount = VSI_AMOUNT[1] * period
        extra = {"monthly_income": 1500000, "support_group": "other"}
    else:
        amount = HHI_AMOUNT[min(member_order, 3)] * period
        extra = {"member_order": member_order}
    user = world.users[collector]
    db.session.add(Enrollment(id=eid, person_id=person_id, area_id=world.areas[village],
                              scheme=scheme, start_month=start, period_months=period,
                              amount_due=amount, paid=paid, kind=kind, created_by_id=user,
                              **extra))
    db.session.flush()
    register_changes([("enrollment", eid, world.areas[village], user)])
    if paid and receipt is not False:
        payment_id = _id()
        db.session.add(Payment(id=payment_id, enrollment_id=eid, area_id=world.areas[village],
                               amount=amount, receipt_no=receipt or f"R{eid[:8]}",
                               paid_on=paid_on or date.fromisoformat(start + "-01"),
                               method=method, organization_id=world.org_id,
                               created_by_id=user))
        db.session.flush()
        register_changes([("payment", payment_id, world.areas[village], user)])
    return eid


def vsi_payer(world, start, period, paid=True, **kw):
    """A person with one VSI sign-up: (household id, person id, enrollment id)."""
    hid = household(world, kw.pop("village", "31001-1"))
    pid = person(world, hid, ended_on=kw.pop("ended_on", None),
                 ended_reason=kw.pop("ended_reason", None))
    return hid, pid, enrollment(world, pid, start, period, paid=paid, **kw)
