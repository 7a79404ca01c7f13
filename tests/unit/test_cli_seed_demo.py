"""`seed-demo` builds a demo city that the rest of the app accepts as real data (#2)."""
import re
import time
from datetime import UTC, datetime

from flask_babel import force_locale
from sqlalchemy import func, select

from fieldapp.data import demo
from fieldapp.extensions import db
from fieldapp.i18n import local_zone
from fieldapp.models import (
    Area,
    Change,
    CollectionPoint,
    CoordinationProgram,
    Counter,
    Enrollment,
    Household,
    Organization,
    Outreach,
    ParticipantCount,
    Person,
    Plan,
    Referral,
    User,
    Visit,
)
from fieldapp.records.forms import validate_record
from fieldapp.records.types import RECORD_MODELS
from fieldapp.rules.policy import PolicyBook
from fieldapp.syncserver.shapes import Shaper, fetch
from tests.conftest import reset_schema
from tests.unit.cli_support import count, invoke

NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)

#: A lowercase version-4 UUID: the demo makes its ids as devices do.
UUID4 = r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"


def test_seed_demo_creates_the_users_with_the_given_password(app):
    result = invoke(app, "seed-demo", "--password", "hai-phong-26")
    assert result.exit_code == 0, result.output
    assert "hai-phong-26" in result.output
    with app.app_context():
        users = {u.username: u for u in db.session.scalars(select(User))}
        assert set(users) == {"admin", "supervisor", "collector1", "collector2", "village1"}
        assert {u.role for u in users.values()} == {"admin", "supervisor", "collector",
                                                    "village_head"}
        assert all(u.check_password("hai-phong-26") for u in users.values())
        assert all(u.areas for u in users.values())
        assert [a.level for a in users["village1"].areas] == ["village"]


def test_seed_demo_builds_the_city(app):
    assert invoke(app, "seed-demo").exit_code == 0
    with app.app_context():
        communes = db.session.scalars(select(Area).where(Area.level == "commune")).all()
        assert len(communes) >= 3 and all(re.fullmatch(r"\d{5}", c.code) for c in communes)
        villages = db.session.scalars(select(Area).where(Area.level == "village")).all()
        assert all(v.code.startswith(v.parent.code + "-") for v in villages)
        assert any(v.name.startswith("Thôn") for v in villages)
        assert any(v.name.startswith("Tổ dân phố") for v in villages)
        org = db.session.scalars(select(Organization)).one()
        points = db.session.scalars(select(CollectionPoint)).all()
        assert {p.area_id for p in points} == {c.id for c in communes}
        assert all(p.code == "001" for p in points if p.area_id != communes[0].id)
        assert count(app, CoordinationProgram) >= 1
        households = count(app, Household)
        assert 200 <= households <= 600
        sizes = db.session.execute(select(func.count()).select_from(Person)
                                   .group_by(Person.household_id)).scalars().all()
        assert len(sizes) == households and min(sizes) >= 2 and max(sizes) <= 5
        ids = db.session.scalars(select(Person.personal_id).where(Person.personal_id.is_not(None))).all()
        assert len(ids) == len(set(ids)) and all(re.fullmatch(r"\d{12}", i) for i in ids)
        assert db.session.scalar(select(func.count()).select_from(Person)
                                 .where(Person.full_name.like("Nguyễn %"))) > 0
        for model in (Visit, Enrollment, Referral, Outreach):
            assert count(app, model) > 0, model
        year = datetime.now(UTC).year
        plans = db.session.scalars(select(Plan).where(Plan.year == year)).all()
        assert {(p.area_id, p.scheme) for p in plans if p.area_id} == {
            (c.id, s) for c in communes for s in ("vsi", "hhi")}
        assert {p.scheme for p in plans if p.organization_id == org.id} == {"vsi", "hhi"}
        months = db.session.scalars(select(ParticipantCount.month).distinct()).all()
        assert len(months) == 12
        assert count(app, ParticipantCount) == 12 * 2 * len(communes)
        referrals = db.session.scalars(select(Referral)).all()
        assert {r.created_by.username for r in referrals} == {"village1"}


