"""gunicorn started as the README says logs a search without its query string (#9, point 7)."""
import time

import requests

from .live import LiveServer, seeded_database

PHONE = "0912345678"


def test_a_search_by_phone_is_logged_without_the_number(tmp_path):
    url, _world = seeded_database(tmp_path)
    server = LiveServer(url, tmp_path / "server.log", workers=1,
                        args=["-c", "fieldapp/gunicorn.conf.py"]).start()
    try:
        resp = requests.get(f"{server.url}/supervisor/households", params={"q": PHONE},
                            headers={"Referer": f"{server.url}/supervisor/households?q={PHONE}"},
                            allow_redirects=False, timeout=10)
        assert resp.status_code in (302, 401, 403)
        deadline = time.monotonic() + 10
        while "/supervisor/households" not in server.log() and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.stop()
    log = server.log()
    assert '"GET /supervisor/households HTTP/1.1"' in log
    assert PHONE not in log
