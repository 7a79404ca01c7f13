"""The failure limits hold across gunicorn workers with RATELIMIT_STORAGE_URI=redis://
(issue #9 point 14; README "Running in production", docs/protocol.md §14).

Two workers share their counters through the Redis on 127.0.0.1:6379: ten wrong passwords
for one username, wherever they land, and the next attempt is refused (429) by whichever
worker answers. The run's keys carry a prefix of their own and are deleted afterwards, so
runs side by side never see each other's failures. Skipped when no Redis answers there,
except in CI.
"""
import socket
import uuid

import pytest
import requests

from tests.conftest import missing_tool

from .live import LiveServer, seeded_database

REDIS = ("127.0.0.1", 6379)


def _redis_answers():
    try:
        with socket.create_connection(REDIS, timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def prefix():
    if not _redis_answers():
        missing_tool("no Redis answers on 127.0.0.1:6379")
    prefix = f"fieldapp-test-{uuid.uuid4().hex}"
    yield prefix
    import redis

    store = redis.Redis(*REDIS)
    keys = list(store.scan_iter(match=f"LIMITS:LIMITER/{prefix}/*", count=1000))
    if keys:
        store.delete(*keys)
    store.close()


@pytest.fixture
def two_workers(tmp_path, prefix):
    url, _world = seeded_database(tmp_path)
    env = {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379", "FIELDAPP_TEST_KEY_PREFIX": prefix}
    server = LiveServer(url, tmp_path / "server.log", workers=2, env=env,
                        app="tests.client.worker_app:app").start()
    yield server
    server.stop()


def _pair(server, password):
    body = {"username": "col_a", "password": password, "device_name": "script"}
    resp = requests.post(f"{server.url}/api/v1/devices", json=body, timeout=30)
    assert resp.status_code < 500, resp.text
    return resp


def test_the_eleventh_wrong_password_is_refused_by_whichever_worker_answers(two_workers):
    for n in range(10):
        assert _pair(two_workers, f"wrong{n}").status_code == 401
    refused_by = set()
    for n in range(200):  # new connections: the kernel hands them to either worker
        resp = _pair(two_workers, "pw" if n % 2 else "wrong again")
        assert resp.status_code == 429, (resp.status_code, resp.headers.get("X-Worker-Pid"))
        assert 0 < int(resp.headers["Retry-After"]) <= 15 * 60
        refused_by.add(resp.headers["X-Worker-Pid"])
        if len(refused_by) == 2:
            break
    assert len(refused_by) == 2, f"only worker {refused_by} answered:\n{two_workers.log()}"
