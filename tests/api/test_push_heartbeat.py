"""The device heartbeat and last sync time are kept on the device row."""
import pytest

from fieldapp.extensions import db
from fieldapp.models import Device


def _device(app):
    with app.app_context():
        return db.session.scalars(db.select(Device)).one()


def test_push_records_outbox_app_version_and_sync_time(app, api):
    col = api("col_a")
    assert col.push([], device={"outbox": 12, "app_version": "2026.11.1"}).status_code == 200
    device = _device(app)
    assert (device.outbox_depth, device.app_version) == (12, "2026.11.1")
    assert device.last_sync_at is not None


@pytest.mark.parametrize("heartbeat", [None, "x", {"outbox": -1}, {"outbox": "12"},
                                       {"outbox": 2**40}, {"app_version": 5},
                                       {"outbox": True}])
def test_a_heartbeat_that_does_not_fit_is_ignored(app, api, heartbeat):
    col = api("col_a")
    assert col.push([], device=heartbeat).status_code == 200
    device = _device(app)
    assert device.outbox_depth is None and device.app_version is None
    assert device.last_sync_at is not None


def test_a_long_app_version_is_cut_to_fit(app, api):
    api("col_a").push([], device={"app_version": "v" * 300})
    assert _device(app).app_version == "v" * 40


def test_a_completed_pull_records_the_sync_time(app, api):
    col = api("col_a")
    assert col.pull().status_code == 200
    assert _device(app).last_sync_at is not None
