"""A fixed collection network and a month of work in it, for the synthesis tests (#13).

On top of tests/conftest.py's world (province 31 > communes 31001 and 31002; organization
BD31, a post office based in the province):

- organization HTX (a cooperative union based in commune 31002);
- collection points: BD31 001 and 002 in 31001, HTX 001 in 31002 (the same code in another
  commune is allowed);
- collectors: col_a (BD31, point 001), col_a3 (BD31, point 001, no visit: inactive),
  col_a2 (BD31, point 002), col_b (HTX, point 001);
- households H1-H4 in 31001, H5-H7 in 31002;
- November 2026 (local time), with records just outside it that must not count.

The figures this makes are written out in tests/web/test_synthesis.py by hand.
"""
import uuid
from datetime import UTC, datetime

from werkzeug.security import generate_password_hash

from fieldapp.extensions import db
from fieldapp.models import (
    CollectionPoint,
    CoordinationProgram,
    Enrollment,
    Household,
    Organization,
    Outreach,
    Plan,
    Referral,
    User,
)
from tests.web import records

MONTH = "2026-11"


def at(day, hour=3, month=11):
    """A UTC moment in 2026 (03:00 UTC is 10:00 in Vietnam)."""
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def _enroll(person_id, area_id, when, user_id, scheme, kind):
    db.session.add(Enrollment(
        id=str(uuid.uuid4()), person_id=person_id, area_id=area_id, scheme=scheme,
        start_month=when.strftime("%Y-%m"), period_months=3, amount_due=792000,
        monthly_income=1500000 if scheme == "vsi" else None,
        support_group="other" if scheme == "vsi" else None,
        member_order=1 if scheme == "hhi" else None, client_time=when, received_at=when,
        created_by_id=user_id, kind=kind))


def build(app, world):
    """Make the network and the month; returns {name: id} of what the tests need."""
    ids = {}
    with app.app_context():
        a = world.areas
        htx = Organization(code="HTX02", name="HTX Dịch vụ An Lão", kind="cooperative_union",
                           area_id=a["31002"])
        db.session.add(htx)
        db.session.flush()
        p1 = CollectionPoint(organization_id=world.org_id, area_id=a["31001"], code="001",
                             name="Điểm thu Hồng Bàng")
        p2 = CollectionPoint(organization_id=world.org_id, area_id=a["31001"], code="002",
                             name="Điểm thu chợ Sắt")
        p3 = CollectionPoint(organization_id=htx.id, area_id=a["31002"], code="001",
                             name="Điểm thu An Lão")
        db.session.add_all([p1, p2, p3])
        db.session.flush()
        col_a3 = User(username="col_a3", full_name="COL_A3", role="collector",
                      organization_id=world.org_id, password_hash=generate_password_hash("pw"))
        col_a3.areas = [db.session.get(User, world.users["col_a"]).areas[0]]
        db.session.add(col_a3)
        db.session.flush()
        attach = {"col_a": (world.org_id, p1.id), "col_a3": (world.org_id, p1.id),
                  "col_a2": (world.org_id, p2.id), "col_b": (htx.id, p3.id)}
        for name, (org, point) in attach.items():
            user = db.session.get(User, col_a3.id if name == "col_a3" else world.users[name])
            user.organization_id, user.collection_point_id = org, point
        db.session.add_all([
            Plan(organization_id=world.org_id, year=2026, scheme="vsi", target=100, new_participants=4),
            Plan(organization_id=world.org_id, year=2026, scheme="hhi", target=50, new_participants=2),
            Plan(organization_id=htx.id, year=2026, scheme="vsi", target=40, new_participants=4),
            Plan(organization_id=htx.id, year=2025, scheme="vsi", target=40, new_participants=99),
            CoordinationProgram(area_id=a["31001"], organization_id=world.org_id, signed=True,
                                signed_on=datetime(2026, 3, 2).date(), document_ref="12/CTPH-BHXH"),
            CoordinationProgram(area_id=a["31002"], organization_id=htx.id, signed=False),
        ])
        db.session.commit()
        ids.update(htx=htx.id, p1=p1.id, p2=p2.id, p3=p3.id, col_a3=col_a3.id)

    u = world.users
    col_a, col_a2, col_b = u["col_a"], u["col_a2"], u["col_b"]
    hh = {n: records.household(app, world.areas[v], f"Chủ hộ {n}")
          for n, v in (("H1", "31001-1"), ("H2", "31001-1"), ("H3", "31001-2"), ("H4", "31001-2"),
                       ("H5", "31002-1"), ("H6", "31002-1"), ("H7", "31002-1"))}
    pp = {n: records.person(app, hh[n], f"Người {n}") for n in hh}
    pp["H1b"] = records.person(app, hh["H1"], "Vợ H1", relation="spouse")
    # Visits: col_a 3 (H1 twice, H2), col_a2 3 (H3, H1, and H4 at 00:30 on 1 Nov local time),
    # col_b 2 (H5, H6). Outside November: col_a on H4 on 31 Oct local, col_b on 1 Dec local.
    for house, when, who in (("H1", at(3), col_a), ("H1", at(10), col_a), ("H2", at(4), col_a),
                             ("H3", at(5), col_a2), ("H1", at(6), col_a2),
                             ("H4", datetime(2026, 10, 31, 17, 30, tzinfo=UTC), col_a2),
                             ("H5", at(7), col_b), ("H6", at(8), col_b),
                             ("H4", datetime(2026, 10, 31, 16, 30, tzinfo=UTC), col_a),
                             ("H6", datetime(2026, 11, 30, 17, 30, tzinfo=UTC), col_b)):
        records.visit(app, hh[house], when, who)
    with app.app_context():
        area = {n: db.session.get(Household, hh[n]).area_id for n in hh}
        area["H1b"] = area["H1"]
        for person, when, who, scheme, kind in (
                ("H1", at(3), col_a, "vsi", "new"), ("H1b", at(3), col_a, "hhi", "new"),
                ("H2", at(4), col_a, "vsi", "renewed"), ("H3", at(5), col_a2, "vsi", "resumed"),
                ("H5", at(7), col_b, "hhi", "renewed"), ("H7", at(9), col_b, "vsi", "new"),
                # before the month: counts in the year's new sign-ups only
                ("H2", at(15, month=3), col_a, "vsi", "new"),
                # after the month: counts nowhere
                ("H4", at(2, month=12), col_a, "vsi", "new")):
            _enroll(pp[person], area[person], when, who, scheme, kind)
        for who, kind, attendees, when, place in (
                (col_a, "conference", 40, at(12), "31001"), (col_a2, "small_group", 12, at(13), "31001"),
                (col_b, "small_group", 8, at(14), "31002"), (col_b, "small_group", 15, at(15), "31002"),
                (col_a, "small_group", 30, at(1, month=10), "31001")):
            db.session.add(Outreach(id=str(uuid.uuid4()), area_id=world.areas[place], kind=kind,
                                    held_at=when, attendees=attendees, leads=0, created_by_id=who,
                                    client_time=when, received_at=when))
        head = u["head_a"]
        for status, assigned, when, place in (
                ("enrolled", col_a, at(2), "31001-1"), ("assigned", col_a, at(20), "31001-1"),
                ("visited", col_b, at(21), "31002-1"), ("enrolled", col_a, at(20, month=10), "31001-1")):
            db.session.add(Referral(id=str(uuid.uuid4()), area_id=world.areas[place],
                                    contact_name="Người được giới thiệu", reason="farmer",
                                    status=status, assigned_to_id=assigned, created_by_id=head,
                                    client_time=when, received_at=when))
        db.session.commit()
    ids["households"] = hh
    return ids
