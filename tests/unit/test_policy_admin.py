"""Admin pages for premium parameter sets (issue #2): list, add a new set, never edit one."""
import uuid
from datetime import date

import pytest

from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Enrollment, Household, Person, PolicyParameterSet
from fieldapp.rules.policy import PolicyBook
from tests.conftest import build_world, make_app, reset_schema, valid_form


def set_count(app):
    with app.app_context():
        return db.session.query(PolicyParameterSet).count()


def test_admin_sees_every_set_newest_first(world, login_as):
    client = login_as("admin")
    resp = client.get("/admin/policy")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    dates = ["01/07/2025", "01/07/2024", "01/07/2023", "01/01/2022"]
    assert all(d in page for d in dates)
    assert [page.index(d) for d in dates] == sorted(page.index(d) for d in dates)
    assert "46.800.000 ₫" in page and "50 / 40 / 30 / 20%" in page and "30 / 25 / 10 / 10%" in page


def test_new_set_form_is_prefilled_from_the_latest_set(world, login_as):
    page = login_as("admin").get("/admin/policy/new").get_data(as_text=True)
    assert 'name="base_salary" required type="text" value="2.340.000"' in page
    assert 'name="hhi_rate" required type="text" value="4,5"' in page
    assert 'name="vsi_periods" required type="text" value="1, 3, 6, 12"' in page
    assert 'name="support_poor" required type="text" value="50"' in page
    assert 'name="hhi_member_5" required type="text" value="40"' in page
    assert 'name="effective_from" required type="date" value=""' in page


def test_admin_adds_a_set_and_it_prices_later_months(app, world, login_as):
    client = login_as("admin")
    resp = client.post("/admin/policy/new", data=valid_form(
        province_support="31 hhi near_poor 30\n01 vsi poor 12,5"))
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/admin/policy")
    with app.app_context():
        row = db.session.scalar(db.select(PolicyParameterSet).filter_by(
            effective_from=date(2026, 7, 1)))
        assert row.params["base_salary"] == 2_527_200
        assert row.params["hhi_rate_bp"] == 450
        assert row.params["hhi_ladder_bp"] == [10000, 7000, 6000, 5000, 4000]
        assert row.params["province_support"] == {"31": {"hhi_bp": {"near_poor": 3000}},
                                                  "01": {"vsi_bp": {"poor": 1250}}}
        assert row.created_by_id == world.users["admin"]
        entry = db.session.scalar(db.select(AuditEntry).filter_by(
            entity="policy_parameter_set", entity_id=str(row.id)))
        assert entry.action == "create" and entry.user_id == world.users["admin"]
        assert entry.after["params"]["base_salary"] == 2_527_200
        book = PolicyBook.load()
        assert book.compute("hhi", "2026-07", 12, member_order=1).monthly_amount == 113_724
        assert book.compute("hhi", "2026-06", 12, member_order=1).monthly_amount == 105_300
    listing = client.get("/admin/policy").get_data(as_text=True)
    assert "01/07/2026" in listing and "2.527.200 ₫" in listing


@pytest.mark.parametrize("role", ["sup_a", "col_a", "head_a"])
def test_only_admins_reach_the_pages(app, world, login_as, role):
    client = login_as(role)
    assert client.get("/admin/policy").status_code == 403
    assert client.get("/admin/policy/new").status_code == 403
    assert client.post("/admin/policy/new", data=valid_form()).status_code == 403
    assert set_count(app) == 4


def test_signed_out_visitor_is_sent_to_sign_in(app, world, client):
    resp = client.post("/admin/policy/new", data=valid_form())
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]
    assert set_count(app) == 4


