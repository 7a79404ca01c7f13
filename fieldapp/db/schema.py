"""Creating and migrating the database schema (the `init-db` command).

Alembic (through Flask-Migrate) owns the schema: a new database is built by running every
migration, an existing one is upgraded to the latest. A database made earlier by
``db.create_all()`` (tests, first trials) has the tables but no ``alembic_version``; running
the migrations on it would fail on the first CREATE TABLE, and recreating it would lose its
data, so it is stamped at the latest revision instead.
"""
from pathlib import Path

import flask_migrate
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from ..extensions import db

MIGRATIONS = Path(__file__).parent / "migrations"


def script_directory():
    return ScriptDirectory(str(MIGRATIONS))


def head_revision():
    return script_directory().get_current_head()


def first_revision():
    """The migration every chain starts from (its ``down_revision`` is None)."""
    return script_directory().get_base()


def current_revision():
    """The revision the database is stamped with, or None."""
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def schema_differences():
    """Alembic's list of differences between the database and the models ([] when equal)."""
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def init_db():
    """Create or migrate the schema to the latest revision; returns what was done.

    ``"created"`` (an empty database got every migration), ``"upgraded"`` (it was behind),
    ``"current"`` (nothing to do) or ``"stamped"`` (tables made by create_all were adopted).
    """
    tables = set(inspect(db.engine).get_table_names())
    model_tables = {t.name for t in db.metadata.sorted_tables}
    head = head_revision()
    if "alembic_version" not in tables and tables & model_tables:
        # Fill in any table create_all did not know about yet, then adopt the rest as is.
        db.create_all()
        flask_migrate.stamp(directory=str(MIGRATIONS), revision="head")
        outcome = "stamped"
    else:
        before = current_revision() if "alembic_version" in tables else None
        if before == head:
            outcome = "current"
        else:
            flask_migrate.upgrade(directory=str(MIGRATIONS))
            outcome = "upgraded" if before else "created"
    db.engine.dispose()  # Alembic's connections saw DDL; start the app's pool afresh
    return outcome
