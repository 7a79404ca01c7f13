"""`init-db` creates or migrates the schema with Alembic, and running it again is harmless (#2).

Each test starts from an empty database of its own: a new SQLite file, or on PostgreSQL a
new schema (search_path), so the shared test database is left as the other tests expect.
"""
import os
import uuid

import flask_migrate
import pytest
from sqlalchemy import create_engine, text

from fieldapp.db import schema
from fieldapp.extensions import db
from fieldapp.models import Area, PolicyParameterSet
from tests.conftest import PG_URL, make_app
from tests.unit.cli_support import count, invoke


@pytest.fixture
def blank_app(tmp_path):
    if not PG_URL:
        app = make_app(tmp_path)
        yield app
        with app.app_context():
            db.engine.dispose()
        return
    name = f"cli_init_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    sep = "&" if "?" in PG_URL else "?"
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"{PG_URL}{sep}options=-csearch_path%3D{name}")
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
        admin.dispose()


def state(app):
    with app.app_context():
        return schema.current_revision(), schema.schema_differences()


def test_init_db_on_an_empty_database_builds_the_latest_schema(blank_app):
    result = invoke(blank_app, "init-db")
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    assert state(blank_app) == (schema.head_revision(), [])


def test_init_db_twice_keeps_the_data(blank_app):
    assert invoke(blank_app, "init-db").exit_code == 0
    with blank_app.app_context():
        db.session.add(Area(code="31", name="Thành phố Hải Phòng", level="province"))
        db.session.commit()
    again = invoke(blank_app, "init-db")
    assert again.exit_code == 0, again.output
    assert "already up to date" in again.output
    assert count(blank_app, Area) == 1
    assert state(blank_app) == (schema.head_revision(), [])


def test_init_db_adopts_tables_made_by_create_all(blank_app):
    with blank_app.app_context():
        db.create_all()
        db.session.add(Area(code="31", name="Thành phố Hải Phòng", level="province"))
        db.session.commit()
        assert schema.current_revision() is None
    result = invoke(blank_app, "init-db")
    assert result.exit_code == 0, result.output
    assert "adopted" in result.output and "Warning" not in result.output
    assert count(blank_app, Area) == 1
    assert state(blank_app) == (schema.head_revision(), [])
    assert "already up to date" in invoke(blank_app, "init-db").output


def test_upgrade_from_the_first_migration_reaches_the_models(blank_app):
    first = schema.first_revision()
    with blank_app.app_context():
        flask_migrate.upgrade(directory=str(schema.MIGRATIONS), revision=first)
        assert schema.current_revision() == first
    result = invoke(blank_app, "init-db")
    assert result.exit_code == 0, result.output
    assert state(blank_app) == (schema.head_revision(), [])


def test_init_db_adds_the_premium_parameters_once(blank_app):
    assert "premium parameter sets" in invoke(blank_app, "init-db").output
    sets = count(blank_app, PolicyParameterSet)
    assert sets >= 1
    assert "premium parameter sets" not in invoke(blank_app, "init-db").output
    assert count(blank_app, PolicyParameterSet) == sets


@pytest.mark.parametrize("args", [
    ["seed-demo"], ["create-user", "lan", "--role", "admin", "--password", "long-enough"],
    ["import-plans", __file__], ["export-sqlite", "/nonexistent-dir/x.db"],
])
def test_commands_before_init_db_say_to_run_it(blank_app, args):
    result = invoke(blank_app, *args)
    assert result.exit_code == 1
    assert "run `flask --app app init-db` first" in result.output


def test_upgrade_gives_existing_audit_entries_the_area_of_their_record(blank_app):
    """#9: entries written before audit_entries.area_id take their record's area (or the area
    itself); the rest (users, parameter sets) stay without one."""
    with blank_app.app_context():
        flask_migrate.upgrade(directory=str(schema.MIGRATIONS), revision="c3d1f0a9e5b2")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO areas (id, code, name, level) VALUES (7, '31', 'P', 'province')"))
            conn.execute(text(
                "INSERT INTO households (id, area_id, address, head_name, search_text, version, "
                "content_hash, updated_at, received_at) VALUES ('h-1', 7, 'Số 1', 'An', 'an', 1, "
                "'x', '2026-01-01', '2026-01-01')"))
            for entity, entity_id in (("household", "h-1"), ("area", "7"), ("user", "99")):
                conn.execute(text("INSERT INTO audit_entries (at, action, entity, entity_id) "
                                  "VALUES ('2026-01-01', 'create', :e, :i)"), {"e": entity, "i": entity_id})
    result = invoke(blank_app, "init-db")
    assert result.exit_code == 0, result.output
    with blank_app.app_context():
        rows = db.session.execute(text("SELECT entity, area_id FROM audit_entries "
                                       "WHERE entity_id IN ('h-1', '7', '99')")).all()
    assert dict(rows) == {"household": 7, "area": 7, "user": None}


