"""Creating and changing users: field rules, areas by code within the admin's scope, and
the guard against an admin locking themselves out (issue #2)."""
import pytest

from fieldapp.extensions import db
from fieldapp.models import User

GOOD = {"username": "thu.nguyen", "full_name": "Nguyễn Thị Thu", "phone": "0912 345 678",
        "role": "collector", "areas": "31001", "password": "mat-khau-dai"}


@pytest.mark.parametrize("change,message", [
    ({"username": ""}, "Trường này là bắt buộc."),
    ({"username": "ab"}, "Từ 3 đến 64 ký tự."),
    ({"username": "Thu Nguyễn"}, "Chỉ dùng chữ thường không dấu"),
    ({"username": "col_a"}, "Tên đăng nhập này đã có người dùng."),
    ({"username": "COL_A"}, "Tên đăng nhập này đã có người dùng."),
    ({"full_name": "  "}, "Trường này là bắt buộc."),
    ({"phone": "12345"}, "0912 345 678"),
    ({"role": "superuser"}, "Giá trị không nằm trong danh sách cho phép."),
    ({"areas": ""}, "Hãy giao ít nhất một địa bàn"),
    ({"areas": "31001, 99999"}, "Không có mã địa bàn: 99999"),
    ({"areas": "31\x00001"}, "Không có mã địa bàn"),
    ({"role": "village_head", "areas": "31001"}, "Trưởng thôn chỉ được giao thôn / tổ dân phố."),
    ({"password": "short"}, "Từ 8 đến 200 ký tự."),
    ({"organization": "999999"}, "Giá trị không nằm trong danh sách cho phép."),
])
def test_bad_input_is_refused_with_the_reason(app, world, login_as, change, message):
    client = login_as("admin")
    resp = client.post("/admin/users/new", data=dict(GOOD, **change))
    assert resp.status_code == 400
    assert message in resp.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(User).count() == len(world.users)


def test_good_input_creates_the_user_who_can_sign_in(app, world, login_as):
    admin = login_as("admin")
    assert admin.post("/admin/users/new", data=GOOD).status_code == 302
    other = app.test_client()
    resp = other.post("/login", data={"username": "thu.nguyen", "password": "mat-khau-dai"})
    assert resp.status_code == 302


def test_an_admin_cannot_assign_areas_outside_their_own(app, world):
    from fieldapp.models import Area

    with app.app_context():
        other = Area(code="79", name="Thành phố Hồ Chí Minh", level="province")
        db.session.add(other)
        admin = db.session.get(User, world.users["admin"])
        db.session.commit()
        assert admin.areas[0].code == "31"
    client = app.test_client()
    client.post("/login", data={"username": "admin", "password": "pw"})
    resp = client.post("/admin/users/new", data=dict(GOOD, areas="79"))
    assert resp.status_code == 400
    assert "Ngoài địa bàn của bạn: 79" in resp.get_data(as_text=True)


def test_an_admin_cannot_deactivate_themselves(app, world, login_as):
    client = login_as("admin")
    resp = client.post(f"/admin/users/{world.users['admin']}",
                       data={"full_name": "ADMIN", "role": "admin", "areas": "31"})
    assert resp.status_code == 400
    with app.app_context():
        assert db.session.get(User, world.users["admin"]).active is True


def test_a_deactivated_user_can_no_longer_sign_in(app, world, login_as):
    admin = login_as("admin")
    admin.post(f"/admin/users/{world.users['col_a']}",
               data={"full_name": "COL_A", "role": "collector", "areas": "31001"})
    resp = app.test_client().post("/login", data={"username": "col_a", "password": "pw"})
    assert resp.status_code == 401


def test_users_page_lists_devices_with_their_sync_state(app, world, login_as):
    from tests.web import records

    records.device(app, world.users["col_a"], name="Redmi Note 12")
    page = login_as("admin").get("/admin/users").get_data(as_text=True)
    assert "Redmi Note 12" in page
    assert "2026.11.1" in page
    assert "Chờ đồng bộ: 2" in page
    assert "20/11/2026 09:00" in page  # 02:00 UTC shown in Vietnam time
