"""One writer at a time on SQLite, queued by the OS instead of by SQLite's busy handler.

SQLite lets one transaction write at a time; a second ``BEGIN IMMEDIATE`` waits in SQLite's
busy handler, which sleeps and polls (1, 2, 5 ... 100 ms). Under a steady stream of pushes
from several gunicorn workers those sleeps, not the work, set the pace: two workers pushed
fewer records per second than one. Taking an exclusive ``flock`` on a file beside the
database first makes the waiting writer sleep in the kernel and wake the moment the holder
is done. Writers that do not take it (web pages) still work: they fall back on the busy
handler as before. PostgreSQL needs none of this (rows are locked, not the database).
"""
import fcntl
import os
from contextlib import contextmanager

from sqlalchemy.engine import make_url


def _lock_path(engine):
    if engine.dialect.name != "sqlite":
        return None
    database = make_url(str(engine.url)).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return os.path.abspath(database) + ".writelock"


@contextmanager
def sqlite_writer(engine):
    """Hold the writers' queue for the database of ``engine`` (a no-op off SQLite)."""
    path = _lock_path(engine)
    if path is None:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock
