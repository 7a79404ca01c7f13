"""An admin assigned part of the country reads the audit log of their areas only, and adds
premium parameter sets only as far as their areas reach (issue #9, point 5).

The world gets a second province (01, Hà Nội): ``admin`` (province 31) is then a province's
admin, ``admin_nat`` (31 and 01) the country's, ``admin_c`` a commune's (31001).
"""
from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from fieldapp.extensions import db
from fieldapp.models import Area, AuditEntry, PolicyParameterSet, User
from tests.api.conftest import make_token
from tests.conftest import valid_form
from tests.device import Device
from tests.records import household

HEADS = {"col_a": "Trần Thị Hồng Bàng", "col_b": "Lê Văn An Lão", "col_hn": "Đỗ Thị Hà Nội"}
AREAS = {"col_a": "31001-1", "col_b": "31002-1", "col_hn": "01001-1"}


@pytest.fixture
def country(app, world):
    with app.app_context():
        hn = Area(code="01", name="Thành phố Hà Nội", level="province")
        commune = Area(code="01001", name="Phường Ba Đình", level="commune", parent=hn)
        village = Area(code="01001-1", name="Tổ dân phố 1", level="village", parent=commune)
        db.session.add_all([hn, commune, village])
        db.session.flush()
        hashed = generate_password_hash("pw")
        areas = {"admin_nat": ["31", "01"], "admin_c": ["31001"], "col_hn": ["01001"]}
        for name, codes in areas.items():
            user = User(username=name, full_name=name.upper(),
                        role="collector" if name == "col_hn" else "admin")
            user.password_hash = hashed
            user.areas = [db.session.scalar(select(Area).filter_by(code=c)) for c in codes]
            db.session.add(user)
        db.session.commit()
        world.areas = {a.code: a.id for a in db.session.scalars(select(Area))}
        world.users = {u.username: u.id for u in db.session.scalars(select(User))}
    return world


@pytest.fixture
def pushed(app, country):
    """One household pushed by a collector in each of 31001, 31002 and 01001."""
    for name, head in HEADS.items():
        device = Device(app.test_client(), make_token(app, country.users[name]))
        device.push_ok([household(area=AREAS[name], head_name=head)])
    return country


def audit_page(client, **params):
    resp = client.get("/admin/audit", query_string=params)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_pushed_entries_carry_the_area_of_their_record(app, pushed):
    with app.app_context():
        rows = db.session.execute(select(AuditEntry.after, AuditEntry.area_id)
                                  .where(AuditEntry.entity == "household")).all()
    assert {after["head_name"]: area for after, area in rows} == {
        HEADS[name]: pushed.areas[AREAS[name]] for name in HEADS}


def test_a_commune_admin_reads_only_the_entries_of_the_commune(pushed, login_as):
    page = audit_page(login_as("admin_c"))
    assert HEADS["col_a"] in page
    assert HEADS["col_b"] not in page and HEADS["col_hn"] not in page
    assert "policy_parameter_set" not in page  # entries of no area: national admins only
    assert HEADS["col_b"] not in audit_page(login_as("admin_c"), entity="household", user="col_b")


def test_a_province_admin_reads_the_province_but_not_entries_of_no_area(pushed, login_as):
    page = audit_page(login_as("admin"))
    assert HEADS["col_a"] in page and HEADS["col_b"] in page
    assert HEADS["col_hn"] not in page
    assert "policy_parameter_set" not in page


def test_a_national_admin_reads_everything(pushed, login_as):
    page = audit_page(login_as("admin_nat"))
    assert all(head in page for head in HEADS.values())
    assert "policy_parameter_set" in page


# -- premium parameter sets ------------------------------------------------------------------

def policy_form(**changes):
    """The set of 2025-07-01 again from 2026-07-01 (same numbers), with ``changes``."""
    return valid_form(**{"base_salary": "2.340.000", "note": "", **changes})


def new_sets(app):
    with app.app_context():
        return db.session.scalars(select(PolicyParameterSet)
                                  .where(PolicyParameterSet.effective_from >= date(2026, 1, 1))).all()


def test_a_commune_admin_adds_no_parameter_set(app, country, login_as):
    client = login_as("admin_c")
    assert client.get("/admin/policy").status_code == 200  # reading stays open
    assert client.get("/admin/policy/new").status_code == 403
    resp = client.post("/admin/policy/new", data=policy_form(province_support="31 vsi poor 10"))
    assert resp.status_code == 403
    assert new_sets(app) == []


def test_a_province_admin_changes_no_national_number(app, country, login_as):
    client = login_as("admin")
    page = client.get("/admin/policy/new").get_data(as_text=True)
    assert "(31)" in page  # told which part is theirs
    assert client.post("/admin/policy/new", data=policy_form(base_salary="2.527.200")).status_code == 403
    assert client.post("/admin/policy/new", data=policy_form(
        support_poor="60", province_support="31 vsi poor 10")).status_code == 403
    assert new_sets(app) == []


def test_a_province_admin_changes_no_other_province(app, country, login_as):
    client = login_as("admin")
    for lines in ("01 vsi poor 10", "31 vsi poor 10\n01 hhi near_poor 5", ""):
        resp = client.post("/admin/policy/new", data=policy_form(province_support=lines))
        assert resp.status_code == 403, lines
    assert new_sets(app) == []


def test_a_province_admin_adds_their_own_support(app, country, login_as):
    client = login_as("admin")
    resp = client.post("/admin/policy/new", data=policy_form(province_support="31 hhi near_poor 30"))
    assert resp.status_code == 302
    [row] = new_sets(app)
    assert row.params["province_support"] == {"31": {"hhi_bp": {"near_poor": 3000}}}
    assert row.params["base_salary"] == 2_340_000
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry).filter_by(
            entity="policy_parameter_set", entity_id=str(row.id)))
        assert entry.area_id == country.areas["31"]  # read by the province's admins too


def test_a_national_admin_changes_anything(app, country, login_as):
    client = login_as("admin_nat")
    resp = client.post("/admin/policy/new", data=policy_form(
        base_salary="2.527.200", province_support="01 vsi poor 10\n31 hhi near_poor 5"))
    assert resp.status_code == 302
    assert len(new_sets(app)) == 1
