"""Fixtures for the client tests: ``live``, a running server with the small world seeded."""
import pytest

from .live import LiveServer, seeded_database


@pytest.fixture
def live(tmp_path):
    url, world = seeded_database(tmp_path)
    server = LiveServer(url, tmp_path / "server.log").start()
    server.world = world
    yield server
    server.stop()
