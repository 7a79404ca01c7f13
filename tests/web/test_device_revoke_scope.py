"""Revoking devices: admins for the users they manage, supervisors for the collectors and
village heads of their own subtree (docs/security.md); nobody else (issue #2)."""
import pytest

from fieldapp.extensions import db
from fieldapp.models import Device
from tests.web import records


def revoked(app, device_id):
    with app.app_context():
        return db.session.get(Device, device_id).revoked_at is not None


@pytest.mark.parametrize("actor,owner,allowed", [
    ("sup_a", "col_a", True),
    ("sup_a", "head_a", True),
    ("sup_a", "col_b", False),    # another commune
    ("sup_a", "sup_b", False),    # not a collector
    ("admin", "col_b", True),
    ("admin", "sup_a", True),
    ("col_a", "col_a2", False),   # collectors revoke nothing here
    ("head_a", "col_a", False),
])
def test_who_may_revoke_whose_device(app, world, login_as, actor, owner, allowed):
    device_id = records.device(app, world.users[owner])
    resp = login_as(actor).post(f"/admin/devices/{device_id}/revoke")
    assert resp.status_code == (302 if allowed else 403)
    assert revoked(app, device_id) is allowed


def test_supervisor_device_list_shows_only_their_collectors(app, world, login_as):
    records.device(app, world.users["col_a"], name="Máy của An")
    records.device(app, world.users["col_b"], name="Máy của Bình")
    page = login_as("sup_a").get("/admin/devices").get_data(as_text=True)
    assert "Máy của An" in page
    assert "Máy của Bình" not in page


def test_revoked_devices_hide_unless_asked(app, world, login_as):
    device_id = records.device(app, world.users["col_a"], name="Máy cũ")
    client = login_as("sup_a")
    client.post(f"/admin/devices/{device_id}/revoke", follow_redirects=True)
    assert "Máy cũ" not in client.get("/admin/devices").get_data(as_text=True)
    assert "Máy cũ" in client.get("/admin/devices?show=all").get_data(as_text=True)


def test_unknown_device_is_404(world, login_as):
    client = login_as("admin")
    assert client.post("/admin/devices/6f1c0a52-1111-4e3a-9a59-0c5f0f7d2b10/revoke").status_code == 404
    assert client.post("/admin/devices/nope/revoke").status_code == 404


def test_revoke_returns_to_the_page_it_was_asked_from(app, world, login_as):
    device_id = records.device(app, world.users["col_a"])
    resp = login_as("admin").post(f"/admin/devices/{device_id}/revoke",
                                  data={"next": "/admin/users?page=1"})
    assert resp.headers["Location"] == "/admin/users?page=1"
