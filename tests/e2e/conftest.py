"""Browser tests of the field app (issue #4): a live server subprocess on a free port, its
own database seeded with the small world of tests/conftest.py, and Debian's Chromium driven
by Playwright. Skipped, with the reason, when Playwright or a Chromium is missing (failed in CI).
"""
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from fieldapp.extensions import db
from tests.conftest import build_world, make_app, missing_tool, reset_schema
from tests.e2e.helpers import PHONE_ZONE

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("FIELDAPP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]
SHOTS = ROOT / "tests" / "e2e" / "screenshots"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None


def _skip_reason():
    if sync_playwright is None:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    return None


@pytest.fixture(scope="session", autouse=True)
def _browser():
    """First of every browser test's fixtures: no server is started without a browser."""
    reason = _skip_reason()
    if reason:
        missing_tool(reason)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """The app in its own process; ``restart(build)`` redeploys on the same port and database."""

    def __init__(self, url, build="1"):
        self.db_url, self.port = url, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = None
        self.start(build)

    def start(self, build):
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.serve", str(self.port), self.db_url, build],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(self.proc.stderr.read().decode()[-3000:])
            try:
                if requests.get(f"{self.base}/app/", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise RuntimeError("the live server did not start")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def restart(self, build):
        self.stop()
        self.start(build)


@pytest.fixture
def seeded(tmp_path):
    """A fresh database with the small world; yields (app, world) for checks on the server side."""
    app = make_app(tmp_path)
    reset_schema(app)
    world = build_world(app)
    with app.app_context():
        url = db.engine.url.render_as_string(hide_password=False)
        db.session.remove()
        db.engine.dispose()
    app.config["E2E_DB_URL"] = url
    yield app, world
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def server(seeded):
    app, _world = seeded
    live = LiveServer(app.config["E2E_DB_URL"])
    yield live
    live.stop()


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance):
    b = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield b
    b.close()


CONTEXT = {"viewport": {"width": 360, "height": 780}, "device_scale_factor": 1, "is_mobile": True,
           "has_touch": True, "timezone_id": PHONE_ZONE, "locale": "vi-VN",
           "service_workers": "allow"}


@pytest.fixture
def context(browser, server):
    ctx = browser.new_context(base_url=server.base, **CONTEXT)
    ctx.set_default_timeout(15000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    p = context.new_page()
    p.on("pageerror", lambda err: print("page error:", err))
    return p


@pytest.fixture
def persistent(playwright_instance, server, tmp_path):
    """A browser profile on disk: close the browser and start it again as a phone would."""
    profile = tmp_path / "profile"

    def launch(offline=False):
        ctx = playwright_instance.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=ARGS, base_url=server.base,
            offline=offline, **CONTEXT)
        ctx.set_default_timeout(15000)
        return ctx

    return launch


def shot(page, name):
    """Keep a 360 px screenshot of the current screen (tests/e2e/screenshots/, not committed)."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
