"""The collection network page (issue #13): collection points with their code unique in a
commune, coordination programs and their share per province, devices to watch, the field staff
a supervisor manages, and nothing of another subtree."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fieldapp.extensions import db
from fieldapp.models import CollectionPoint, CoordinationProgram, Device, Organization, User
from fieldapp.models.base import utcnow
from fieldapp.reports.network import agreement_coverage
from fieldapp.rules.access import scope_of
from tests.web import records, synthesis_data


@pytest.fixture
def data(app, world):
    return synthesis_data.build(app, world)


def _points(app):
    with app.app_context():
        return db.session.scalar(select(func.count(CollectionPoint.id)))


def _point_form(org_id, commune="31001", code="003", name="Điểm thu mới"):
    return {"pt-organization": str(org_id), "pt-commune": commune, "pt-code": code, "pt-name": name,
            "pt-address": "Số 5 Lê Lợi"}


def test_a_point_is_added_and_listed(app, world, data, login_as):
    client = login_as("sup_a")
    resp = client.post("/supervisor/network/points", data=_point_form(world.org_id))
    assert resp.status_code == 302
    assert "003 " in client.get("/supervisor/network").get_data(as_text=True).replace("</td>", " ")
    assert _points(app) == 4


def test_a_duplicate_code_in_one_commune_is_refused_naming_the_field(app, world, data, login_as):
    client = login_as("sup_a")
    resp = client.post("/supervisor/network/points", data=_point_form(world.org_id, code="001"))
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert 'id="pt-code-error"' in html
    assert "Mã 001 đã được dùng cho một điểm thu khác ở xã 31001." in html
    assert _points(app) == 3


def test_the_same_code_in_another_commune_is_allowed(app, world, data, login_as):
    resp = login_as("admin").post("/supervisor/network/points",
                                  data=_point_form(data["htx"], commune="31002", code="002"))
    assert resp.status_code == 302
    resp = login_as("admin").post("/supervisor/network/points",
                                  data=_point_form(world.org_id, commune="31002", code="002"))
    assert resp.status_code == 400 and 'id="pt-code-error"' in resp.get_data(as_text=True)


@pytest.mark.parametrize("changes, field, message", [
    ({"pt-code": "000"}, "pt-code", "Ba chữ số từ 001 đến 999."),
    ({"pt-code": "1234"}, "pt-code", "Ba chữ số từ 001 đến 999."),
    ({"pt-code": "12"}, "pt-code", "Ba chữ số từ 001 đến 999."),
    ({"pt-commune": "31001-1"}, "pt-commune", "Nhập mã của một xã/phường."),
    ({"pt-commune": "31002"}, "pt-commune", "Ngoài địa bàn của bạn"),
    ({"pt-name": ""}, "pt-name", ""),
])
def test_bad_point_input_names_the_field(app, world, data, login_as, changes, field, message):
    form = {**_point_form(world.org_id), **changes}
    resp = login_as("sup_a").post("/supervisor/network/points", data=form)
    assert resp.status_code == 400
    html = resp.get_data(as_text=True)
    assert f'id="{field}-error"' in html and message in html
    assert _points(app) == 3


def test_a_supervisor_cannot_use_an_organization_of_another_subtree(app, world, data, login_as):
    resp = login_as("sup_a").post("/supervisor/network/points", data=_point_form(data["htx"]))
    assert resp.status_code == 400 and 'id="pt-organization-error"' in resp.get_data(as_text=True)


def test_an_organization_is_added_with_its_kind(app, world, login_as):
    client = login_as("sup_a")
    form = {"org-code": "UBND31001", "org-name": "UBND phường Hồng Bàng", "org-kind": "commune_committee",
            "org-area": "31001"}
    assert client.post("/supervisor/network/organizations", data=form).status_code == 302
    again = client.post("/supervisor/network/organizations", data=form)
    assert again.status_code == 400 and 'id="org-code-error"' in again.get_data(as_text=True)
    bad = client.post("/supervisor/network/organizations", data={**form, "org-code": "X", "org-kind": "bank"})
    assert bad.status_code == 400 and 'id="org-kind-error"' in bad.get_data(as_text=True)
    with app.app_context():
        org = db.session.scalar(select(Organization).filter_by(code="UBND31001"))
        assert org.kind == "commune_committee"


def _coverage(app, username):
    with app.test_request_context():
        user = db.session.scalar(select(User).filter_by(username=username))
        return [(c["province"].code, c["communes"], c["covered"], c["share"],
                 [a.code for a in c["missing"]]) for c in agreement_coverage(scope_of(user).area_ids)]


def test_agreement_share_per_province_is_exact(app, world, data, login_as):
    # 31001 has a signed program; 31002 has one recorded but not signed.
    assert _coverage(app, "admin") == [("31", 2, 1, 0.5, ["31002"])]
    html = login_as("admin").get("/supervisor/network").get_data(as_text=True)
    assert "50,00%" in html and "Xã An Lão (31002)" in html
    form = {"ag-organization": str(data["htx"]), "ag-commune": "31002", "ag-signed": "y",
            "ag-signed_on": "2026-11-20", "ag-document_ref": "45/CTPH"}
    assert login_as("admin").post("/supervisor/network/agreements", data=form).status_code == 302
    assert _coverage(app, "admin") == [("31", 2, 2, 1.0, [])]
    with app.app_context():
        row = db.session.scalar(select(CoordinationProgram).filter_by(area_id=world.areas["31002"]))
        assert (row.signed, row.signed_on.isoformat(), row.document_ref) == (True, "2026-11-20", "45/CTPH")
        assert db.session.scalar(select(func.count(CoordinationProgram.id))) == 2  # updated, not added


def test_a_signed_agreement_needs_its_date(app, world, data, login_as):
    form = {"ag-organization": str(data["htx"]), "ag-commune": "31002", "ag-signed": "y"}
    resp = login_as("admin").post("/supervisor/network/agreements", data=form)
    assert resp.status_code == 400 and 'id="ag-signed_on-error"' in resp.get_data(as_text=True)


def test_a_commune_without_a_point_is_not_counted(app, world, login_as):
    assert _coverage(app, "admin") == []


def _device(app, user_id, last_sync, outbox, name):
    device_id = records.device(app, user_id, name=name)
    with app.app_context():
        d = db.session.get(Device, device_id)
        d.last_sync_at, d.outbox_depth = last_sync, outbox
        db.session.commit()
    return device_id


def test_devices_warn_when_records_wait_and_no_sync_for_three_days(app, world, data, login_as):
    now = utcnow()
    _device(app, world.users["col_a"], now - timedelta(days=4), 5, "Máy cũ chờ")
    _device(app, world.users["col_a2"], now - timedelta(hours=2), 5, "Máy mới đồng bộ")
    _device(app, world.users["col_a2"], now - timedelta(days=9), 0, "Máy trống")
    html = login_as("sup_a").get("/supervisor/network").get_data(as_text=True)
    rows = html.split("<tr")
    warned = [r for r in rows if "Còn bản ghi chờ, 3 ngày chưa đồng bộ" in r]
    assert len(warned) == 1 and "Máy cũ chờ" in warned[0]


def test_revoke_from_the_network_page_comes_back_to_it(app, world, data, login_as):
    device_id = _device(app, world.users["col_a"], utcnow(), 0, "Máy mất")
    client = login_as("sup_a")
    resp = client.post(f"/admin/devices/{device_id}/revoke", data={"next": "/supervisor/network#devices"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/supervisor/network#devices")
    with app.app_context():
        assert db.session.get(Device, device_id).revoked_at is not None


def test_a_supervisor_sees_nothing_of_another_subtree(app, world, data, login_as):
    other_device = _device(app, world.users["col_b"], utcnow(), 0, "Máy của COL_B")
    _device(app, world.users["col_a"], utcnow(), 0, "Máy của COL_A")
    client = login_as("sup_a")
    html = client.get("/supervisor/network").get_data(as_text=True)
    for mine in ("Bưu điện Hải Phòng", "Điểm thu Hồng Bàng", "COL_A", "Máy của COL_A"):
        assert mine in html, mine
    for theirs in ("HTX Dịch vụ An Lão", "Điểm thu An Lão", "COL_B", "Máy của COL_B", "Xã An Lão"):
        assert theirs not in html, theirs
    users = client.get("/admin/users").get_data(as_text=True)
    assert "col_a2" in users and "col_b" not in users and "sup_b" not in users
    assert client.get(f"/admin/users/{world.users['col_b']}").status_code == 403
    assert client.get(f"/admin/users/{world.users['sup_b']}").status_code == 403
    assert client.post(f"/admin/devices/{other_device}/revoke").status_code == 403


def _user_form(**changes):
    form = {"username": "col_new", "full_name": "Nhân viên mới", "phone": "", "role": "collector",
            "organization": "", "collection_point": "", "areas": "31001-1", "password": "mat-khau-1"}
    form.update(changes)
    return form


def test_a_supervisor_creates_a_collector_attached_to_a_point(app, world, data, login_as):
    client = login_as("sup_a")
    form = _user_form(organization=str(world.org_id), collection_point=str(data["p2"]))
    assert client.post("/admin/users/new", data=form).status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).filter_by(username="col_new"))
        assert (user.organization_id, user.collection_point_id) == (world.org_id, data["p2"])
    assert "col_new" in client.get("/supervisor/network").get_data(as_text=True)


@pytest.mark.parametrize("changes, field", [
    ({"role": "supervisor"}, "role"),
    ({"role": "admin"}, "role"),
    ({"areas": "31002-1"}, "areas"),
    ({"organization": "ORG", "collection_point": "P3"}, "collection_point"),
    ({"collection_point": "P1"}, "collection_point"),  # a point of BD31, no organization given
])
def test_a_supervisor_cannot_create_beyond_their_field_staff(app, world, data, login_as, changes, field):
    values = {"ORG": str(data["htx"]), "P3": str(data["p3"]), "P1": str(data["p1"])}
    form = _user_form(**{k: values.get(v, v) for k, v in changes.items()})
    resp = login_as("sup_a").post("/admin/users/new", data=form)
    assert resp.status_code == 400
    assert f'id="{field}-error"' in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User).filter_by(username="col_new")) is None


def test_a_supervisor_deactivates_and_resets_a_collector(app, world, data, login_as):
    client = login_as("sup_a")
    uid = world.users["col_a2"]
    form = _user_form(role="collector", areas="31001", organization=str(world.org_id),
                      collection_point=str(data["p1"]))
    form.pop("username"), form.pop("password")
    assert client.post(f"/admin/users/{uid}", data=form).status_code == 302  # no "active": off
    assert client.post(f"/admin/users/{uid}/password", data={"password": "mat-khau-moi"}).status_code == 302
    with app.app_context():
        user = db.session.get(User, uid)
        assert not user.active and user.collection_point_id == data["p1"]
        assert user.check_password("mat-khau-moi")


def _workbook(client):
    import io

    from openpyxl import load_workbook

    resp = client.get("/supervisor/network.xlsx")
    assert resp.status_code == 200
    assert "mang-luoi-thu.xlsx" in resp.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(resp.data))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}, book


def test_the_network_downloads_as_a_workbook_of_its_tables(app, world, data, login_as):
    """"Tải Excel": a sheet for each table of the page, the same rows, numbers and dates as
    numbers and dates; and nothing of another subtree."""
    from datetime import datetime

    _device(app, world.users["col_a"], utcnow() - timedelta(days=4), 5, "Máy cũ chờ")
    _device(app, world.users["col_b"], utcnow(), 0, "Máy của COL_B")
    client = login_as("sup_a")
    assert "/supervisor/network.xlsx" in client.get("/supervisor/network").get_data(as_text=True)
    sheets, book = _workbook(client)
    assert list(sheets) == ["Tổ chức dịch vụ thu", "Điểm thu", "Nhân viên thu và trưởng thôn",
                            "Xã có điểm thu", "Chương trình đã ghi nhận", "Thiết bị"]
    orgs, points, people, coverage, programs, devices = sheets.values()
    assert orgs[0] == ["Mã", "Tên", "Loại", "Địa bàn"]
    assert [r[0] for r in orgs[1:]] == ["BD31"]
    assert [(r[0], r[1]) for r in points[1:]] == [("Phường Hồng Bàng (31001)", "001"),
                                                  ("Phường Hồng Bàng (31001)", "002")]
    usernames = {r[1] for r in people[1:]}
    assert {"col_a", "col_a2", "col_a3"} <= usernames and "col_b" not in usernames
    # Only 31001 is in sup_a's areas: its program is signed, so the share is 100 %.
    assert coverage[1][1:4] == [1, 1, 1.0]
    assert book.worksheets[3].cell(row=2, column=4).number_format == "0.00%"
    assert programs[1][0] == "Phường Hồng Bàng (31001)" and programs[1][3] == datetime(2026, 3, 2)
    assert [r[0] for r in devices[1:]] == ["Máy cũ chờ"]
    device = devices[1]
    assert isinstance(device[3], datetime) and device[4] == 5
    assert device[7] == "Còn bản ghi chờ, 3 ngày chưa đồng bộ"
    other = app.test_client()
    assert other.post("/login", data={"username": "sup_b", "password": "pw"}).status_code == 302
    theirs, _book = _workbook(other)
    assert [r[0] for r in theirs["Tổ chức dịch vụ thu"][1:]] == ["HTX02"]
    assert [r[0] for r in theirs["Thiết bị"][1:]] == ["Máy của COL_B"]