@pytest.mark.parametrize("field, value", [
    ("effective_from", ""),
    ("effective_from", "2026-07-15"),
    ("effective_from", "01/07/2026"),
    ("effective_from", "2026-W27-3"),
    ("effective_from", "2025-07-01"),          # a set already starts then
    ("base_salary", ""),
    ("base_salary", "abc"),
    ("base_salary", "2.340.000,50"),
    ("base_salary", "0"),
    ("poverty_line", "1.5"),
    ("vsi_rate", "101"),
    ("vsi_rate", "22,555"),
    ("vsi_ceiling_multiple", "0"),
    ("vsi_ceiling_multiple", "twenty"),
    ("support_poor", "-5"),
    ("support_other", ""),
    ("vsi_periods", "0, 3"),
    ("vsi_periods", "1 3 x"),
    ("hhi_rate", "4.5.1"),
    ("hhi_member_5", ""),
    ("hhi_periods", "3, 6, 200"),
    ("province_support", "01 vsi veteran 20"),
    ("province_support", "1 vsi poor 20"),
    ("province_support", "01 hhi farming 120"),
    ("province_support", "01 vsi poor 20\n01 vsi poor 30"),
    ("note", "x" * 501),
])
def test_bad_input_names_the_field_and_stores_nothing(app, world, login_as, field, value):
    client = login_as("admin")
    resp = client.post("/admin/policy/new", data=valid_form(**{field: value}))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert f'id="{field}-error"' in page
    assert page.count('class="error"') == 1
    assert set_count(app) == 4
    with app.app_context():
        changes = (db.session.query(AuditEntry).filter_by(user_id=world.users["admin"])
                   .filter(AuditEntry.action != "sign_in"))  # the admin's own sign-in is there
        assert changes.count() == 0


def test_zero_percent_is_a_value_not_a_missing_field(app, world, login_as):
    resp = login_as("admin").post("/admin/policy/new", data=valid_form(support_other="0"))
    assert resp.status_code == 302
    with app.app_context():
        row = db.session.scalar(db.select(PolicyParameterSet).filter_by(
            effective_from=date(2026, 7, 1)))
        assert row.params["vsi_support_bp"]["other"] == 0


def _enrollment(app, world, start_month):
    """One VSI sign-up starting in ``start_month``, priced with the set then in force."""
    with app.app_context():
        book = PolicyBook.load()
        premium = book.compute("vsi", start_month, 3, 1_500_000, "other")
        area = world.areas["31001-1"]
        hh = Household(id=str(uuid.uuid4()), area_id=area, address="Số 1", head_name="An")
        person = Person(id=str(uuid.uuid4()), area_id=area, household=hh, full_name="An",
                        birth_date=date(1980, 1, 1), sex="male")
        db.session.add(Enrollment(
            id=str(uuid.uuid4()), area_id=area, person=person, scheme="vsi",
            start_month=start_month, period_months=3, monthly_income=1_500_000,
            support_group="other", amount_due=premium.amount_due,
            monthly_amount=premium.monthly_amount, monthly_support=premium.monthly_support,
            policy_set_id=premium.set_id, created_by_id=world.users["col_a"]))
        db.session.commit()


def test_a_set_never_takes_over_months_already_used(app, world, login_as):
    _enrollment(app, world, "2025-09")
    client = login_as("admin")
    resp = client.post("/admin/policy/new", data=valid_form(effective_from="2025-08-01"))
    page = resp.get_data(as_text=True)
    assert resp.status_code == 400 and 'id="effective_from-error"' in page and "2025-09" in page
    assert set_count(app) == 4
    # The first month after the last used one is free.
    assert client.post("/admin/policy/new",
                       data=valid_form(effective_from="2025-10-01")).status_code == 302
    assert set_count(app) == 5
    listing = client.get("/admin/policy").get_data(as_text=True)
    assert '<td class="num">1</td>' in listing  # the 2025-07-01 set is shown as used once


def test_earlier_months_of_a_used_set_stay_free(app, world, login_as):
    """A new set after the last used month of the set before it re-prices nobody."""
    _enrollment(app, world, "2024-08")   # priced with the 2024-07-01 set
    resp = login_as("admin").post("/admin/policy/new", data=valid_form(effective_from="2024-09-01"))
    assert resp.status_code == 302
    assert set_count(app) == 5


def test_post_without_csrf_token_is_refused(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    reset_schema(app)
    build_world(app)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"username": "admin", "password": "pw",
                                       "csrf_token": token}).status_code == 302
    resp = client.post("/admin/policy/new", data=valid_form())
    assert resp.status_code == 400
    assert set_count(app) == 4
    form_page = client.get("/admin/policy/new").get_data(as_text=True)
    token = form_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    ok = client.post("/admin/policy/new", data={**valid_form(), "csrf_token": token})
    assert ok.status_code == 302
    assert set_count(app) == 5
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_pages_speak_vietnamese_by_default(world, login_as):
    client = login_as("admin")
    assert "Tham số tính mức đóng" in client.get("/admin/policy").get_data(as_text=True)
    resp = client.post("/admin/policy/new", data=valid_form(effective_from="2026-07-15"))
    assert "ngày đầu tiên của tháng" in resp.get_data(as_text=True)
