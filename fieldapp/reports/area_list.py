"""The areas a report is asked for, in SQL: ``IN (...)`` on SQLite, one array on PostgreSQL.

A province's Scope is some 600 area ids. Bound as a list, each id is a parameter of its own,
and psycopg numbers the ``%(areas_1)s`` ... ``%(areas_600)s`` placeholders by parsing the
statement's text again at every execution (it keeps the parsed form only of short
statements): some 20 ms of the application's CPU per statement, and the monthly synthesis
runs ten. Bound as one array (``= ANY(CAST(:areas AS INTEGER[]))``), the statement stays short
and the server still plans it with the ids' values. SQLite binds lists without parsing and
has no arrays: there the list stays.
"""
from sqlalchemy import ARRAY, Integer, any_, bindparam, cast, text

from ..extensions import db


def _postgresql():
    return db.session.get_bind().dialect.name == "postgresql"


def in_areas(column, ids):
    """``column`` is one of ``ids`` (a list of area ids), as an SQLAlchemy condition."""
    ids = list(ids)
    if _postgresql():
        return column == any_(cast(bindparam(None, ids, type_=ARRAY(Integer)), ARRAY(Integer)))
    return column.in_(ids)


def areas_text(sql):
    """A ``text()`` statement whose ``IN :areas`` conditions take the areas as above: bind
    ``areas`` to the list of ids either way."""
    if _postgresql():
        return text(sql.replace("IN :areas", "= ANY(CAST(:areas AS INTEGER[]))"))
    return text(sql).bindparams(bindparam("areas", expanding=True))
