"""Engine settings: how SQLite connections and transactions are opened.

PostgreSQL needs nothing here; SQLite is tuned for one writer and many readers (WAL), and its
database file is created readable by its owner only.
"""
import contextlib
import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import make_url


def private_sqlite_file(url, instance_path):
    """Create the SQLite database file of ``url`` empty with mode 0600 if it does not exist yet,
    before SQLite creates it with the umask's mode (usually world-readable). SQLite gives the
    ``-wal`` and ``-shm`` files it adds the database file's mode. A relative path is taken
    from the instance folder, as Flask-SQLAlchemy does; an existing file is left as it is."""
    url = make_url(url)
    database = url.database
    if (not url.drivername.startswith("sqlite") or not database or database == ":memory:"
            or database.startswith("file:") or url.query.get("mode") == "memory"):
        return None
    path = Path(database)
    if not path.is_absolute():
        path = Path(instance_path) / path
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path


def tune(engine):
    """SQLite: WAL so readers never block the writer, foreign keys on, wait on locks.
    PostgreSQL: errors without the server's DETAIL line (``_without_detail``)."""
    if engine.dialect.name == "postgresql":
        event.listen(engine, "handle_error", _without_detail)
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's BEGIN decide transactions (pysqlite's own handling defers BEGIN).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        # Pushes dirty a page per random UUID key in every index: a 64 MB page cache keeps
        # those pages between batches, and checkpointing every 8,000 pages rather than
        # 1,000 writes each hot page back once for several commits (bench/push).
        cur.execute("PRAGMA cache_size=-65536")
        cur.execute("PRAGMA wal_autocheckpoint=8000")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A writing transaction (see db/tx.py begin_write) takes the write lock up front: two
        # writers never both read, then one fails to upgrade its lock half way through a push.
        # Readers begin deferred so pulls and pages never wait for a push.
        immediate = conn.get_execution_options().get("sqlite_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _without_detail(context):
    """Drop PostgreSQL's DETAIL line from an error's text: it quotes the failing values ("Key
    (personal_id)=(001080012345) already exists", "Failing row contains (...)"), which
    ``hide_parameters`` (config.py) keeps out of the message everywhere else. The error's
    class, SQLSTATE and ``diag`` stay as they were, so handling it is unchanged."""
    orig = context.original_exception
    detail = getattr(getattr(orig, "diag", None), "message_detail", None)
    if not detail:
        return
    line = f"\nDETAIL:  {detail}"
    orig.args = tuple(a.replace(line, "") if isinstance(a, str) else a for a in orig.args)
    wrapped = context.sqlalchemy_exception
    if wrapped is not None and wrapped.args and isinstance(wrapped.args[0], str):
        wrapped.args = (wrapped.args[0].replace(line, ""), *wrapped.args[1:])
