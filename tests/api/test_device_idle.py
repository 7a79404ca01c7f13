"""A device token that has not synced for FIELDAPP_DEVICE_IDLE_DAYS (default 60) stops working:
401 like a revoked token (issue #9, point 2). A device that never synced counts from pairing."""
from datetime import timedelta

from fieldapp.extensions import db
from fieldapp.models import Device as DeviceRow
from fieldapp.models import hash_token
from fieldapp.models.base import utcnow
from tests.api.conftest import make_token
from tests.device import Device, error_of


def _set(app, token, **values):
    with app.app_context():
        row = db.session.query(DeviceRow).filter_by(token_hash=hash_token(token)).one()
        for key, value in values.items():
            setattr(row, key, value)
        db.session.commit()


def _device(app, client, world, **values):
    token = make_token(app, world.users["col_a"])
    _set(app, token, **values)
    return Device(client, token)


def test_a_token_that_has_not_synced_for_sixty_days_gets_401(app, client, world):
    assert app.config["DEVICE_IDLE_DAYS"] == 60
    old = utcnow() - timedelta(days=61)
    device = _device(app, client, world, created_at=old - timedelta(days=30), last_sync_at=old)
    resp = device.bootstrap()
    error_of(resp, 401, "unauthorized")
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    error_of(device.push([]), 401, "unauthorized")
    error_of(device.pull(), 401, "unauthorized")


def test_a_token_never_synced_counts_from_pairing(app, client, world):
    device = _device(app, client, world, created_at=utcnow() - timedelta(days=61))
    error_of(device.bootstrap(), 401, "unauthorized")


def test_a_token_that_synced_recently_keeps_working(app, client, world):
    device = _device(app, client, world, created_at=utcnow() - timedelta(days=400),
                     last_sync_at=utcnow() - timedelta(days=59))
    assert device.bootstrap().status_code == 200
    fresh = _device(app, client, world, created_at=utcnow() - timedelta(days=59))
    assert fresh.bootstrap().status_code == 200


def test_a_sync_keeps_the_token_alive(app, client, world):
    device = _device(app, client, world, created_at=utcnow() - timedelta(days=59, hours=23))
    assert device.push([]).status_code == 200
    with app.app_context():
        row = db.session.query(DeviceRow).filter_by(token_hash=hash_token(device.token)).one()
        assert utcnow() - row.last_sync_at < timedelta(minutes=1)


def test_the_limit_is_configurable(app, client, world):
    app.config["DEVICE_IDLE_DAYS"] = 7
    device = _device(app, client, world, created_at=utcnow() - timedelta(days=8))
    error_of(device.bootstrap(), 401, "unauthorized")
    app.config["DEVICE_IDLE_DAYS"] = 0  # no limit
    assert device.bootstrap().status_code == 200
