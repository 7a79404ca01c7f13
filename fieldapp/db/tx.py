"""Small database helpers shared by views, the sync API and the CLI."""
from ..extensions import db


def begin_write():
    """Start a writing transaction on a clean session.

    On SQLite this is ``BEGIN IMMEDIATE`` (the write lock is taken first, so the transaction
    cannot fail half way with "database is locked"); on PostgreSQL an ordinary transaction.
    Whatever the session had read so far is ended first.
    """
    if db.session().in_transaction():
        db.session.commit()
    return db.session.connection(execution_options={"sqlite_immediate": True})


def is_postgres():
    return db.engine.dialect.name == "postgresql"
