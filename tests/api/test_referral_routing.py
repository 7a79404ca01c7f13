"""Referrals reach a collector and follow the work done on them (#11, referrals).

World (tests/conftest.py): commune 31001 has two collectors (col_a, col_a2), commune 31002
one (col_b); head_a refers in village 31001-1. The tests add a village head in 31002-1 and a
commune with no collector where they need one.
"""
import pytest
from werkzeug.security import generate_password_hash

from fieldapp.extensions import db
from fieldapp.models import Area, AuditEntry, Referral, User
from tests.records import hhi_enrollment, household, person, referral, visit


def add_user(app, world, username, role, codes):
    with app.app_context():
        user = User(username=username, full_name=username.upper(), role=role,
                    password_hash=generate_password_hash("pw", method="pbkdf2:sha256:1000"))
        user.areas = [db.session.get(Area, world.areas[c]) for c in codes]
        db.session.add(user)
        db.session.commit()
        world.users[username] = user.id


def add_commune_without_collector(app, world):
    with app.app_context():
        prov = db.session.get(Area, world.areas["31"])
        commune = Area(code="31003", name="Xã Tân Dân", level="commune", parent=prov)
        village = Area(code="31003-1", name="Thôn Bắc", level="village", parent=commune)
        db.session.add_all([commune, village])
        db.session.commit()
        world.areas.update({"31003": commune.id, "31003-1": village.id})


def stored(app, rid):
    with app.app_context():
        row = db.session.get(Referral, rid)
        return row.status, row.assigned_to.username if row.assigned_to else None, row


@pytest.fixture
def head_b(app, world, api):
    add_user(app, world, "head_b", "village_head", ["31002-1"])
    return api("head_b")


def test_one_collector_covering_the_village_gets_it_at_once(app, world, api, head_b):
    r = referral("31002-1")
    head_b.accepted([r])
    status, assignee, row = stored(app, r["id"])
    assert (status, assignee) == ("assigned", "col_b")
    assert row.assigned_at is not None
    pulled = api("col_b").latest()[r["id"]]
    assert pulled["server"]["status"] == "assigned"
    assert pulled["server"]["assigned_to"] == "col_b"
    assert pulled["version"] == 1
    # The village head's own pull says so too, with the date of each step.
    mine = head_b.latest()[r["id"]]["server"]
    assert mine["status"] == "assigned" and mine["dates"]["assigned"] is not None
    assert mine["dates"]["visited"] is None


def test_a_collector_assigned_to_the_village_itself_covers_it(app, world, api):
    add_commune_without_collector(app, world)
    add_user(app, world, "head_c", "village_head", ["31003-1"])
    add_user(app, world, "col_c", "collector", ["31003-1"])
    r = referral("31003-1")
    api("head_c").accepted([r])
    assert stored(app, r["id"])[:2] == ("assigned", "col_c")


def test_two_collectors_leave_it_new_for_the_supervisor(app, world, api):
    r = referral("31001-1")
    api("head_a").accepted([r])
    assert stored(app, r["id"])[:2] == ("new", None)
    assert api("head_a").latest()[r["id"]]["server"]["status"] == "new"


def test_no_collector_leaves_it_new(app, world, api):
    add_commune_without_collector(app, world)
    add_user(app, world, "head_c", "village_head", ["31003-1"])
    r = referral("31003-1")
    api("head_c").accepted([r])
    assert stored(app, r["id"])[:2] == ("new", None)


def test_an_inactive_collector_covers_nothing(app, world, api, head_b):
    with app.app_context():
        db.session.get(User, world.users["col_b"]).active = False
        db.session.commit()
    r = referral("31002-1")
    head_b.accepted([r])
    assert stored(app, r["id"])[:2] == ("new", None)


def test_a_collectors_own_referral_is_theirs(app, world, api):
    r = referral("31001-2")
    api("col_a2").accepted([r])
    assert stored(app, r["id"])[:2] == ("assigned", "col_a2")
    assert api("col_a2").latest()[r["id"]]["server"]["assigned_to"] == "col_a2"


def test_routing_is_in_the_audit_log(app, world, head_b):
    r = referral("31002-1")
    head_b.accepted([r])
    with app.app_context():
        entry = AuditEntry.query.filter_by(entity_id=r["id"], action="referral_status").one()
        assert entry.after["status"] == "assigned"
        assert entry.after["assigned_to_id"] == world.users["col_b"]


def _referred_and_visited(app, world, api, head_b, **visit_data):
    r = referral("31002-1")
    head_b.accepted([r])
    col = api("col_b")
    h = household("31002-1")
    v = visit(h["id"], referral=r["id"], **visit_data)
    col.accepted([h, v])
    return r, h, v, col


def test_a_visit_naming_the_referral_makes_it_visited(app, world, api, head_b):
    _, cursor = head_b.pull_all()
    r, h, v, col = _referred_and_visited(app, world, api, head_b)
    assert stored(app, r["id"])[0] == "visited"
    changes, _ = head_b.pull_all(cursor)
    mine = [c for c in changes if c["id"] == r["id"]][-1]
    assert mine["version"] == 1
    assert mine["server"]["status"] == "visited"
    assert mine["server"]["dates"]["visited"] is not None
    assert {c["type"] for c in changes} <= {"household", "referral"}  # never visits


