"""Fixtures shared by every test: an app on a fresh database, clients, and a small world.

The database comes from FIELDAPP_TEST_DATABASE_URL (a PostgreSQL URL for the second pass of
`make test`); without it each test gets its own SQLite file.
"""
import os
from datetime import date

import pytest
from sqlalchemy import text
from werkzeug.security import generate_password_hash

from fieldapp import create_app
from fieldapp.extensions import db
from fieldapp.rules.policy import seed_parameters

_PG_BASE = os.environ.get("FIELDAPP_TEST_DATABASE_URL", "")
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
#: Under pytest-xdist each worker has its own PostgreSQL database (<name>_gw0, ...), made by
#: tests/run_all.py, since tests truncate every table between them.
PG_URL = f"{_PG_BASE}_{_WORKER}" if _PG_BASE and _WORKER else _PG_BASE
_pg_schema_ready = False


def pytest_report_header(config):
    return f"fieldapp database: {'PostgreSQL ' + PG_URL if PG_URL else 'SQLite (one file per test)'}"


def make_app(tmp_path, **overrides):
    url = PG_URL or f"sqlite:///{tmp_path / 'test.db'}"
    cfg = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
    }
    cfg.update(overrides)
    return create_app(cfg)


def reset_schema(app):
    """Fresh empty tables: create on SQLite, truncate on PostgreSQL (created once per run)."""
    global _pg_schema_ready
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            if not _pg_schema_ready:
                db.drop_all()
                with db.engine.begin() as conn:
                    conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
                db.create_all()
                _pg_schema_ready = True
            names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            db.create_all()


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    reset_schema(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class World:
    """Handles to the objects made by the ``world`` fixture (ids, not live instances)."""


def build_world(app, password="pw"):
    """Province 31 > communes 31001 (villages -1, -2) and 31002 (village -1); one org; users.

    Users: admin (31), sup_a (31001), sup_b (31002), col_a (31001), col_a2 (31001),
    col_b (31002), head_a (village 31001-1). Policy parameters: the published sets.
    """
    from fieldapp.models import Area, Organization, User

    w = World()
    with app.app_context():
        prov = Area(code="31", name="Thành phố Hải Phòng", level="province")
        ca = Area(code="31001", name="Phường Hồng Bàng", level="commune", parent=prov)
        cb = Area(code="31002", name="Xã An Lão", level="commune", parent=prov)
        va1 = Area(code="31001-1", name="Tổ dân phố 1", level="village", parent=ca)
        va2 = Area(code="31001-2", name="Tổ dân phố 2", level="village", parent=ca)
        vb1 = Area(code="31002-1", name="Thôn Đông", level="village", parent=cb)
        org = Organization(code="BD31", name="Bưu điện Hải Phòng", kind="post_office", area=prov)
        db.session.add_all([prov, ca, cb, va1, va2, vb1, org])
        db.session.flush()
        users = {
            "admin": ("admin", [prov]), "sup_a": ("supervisor", [ca]),
            "sup_b": ("supervisor", [cb]), "col_a": ("collector", [ca]),
            "col_a2": ("collector", [ca]), "col_b": ("collector", [cb]),
            "head_a": ("village_head", [va1]),
        }
        hashed = generate_password_hash(password)  # once: each hash costs ~0.3 s (scrypt)
        for name, (role, areas) in users.items():
            u = User(username=name, full_name=name.upper(), role=role, organization=org)
            u.password_hash = hashed
            u.areas = areas
            db.session.add(u)
        db.session.commit()
        seed_parameters()
        db.session.commit()
        w.areas = {a.code: a.id for a in Area.query.all()}
        w.users = {u.username: u.id for u in User.query.all()}
        w.org_id = org.id
        w.password = password
    return w


@pytest.fixture
def world(app):
    return build_world(app)


def login(client, username, password="pw"):
    """Sign a test client in through the real form."""
    return client.post("/login", data={"username": username, "password": password})


@pytest.fixture
def login_as(client):
    def _login(username, password="pw"):
        resp = login(client, username, password)
        assert resp.status_code == 302, resp.get_data(as_text=True)
        return client

    return _login


TODAY = date(2026, 11, 25)


def missing_tool(reason):
    """Skip a test whose tool (Node, a browser) is not on this machine, except in CI: there
    `make setup-dev` installs them, so a missing one is a broken setup and fails loudly."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; in CI (CI is set) every test must run", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def behind_proxy(tmp_path):
    """The app behind one trusted proxy (FIELDAPP_TRUSTED_PROXIES=1) at 127.0.0.1."""
    app = make_app(tmp_path, TRUSTED_PROXIES=1)
    reset_schema(app)
    build_world(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def valid_form(**changes):
    """The admin's form for a complete new premium parameter set: base salary +8% from
    July 2026, other numbers as in 2025."""
    data = {
        "effective_from": "2026-07-01", "base_salary": "2.527.200", "poverty_line": "1.500.000",
        "vsi_rate": "22", "vsi_ceiling_multiple": "20", "support_poor": "50",
        "support_near_poor": "40", "support_ethnic_minority": "30", "support_other": "20",
        "vsi_periods": "1, 3, 6, 12", "hhi_rate": "4,5", "hhi_member_1": "100",
        "hhi_member_2": "70", "hhi_member_3": "60", "hhi_member_4": "50", "hhi_member_5": "40",
        "hhi_periods": "3, 6, 12", "province_support": "", "note": "Nghị định (dự kiến)",
        # The State's minimum HHI shares in force (Decree 188/2025).
        "hhi_support_near_poor": "70", "hhi_support_farming": "30", "hhi_support_student": "50",
        "hhi_support_elderly_no_pension": "0",
    }
    data.update(changes)
    return data
