"""Engine settings: how SQLite connections and transactions are opened.

PostgreSQL needs nothing here; SQLite is tuned for one writer and many readers (WAL).
"""
from sqlalchemy import event


def tune(engine):
    """SQLite: WAL so readers never block the writer, foreign keys on, wait on locks."""
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