@pytest.mark.parametrize("paid", [True, False])
def test_an_enrollment_naming_the_visit_makes_it_enrolled(app, world, api, head_b, paid):
    r, h, v, col = _referred_and_visited(app, world, api, head_b)
    p = person(h["id"])
    e = hhi_enrollment(p["id"], visit=v["id"], paid=paid, start_month="2027-03")
    col.accepted([p, e])
    status, _, row = stored(app, r["id"])
    assert status == "enrolled" and row.enrolled_at is not None
    assert head_b.latest()[r["id"]]["server"]["status"] == "enrolled"


def test_an_enrollment_for_the_household_within_30_days_counts(app, world, api, head_b):
    r, h, v, col = _referred_and_visited(app, world, api, head_b,
                                         visited_at="2026-11-01T09:00:00+07:00")
    p = person(h["id"])
    # Names no visit; made on 25/11, 24 days after the visit.
    e = hhi_enrollment(p["id"], start_month="2026-11", client_time="2026-11-25T10:00:00+07:00")
    col.accepted([p, e])
    assert stored(app, r["id"])[0] == "enrolled"


def test_an_enrollment_for_the_household_after_30_days_does_not(app, world, api, head_b):
    r, h, v, col = _referred_and_visited(app, world, api, head_b,
                                         visited_at="2026-10-01T09:00:00+07:00")
    p = person(h["id"])
    col.accepted([p, hhi_enrollment(p["id"], start_month="2026-11",  # made 55 days after the visit
                                    client_time="2026-11-25T10:00:00+07:00")])
    assert stored(app, r["id"])[0] == "visited"


def test_visit_and_sign_up_in_one_batch(app, world, api, head_b):
    r = referral("31002-1")
    head_b.accepted([r])
    h = household("31002-1")
    p = person(h["id"])
    v = visit(h["id"], referral=r["id"], outcome="enrolled", follow_up_on=None)
    api("col_b").accepted([h, p, v, hhi_enrollment(p["id"], visit=v["id"])])
    status, _, row = stored(app, r["id"])
    assert status == "enrolled"
    assert row.visited_at is not None and row.enrolled_at is not None


def test_the_collector_closes_it_with_a_reason(app, world, api, head_b):
    r = referral("31002-1")
    head_b.accepted([r])
    col = api("col_b")
    current = col.latest()[r["id"]]
    closing = dict(r, version=current["version"], data=dict(r["data"], close_reason="moved_away"))
    col.accepted([closing])
    status, _, row = stored(app, r["id"])
    assert status == "closed" and row.close_reason == "moved_away" and row.closed_at is not None
    seen = head_b.latest()[r["id"]]
    assert seen["server"]["status"] == "closed"
    assert seen["data"]["close_reason"] == "moved_away"
    # Pushed again without a reason, it is open again (assigned, as before).
    reopened = dict(r, version=seen["version"], data=dict(r["data"], close_reason=None))
    col.accepted([reopened])
    assert stored(app, r["id"])[:2] == ("assigned", "col_b")


def test_an_unknown_close_reason_is_refused_under_its_field(app, world, api, head_b):
    r = referral("31002-1", close_reason="bored")
    result = api("col_b").push_ok([r])[0]
    assert result["status"] == "rejected"
    assert list(result["errors"]) == ["close_reason"]
    with app.app_context():
        assert db.session.get(Referral, r["id"]) is None


def test_a_village_head_cannot_close(app, world, api, head_b):
    r = referral("31002-1", close_reason="refused")
    result = head_b.push_ok([r])[0]
    assert result["status"] == "rejected"
    assert list(result["errors"]) == ["close_reason"]


def test_enrollment_outside_the_window_before_the_visit(app, world, api, head_b):
    """The window holds both ways: a sign-up 40 days before the visit does not count."""
    r = referral("31002-1")
    head_b.accepted([r])
    col = api("col_b")
    h = household("31002-1")
    p = person(h["id"])
    col.accepted([h, p, hhi_enrollment(p["id"])])  # client time 25/11/2026
    when = "2027-01-04T09:00:00+07:00"
    col.accepted([visit(h["id"], referral=r["id"], visited_at=when, outcome="not_home",
                        follow_up_on=None)])
    assert stored(app, r["id"])[0] == "visited"


def test_the_village_heads_edit_of_a_closed_referral_keeps_it_closed(app, world, api, head_b):
    r = referral("31002-1")
    head_b.accepted([r])
    col = api("col_b")
    col.accepted([dict(r, version=1, data=dict(r["data"], close_reason="refused"))])
    # The head fixes the phone number; the phone sends the reason it pulled with the record.
    head_b.accepted([dict(r, version=2, data=dict(r["data"], close_reason="refused",
                                                   contact_phone="0912000111"))])
    assert stored(app, r["id"])[0] == "closed"
    # Without it (an older phone) the referral stays closed too.
    head_b.accepted([dict(r, version=3, data=dict(r["data"]))])
    assert stored(app, r["id"])[0] == "closed"
    # But the head cannot give another reason.
    result = head_b.push_ok([dict(r, version=4, data=dict(r["data"], close_reason="moved_away"))])[0]
    assert result["status"] == "rejected" and list(result["errors"]) == ["close_reason"]


def test_close_reasons_are_the_protocols():
    from fieldapp.forms.choices import values
    from sync.protocol import CLOSE_REASONS

    assert tuple(values("close_reason")) == CLOSE_REASONS
