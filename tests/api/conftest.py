"""Fixtures for the sync API tests: devices paired straight in the database.

The API tests are the white-box half of the protocol's tests: they reach into the database,
the change feed and the write path where a sentence cannot be seen from outside. They drive
the API with the same device (tests/device.py) and records (tests/records.py) as the
black-box contract suite.
"""
import secrets
import uuid

import pytest

from fieldapp.extensions import db
from fieldapp.models import Device as DeviceRow
from fieldapp.models import hash_token
from tests.device import Device


def make_token(app, user_id, name="test phone"):
    """Pair a device straight in the database (pairing itself has its own tests)."""
    token = secrets.token_urlsafe(24)
    with app.app_context():
        db.session.add(DeviceRow(id=str(uuid.uuid4()), user_id=user_id, name=name,
                                 token_hash=hash_token(token)))
        db.session.commit()
    return token


def device_of(app, user_id, name="test phone"):
    """A Device on its own test client (for tests that push from several threads)."""
    return Device(app.test_client(), make_token(app, user_id, name))


@pytest.fixture
def api(app, client, world):
    """api("col_a") -> a Device for a fresh device of that user."""
    cache = {}

    def for_user(username):
        if username not in cache:
            cache[username] = Device(client, make_token(app, world.users[username]))
        return cache[username]

    return for_user
