"""A device that knows only docs/protocol.md and docs/records.md: it pairs with a password and
speaks HTTP/JSON.

Nothing here imports the application: the contract tests must pass against any server that
keeps the contract, so they see it the way the PWA or a third-party client does. The shared
pieces are plain test helpers that import no application code either (tests/device.py, the
device; tests/records.py, valid records) and the fixtures of tests/conftest.py (an app on a
fresh database, a test client, the small world of areas and users with the password "pw").
"""
import pytest

from tests.device import Device


@pytest.fixture
def pair(client, world):
    """pair("col_a") -> a Device freshly paired through POST /api/v1/devices."""

    def _pair(username, password=None, on=None):
        return Device.paired(on or client, username, password or world.password)

    return _pair


@pytest.fixture
def dev(pair):
    """dev("col_a") -> the one device of that user in this test (paired on first use)."""
    cache = {}

    def _dev(username):
        if username not in cache:
            cache[username] = pair(username)
        return cache[username]

    return _dev
