"""Every accepted write is in the audit log, with what it replaced."""
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry
from tests.records import household


def test_create_and_update_are_audited_with_before_and_after(app, world, api):
    col = api("col_a")
    h = household()
    col.push_ok([h])
    col.push_ok([household(id=h["id"], version=1, address="Số 14")])
    col.push_ok([household(id=h["id"], version=1, address="Số 15")])  # conflict: not audited
    with app.app_context():
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.entity_id == h["id"])
                                     .order_by(AuditEntry.id)).all()
        assert [(e.action, e.entity, e.user_id) for e in entries] == [
            ("create", "household", world.users["col_a"]),
            ("update", "household", world.users["col_a"])]
        assert entries[0].before is None and entries[0].after["address"] == h["data"]["address"]
        assert entries[1].before["address"] == h["data"]["address"]
        assert entries[1].after["address"] == "Số 14"
