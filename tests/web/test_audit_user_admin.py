"""Creating and changing users and revoking devices write the audit log: who, when, before,
after, in the same transaction as the change (issue #2)."""
from fieldapp.extensions import db
from fieldapp.models import AuditEntry, Device, User
from tests.web import records

NEW_USER = {"username": "thu.nguyen", "full_name": "Nguyễn Thị Thu", "phone": "+84 912 345 678",
            "role": "collector", "areas": "31001-1, 31001-2", "password": "mat-khau-dai"}


def entries(app, entity):
    with app.app_context():
        return db.session.query(AuditEntry).filter_by(entity=entity).order_by(AuditEntry.id).all()


def test_creating_a_user_writes_an_audit_entry(app, world, login_as):
    client = login_as("admin")
    resp = client.post("/admin/users/new", data=dict(NEW_USER, organization=str(world.org_id)))
    assert resp.status_code == 302
    with app.app_context():
        user = db.session.query(User).filter_by(username="thu.nguyen").one()
        assert user.check_password("mat-khau-dai")
        assert user.phone == "0912345678"
        assert sorted(a.code for a in user.areas) == ["31001-1", "31001-2"]
        user_id = user.id
    [entry] = entries(app, "user")
    assert entry.action == "create"
    assert entry.entity_id == str(user_id)
    assert entry.user_id == world.users["admin"]
    assert entry.before is None
    assert entry.after["username"] == "thu.nguyen"
    assert entry.after["areas"] == ["31001-1", "31001-2"]
    assert "password_hash" not in entry.after and "password" not in entry.after
    assert entry.at is not None


def test_changing_a_user_records_before_and_after(app, world, login_as):
    client = login_as("admin")
    uid = world.users["col_a"]
    resp = client.post(f"/admin/users/{uid}", data={
        "full_name": "COL_A", "role": "collector", "areas": "31001-1", "organization": ""})
    assert resp.status_code == 302
    [entry] = entries(app, "user")
    assert entry.action == "update"
    assert entry.before["areas"] == ["31001"] and entry.after["areas"] == ["31001-1"]
    assert entry.before["active"] is True and entry.after["active"] is False
    with app.app_context():
        assert db.session.get(User, uid).active is False


def test_saving_without_a_change_writes_nothing(app, world, login_as):
    client = login_as("admin")
    uid = world.users["col_a"]
    client.post(f"/admin/users/{uid}", data={
        "full_name": "COL_A", "role": "collector", "areas": "31001",
        "organization": str(world.org_id), "active": "y"})
    assert entries(app, "user") == []


def test_new_password_is_audited_without_the_password(app, world, login_as):
    client = login_as("admin")
    uid = world.users["col_a"]
    assert client.post(f"/admin/users/{uid}/password",
                       data={"password": "mot-mat-khau-moi"}).status_code == 302
    [entry] = entries(app, "user")
    assert "mot-mat-khau-moi" not in str(entry.before) + str(entry.after)
    with app.app_context():
        assert db.session.get(User, uid).check_password("mot-mat-khau-moi")


def test_revoking_a_device_is_audited(app, world, login_as):
    device_id = records.device(app, world.users["col_a"])
    client = login_as("sup_a")
    assert client.post(f"/admin/devices/{device_id}/revoke").status_code == 302
    [entry] = entries(app, "device")
    assert entry.action == "update" and entry.entity_id == device_id
    assert entry.before == {"revoked_at": None} and entry.after["revoked_at"]
    assert entry.user_id == world.users["sup_a"]


def test_audit_page_shows_newest_first_and_filters(app, world, login_as):
    client = login_as("admin")
    client.post("/admin/users/new", data=dict(NEW_USER, username="first.user"))
    client.post("/admin/users/new", data=dict(NEW_USER, username="second.user"))
    page = client.get("/admin/audit?entity=user").get_data(as_text=True)
    table = page[page.index("<tbody>"):]
    assert table.index("second.user") < table.index("first.user")
    assert "second.user" not in client.get("/admin/audit?entity=device").get_data(as_text=True)
    assert "second.user" not in client.get("/admin/audit?user=sup_a").get_data(as_text=True)
    assert "second.user" in client.get("/admin/audit?user=admin").get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Device).count() == 0