def test_demo_amounts_come_from_the_premium_calculator(app):
    assert invoke(app, "seed-demo").exit_code == 0
    with app.app_context():
        book = PolicyBook.load()
        enrollments = db.session.scalars(select(Enrollment)).all()
        assert {e.scheme for e in enrollments} == {"vsi", "hhi"}
        for e in enrollments:
            premium = book.compute(e.scheme, e.start_month, e.period_months,
                                   monthly_income=e.monthly_income,
                                   support_group=e.support_group, member_order=e.member_order)
            assert (e.amount_due, e.monthly_amount, e.policy_set_id) == (
                premium.amount_due, premium.monthly_amount, premium.set_id)


def test_demo_records_pass_the_record_forms(app):
    """Each demo record, as a device pulls it (and would push it back), passes its form."""
    assert invoke(app, "seed-demo").exit_code == 0
    with app.app_context(), force_locale("en"):
        shaper = Shaper(local_zone())
        for kind, model in RECORD_MODELS.items():
            ids = db.session.scalars(select(model.id)).all()
            assert ids, kind
            found = fetch(db.session.connection(), shaper, {kind: ids})
            assert len(found) == len(ids)
            for rid, record in found.items():
                cleaned, errors = validate_record(kind, record["data"])
                assert errors == {}, (kind, rid, errors)


def test_demo_records_are_synced_records_in_the_change_feed(app):
    assert invoke(app, "seed-demo").exit_code == 0
    with app.app_context():
        changes = db.session.scalars(select(Change)).all()
        live = {(c.record_type, c.record_id): c for c in changes if not c.deleted}
        assert len(live) == len(changes)
        total = 0
        for kind, model in RECORD_MODELS.items():
            for r in db.session.scalars(select(model)):
                total += 1
                assert re.fullmatch(UUID4, r.id)
                assert r.version == 1 and r.created_by_id is not None
                change = live[(kind, r.id)]
                assert (change.area_id, change.owner_id) == (r.area_id, r.created_by_id)
        assert len(live) == total
        seqs = sorted(c.seq for c in changes)
        assert seqs == list(range(seqs[0], seqs[0] + total))  # one block, no gaps or repeats
        assert db.session.get(Counter, "changes").value == seqs[-1]


def test_seed_demo_if_empty_does_nothing_the_second_time(app):
    first = invoke(app, "seed-demo", "--if-empty")
    assert first.exit_code == 0, first.output
    households = count(app, Household)
    second = invoke(app, "seed-demo", "--if-empty")
    assert second.exit_code == 0
    assert "already has users" in second.output
    assert count(app, Household) == households and count(app, User) == 5


def test_seed_demo_refuses_a_database_with_users(app, world):
    result = invoke(app, "seed-demo")
    assert result.exit_code != 0
    assert "already has users" in result.output
    assert count(app, Household) == 0


def _fingerprint(app):
    with app.app_context():
        return (db.session.execute(select(Household.id, Household.head_name, Household.address)
                                   .order_by(Household.id)).all(),
                db.session.execute(select(Person.id, Person.full_name, Person.personal_id,
                                          Person.birth_date).order_by(Person.id)).all(),
                db.session.execute(select(Enrollment.id, Enrollment.amount_due)
                                   .order_by(Enrollment.id)).all())


def test_seed_demo_is_deterministic_and_fast(app):
    with app.app_context():
        started = time.monotonic()
        demo.seed(now=NOW)
        elapsed = time.monotonic() - started
    first = _fingerprint(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            db.drop_all()
        reset_schema(app)
        demo.seed(now=NOW)
    assert _fingerprint(app) == first
    assert elapsed < 10
