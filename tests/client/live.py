"""A real fieldapp server in a subprocess (gunicorn on a free port) over its own database.

Used by the live client tests and by bench/load.py. The database is the test database of the
run: a fresh SQLite file, or the PostgreSQL database named by FIELDAPP_TEST_DATABASE_URL
(truncated first), seeded with the small world of tests/conftest.py. The server runs in its
own process group so a test can SIGKILL it, master and workers at once, as a power cut would.
"""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seeded_database(tmp_path, password="pw"):
    """Create and seed the database; returns (SQLAlchemy URL, world)."""
    from fieldapp.extensions import db
    from tests.conftest import build_world, make_app, reset_schema

    app = make_app(tmp_path)
    reset_schema(app)
    world = build_world(app, password=password)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            with db.engine.begin() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        db.session.remove()
        db.engine.dispose()
    return app.config["SQLALCHEMY_DATABASE_URI"], world


class LiveServer:
    """``start()``, ``kill()`` (SIGKILL, no goodbye), ``stop()``; ``url``; ``scalar(sql)``."""

    def __init__(self, database_url, log_path, workers=2, threads=1, port=None, env=None,
                 app="app:app", args=()):
        self.database_url = database_url
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers, self.threads = workers, threads
        self.log_path = Path(log_path)
        self.env = env or {}
        self.app = app  # the WSGI app gunicorn loads, "module:name"
        self.args = list(args)  # more gunicorn options, e.g. ["-c", "fieldapp/gunicorn.conf.py"]
        self.proc = None
        self._engine = None

    def start(self, timeout=60):
        env = dict(os.environ, DATABASE_URL=self.database_url, SECRET_KEY="live-test-secret",
                   RATELIMIT_STORAGE_URI="memory://", FIELDAPP_DEFAULT_LOCALE="en",
                   PYTHONUNBUFFERED="1")
        env.update(self.env)
        args = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(self.workers), "--threads", str(self.threads),
                "--timeout", "120", "--graceful-timeout", "5", *self._no_control_socket(),
                *self.args, self.app]
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=log,
                                         start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited at start:\n{self.log()}")
            try:
                requests.get(self.url + "/api/v1/bootstrap", timeout=2)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the server did not answer within {timeout} s:\n{self.log()}")

    @staticmethod
    def _no_control_socket():
        # Recent gunicorn opens one control socket per user by default; servers running side
        # by side (tests, benchmarks) would fight over it.
        from gunicorn.config import KNOWN_SETTINGS

        flags = {flag for setting in KNOWN_SETTINGS for flag in (setting.cli or ())}
        return ["--no-control-socket"] if "--no-control-socket" in flags else []

    def kill(self):
        """SIGKILL the whole process group: requests in flight die half way."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def kill_when(self, table, at_least, timeout=60):
        """SIGKILL as soon as ``table`` holds ``at_least`` rows (mid-push); returns the count."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            n = self.scalar(f"SELECT count(*) FROM {table}")
            if n >= at_least:
                self.kill()
                return n
            time.sleep(0.005)
        raise AssertionError(f"{table} never reached {at_least} rows:\n{self.log()}")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def log(self):
        return self.log_path.read_text(errors="replace")[-4000:]

    def scalar(self, sql, **params):
        """Ask the server's database directly (counts that prove exactly-once)."""
        if self._engine is None:
            self._engine = create_engine(self.database_url, poolclass=NullPool)
        with self._engine.connect() as conn:
            return conn.execute(text(sql), params).scalar()
