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


#: PostgreSQL errors that running the same transaction again resolves: serialization
#: failure, deadlock, and a unique key another transaction has just inserted.
RETRY_SQLSTATES = frozenset({"40001", "40P01", "23505"})
ATTEMPTS = 4


def retryable(exc):
    """Whether ``exc`` (a DBAPIError) is one a fresh attempt resolves (see RETRY_SQLSTATES)."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) in RETRY_SQLSTATES


def commit_retrying(work, attempts=ATTEMPTS):
    """Run ``work()`` and commit; return what it returned.

    Why: desk writes such as a review update rows that pushes update too (the visits and
    their counts in ``review_counts``); on PostgreSQL two such transactions can deadlock,
    and one of them is cancelled. That is not the user's fault and must not be a 5xx: the
    cancelled one is rolled back whole and run again. Any other error is rolled back and
    raised as it is (``work``'s own exceptions included), so nothing is half-stored.
    """
    from sqlalchemy.exc import DBAPIError

    for attempt in range(attempts):
        try:
            result = work()
            db.session.commit()
            return result
        except DBAPIError as exc:
            db.session.rollback()
            if attempt + 1 < attempts and retryable(exc):
                continue
            raise
        except Exception:
            db.session.rollback()
            raise
