"""Steering SQLite's query planner towards the index a query is shaped for.

SQLAlchemy renders ``with_hint(..., "INDEXED BY ...", "sqlite")`` as nothing at all (its
SQLite compiler has no table hints), so a hint written that way is silently ignored. What
SQLite documents instead: a unary ``+`` before a column keeps that term from using an
index (the value is the same). Writing the tests a query should *not* be planned from that
way leaves the planner the index the query is meant to walk.
"""
from sqlalchemy import literal_column, type_coerce

from ..extensions import db


def unindexed(column):
    """``column`` as SQLite's planner may not use an index for; other databases (whose
    planners cost a LIMIT walk or a covering index themselves) get the column as is."""
    if db.engine.dialect.name != "sqlite":
        return column
    return type_coerce(literal_column(f"+{column.table.name}.{column.name}"), column.type)
