"""Bulk INSERT and UPDATE for hot paths (the sync push): one statement per table.

SQLAlchemy's executemany processes every bound value of every row through its type system
(construct_params, bind processors): the profile of a 500-record push showed it costing more
than the database's own work. Here each column gets one small converter, chosen from its
type and the dialect, producing exactly what SQLAlchemy would have sent (SQLite: naive UTC
'YYYY-MM-DD HH:MM:SS.ffffff', ISO dates, JSON text; PostgreSQL: aware datetimes, JSONB), and
the rows go to the driver's executemany through ``Connection.exec_driver_sql`` (several rows
for PostgreSQL: COPY, see ``run``). ``prepare(..., key="id")`` makes an UPDATE. Reads keep
using SQLAlchemy, which parses these values back as usual (the tests read them both ways).
"""
import json
from datetime import UTC, date
from operator import itemgetter

import orjson
from sqlalchemy import JSON, Date
from sqlalchemy.exc import DBAPIError

from ..models.base import UTCDateTime

_cache = {}


def _same(value):
    return value


def _sqlite_time(value):
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _pg_time(value):
    if value is not None and value.tzinfo is None:
        raise ValueError("naive datetime given to a UTC column")
    return value


def _sqlite_date(value):
    return None if value is None else value.isoformat()


def _sqlite_json(value):
    return None if value is None else _orjson_text(value)


def _orjson_text(value):
    try:
        return orjson.dumps(value).decode()
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(value)


def _pg_json(value):
    from psycopg.types.json import Jsonb

    # orjson, not psycopg's default json.dumps: a push sends two JSON values per record.
    return None if value is None else Jsonb(value, dumps=_orjson_text)


def _converter(column, dialect):
    kind = column.type
    sqlite = dialect == "sqlite"
    if isinstance(kind, UTCDateTime):
        return _sqlite_time if sqlite else _pg_time
    if isinstance(kind, Date) and kind.python_type is date:
        return _sqlite_date if sqlite else _same
    if isinstance(kind, JSON):
        return _sqlite_json if sqlite else _pg_json
    return _same


def _marker(conn):
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _plan(conn, table, names, key):
    """(sql, converters) for a table, its columns ``names`` and, for updates, ``key``."""
    dialect = conn.dialect.name
    cache_key = (dialect, table.name, names, key)
    plan = _cache.get(cache_key)
    if plan is None:
        mark = _marker(conn)
        if key is None:
            cols = ", ".join(f'"{n}"' for n in names)
            sql = f'INSERT INTO "{table.name}" ({cols}) VALUES ({", ".join([mark] * len(names))})'
            order = names
        else:
            sets = ", ".join(f'"{n}" = {mark}' for n in names if n != key)
            sql = f'UPDATE "{table.name}" SET {sets} WHERE "{key}" = {mark}'
            order = tuple(n for n in names if n != key) + (key,)
        converters = tuple(_converter(table.c[n], dialect) for n in order)
        plan = _cache[cache_key] = (sql, order, converters)
    return plan


def prepare(conn, table, rows, key=None):
    """The statement for ``rows``, converted now and run later by ``run``: a list of steps,
    ``[(sql, driver parameters)]``, or for several new rows on PostgreSQL
    ``[(_COPY, copy sql, rows)]``; None when there are no rows.

    Converting is pure Python: a caller can do it before taking the write lock (the sync
    push does) so that only the database's own work happens while others wait.
    """
    if not rows:
        return None
    names = tuple(rows[0])
    sql, order, converters = _plan(conn, table, names, key)
    pick = itemgetter(*order)
    convert = [(i, conv) for i, conv in enumerate(converters) if conv is not _same]
    if len(order) == 1:
        params = [(pick(row),) for row in rows]
    elif not convert:
        params = [pick(row) for row in rows]
    else:
        params = []
        seen = {}  # a batch stamps many rows with the same few values (times, "now")
        for row in rows:
            values = list(pick(row))
            for i, conv in convert:
                value = values[i]
                if value is not None:
                    memo = (i, value) if not isinstance(value, (dict, list)) else None
                    if memo is None:
                        values[i] = conv(value)
                    else:
                        done = seen.get(memo)
                        if done is None:
                            done = seen[memo] = conv(value)
                        values[i] = done
            params.append(tuple(values))
    if key is None and len(params) > 1 and conn.dialect.name == "postgresql":
        columns = ", ".join(f'"{n}"' for n in order)
        return [(_COPY, f'COPY "{table.name}" ({columns}) FROM STDIN', params)]
    return [(sql, params)]


#: Marks a PostgreSQL COPY in what ``prepare`` returns.
_COPY = object()


def run(conn, prepared):
    """Execute what ``prepare`` made (nothing for None).

    Several rows for PostgreSQL go by COPY on the connection's own transaction: psycopg's
    executemany sends an execute per row, and one INSERT with every row's parameters still
    had the driver adapt each value apart; COPY writes rows in its C loop.
    """
    for step in prepared or ():
        if step[0] is _COPY:
            _copy(conn, *step[1:])
        else:
            conn.exec_driver_sql(*step)


def _copy(conn, sql, rows):
    """COPY ``rows`` on the driver's cursor; its errors raised as SQLAlchemy raises those of
    any statement (a ``DBAPIError`` subclass whose ``orig`` is the driver's error), so that
    callers tell them apart alike: the sync push retries a unique violation of two devices
    pushing the same new records (syncserver/service.py). The rows are never put in the
    error (they hold personal data)."""
    import psycopg

    cursor = conn.connection.driver_connection.cursor()
    try:
        with cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
    except psycopg.Error as exc:
        invalid = conn.dialect.is_disconnect(exc, conn.connection.dbapi_connection, cursor)
        wrapped = DBAPIError.instance(sql, None, exc, psycopg.Error, hide_parameters=True,
                                      connection_invalidated=invalid, dialect=conn.dialect)
        if invalid:
            conn.invalidate(wrapped)
        raise wrapped from exc
    finally:
        cursor.close()


def insert_rows(conn, table, rows):
    """INSERT ``rows`` (dicts with the same keys) into ``table`` in one executemany."""
    run(conn, prepare(conn, table, rows))