def test_upgrade_back_fills_the_payer_rows(blank_app):
    """#15: payer_chains starts with the state inputs of the sign-ups and payments already
    stored, as the writes would have kept them."""
    from datetime import date

    from fieldapp.models import Enrollment, Household, Payment, Person
    from fieldapp.syncserver import payerchains

    with blank_app.app_context():
        flask_migrate.upgrade(directory=str(schema.MIGRATIONS), revision="f15a7c3e9b20")
        area = Area(code="31", name="P", level="province")
        db.session.add(area)
        db.session.flush()
        db.session.add(Household(id="h-1", area_id=area.id, address="Số 1", head_name="An",
                                 search_text="an"))
        db.session.add(Person(id="p-1", household_id="h-1", area_id=area.id, full_name="An",
                              birth_date=date(1980, 1, 1), sex="male"))
        for eid, start, paid in (("e-1", "2025-09", True), ("e-2", "2025-12", False)):
            db.session.add(Enrollment(id=eid, person_id="p-1", area_id=area.id, scheme="vsi",
                                      start_month=start, period_months=3, amount_due=792000,
                                      paid=paid, monthly_income=1500000, support_group="other"))
        db.session.flush()
        db.session.add(Payment(id="y-1", enrollment_id="e-1", area_id=area.id, amount=792000,
                               paid_on=date(2025, 9, 5), receipt_no="BL1", method="cash"))
        db.session.commit()
    result = invoke(blank_app, "init-db")
    assert result.exit_code == 0, result.output
    with blank_app.app_context():
        conn = db.session.connection()
        rows = conn.execute(text(f"SELECT {payerchains.COLUMNS} FROM payer_chains")).all()
        assert {tuple(r) for r in rows} == payerchains.fresh_rows(conn)
        (row,) = rows
        # Paid Sep-Nov 2025: the next period starts in December (month index 2025*12+11),
        # lapses at the end of the 3-month window; the latest sign-up is the unpaid renewal.
        assert (row.next_month, row.lapse_month, row.ever_paid, row.solo, row.latest_id) == (
            2025 * 12 + 11, 2025 * 12 + 11 + 3, 1, 1, "e-2")
        assert str(row.last_paid_on)[:10] == "2025-09-05" and row.last_amount == 792000


def test_upgrade_copies_each_persons_household_and_end_onto_the_payer_rows(blank_app):
    """#15, migration b15e8d2f4a63: rows written before the copies existed get their person's
    household and end, as the writes keep them (an ended member's too)."""
    from datetime import date

    from fieldapp.models import Enrollment, Household, Person
    from fieldapp.syncserver import payerchains

    with blank_app.app_context():
        flask_migrate.upgrade(directory=str(schema.MIGRATIONS), revision="b15c4a7e2d91")
        area = Area(code="31", name="P", level="province")
        db.session.add(area)
        db.session.flush()
        db.session.add(Household(id="h-1", area_id=area.id, address="Số 1", head_name="An",
                                 search_text="an"))
        for pid, ended in (("p-1", None), ("p-2", date(2026, 3, 1))):
            db.session.add(Person(id=pid, household_id="h-1", area_id=area.id, full_name="An",
                                  birth_date=date(1980, 1, 1), sex="male", ended_on=ended,
                                  ended_reason=ended and "died"))
            db.session.flush()
            db.session.add(Enrollment(id=f"e-{pid}", person_id=pid, area_id=area.id, scheme="hhi",
                                      start_month="2025-09", period_months=12, amount_due=1263600,
                                      paid=False, member_order=1))
        db.session.flush()
        # The rows as the previous revision kept them (its columns only).
        db.session.execute(text(
            "INSERT INTO payer_chains (person_id, scheme, area_id, first_month, ever_paid, "
            "next_month, lapse_month, solo, latest_start, latest_id, period_months, member_order) "
            "SELECT person_id, 'hhi', area_id, 24308, 0, 24308, 24308, 1, '2025-09', id, 12, 1 "
            "FROM enrollments"))
        db.session.commit()
    result = invoke(blank_app, "init-db")
    assert result.exit_code == 0, result.output
    with blank_app.app_context():
        conn = db.session.connection()
        rows = {r.person_id: (r.household_id, r.ended_on and str(r.ended_on)[:10])
                for r in conn.execute(text("SELECT * FROM payer_chains"))}
        assert rows == {"p-1": ("h-1", None), "p-2": ("h-1", "2026-03-01")}
        kept = {tuple(r) for r in conn.execute(text(f"SELECT {payerchains.COLUMNS} FROM payer_chains"))}
        assert kept == payerchains.fresh_rows(conn)


def test_the_payer_chains_solo_index_downgrades_and_upgrades_again(blank_app):
    """#13, migration c13f7a1d9e52: down gives ix_payer_chains_alive back, up replaces it
    with ix_payer_chains_solo, and the schema is the models' again."""
    assert invoke(blank_app, "init-db").exit_code == 0
    with blank_app.app_context():
        flask_migrate.downgrade(directory=str(schema.MIGRATIONS), revision="c13e6b2f4a80")
        names = {i["name"] for i in db.inspect(db.engine).get_indexes("payer_chains")}
        assert "ix_payer_chains_alive" in names and "ix_payer_chains_solo" not in names
        db.session.remove()
        flask_migrate.upgrade(directory=str(schema.MIGRATIONS))
    assert state(blank_app) == (schema.head_revision(), [])
