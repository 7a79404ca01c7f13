"""Pairings, successful and failed, are in the audit log as sign-ins: the account (or the
username tried), the address, the device, when (issue #9, point 3)."""
from sqlalchemy import select

from fieldapp.extensions import db
from fieldapp.models import AuditEntry
from tests.device import Device, error_of, pair_raw


def _sign_ins(app):
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("sign_in%"))
                                  .order_by(AuditEntry.id)).all()
        return [(r.action, r.entity_id, r.user_id, r.after) for r in rows]


def test_a_pairing_is_audited_with_its_device(app, client, world):
    device = Device.paired(client, "col_a")
    [(action, entity_id, user_id, after)] = _sign_ins(app)
    assert (action, entity_id, user_id) == ("sign_in", str(world.users["col_a"]), world.users["col_a"])
    assert after == {"username": "col_a", "address": "127.0.0.1", "via": "pairing",
                     "device": device.pairing["device_id"], "device_name": "contract phone"}


def test_a_failed_pairing_is_audited(app, client, world):
    error_of(pair_raw(client, "col_a", "wrong", device_name="Máy lạ"), 401, "unauthorized")
    error_of(pair_raw(client, "nobody\x00", "pw"), 401, "unauthorized")
    rows = _sign_ins(app)
    assert rows == [
        ("sign_in_failed", str(world.users["col_a"]), world.users["col_a"],
         {"username": "col_a", "address": "127.0.0.1", "via": "pairing", "device_name": "Máy lạ"}),
        ("sign_in_failed", "nobody", None,
         {"username": "nobody", "address": "127.0.0.1", "via": "pairing",
          "device_name": "contract phone"}),
    ]


def test_a_rate_limited_pairing_is_not_written(app, client, world):
    for _ in range(10):
        pair_raw(client, "col_a", "wrong")
    error_of(pair_raw(client, "col_a", "wrong"), 429, "rate_limited")
    assert len(_sign_ins(app)) == 10
