"""The analyst's export (`export-sqlite`): synced data copied into a standalone SQLite file.

The synced records' tables, columns and links follow their declarations (records/types.py).
Column names are spelled for a reader with no knowledge of the app: users appear by
username (``collector``, ``created_by``), areas also by code, times as ISO 8601 in UTC,
lists and objects as JSON text. Foreign keys and indexes are declared so tools such as
Datasette or DB Browser show the links. The file is written beside its target and moved into
place at the end, so a failed export never leaves half a file under the final name. It holds
personal data: it is created readable by its owner only (0600) before a byte is written, and
every export is in the audit log (who, which file, when, how many rows per table).
"""
import getpass
import json
import os
from datetime import date, datetime
from pathlib import Path

import sqlite_utils
from sqlalchemy import select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import Area, Organization, ParticipantCount, Plan, User
from ..records.types import RECORD_MODELS, TYPES
from ..rules import audit


def _username(fk_column, name):
    """(alias, label) for joining a user id column to its username."""
    user = aliased(User)
    return user, user.username.label(name), fk_column == user.id


def _area_code(area_id_column, name="area_code"):
    area = aliased(Area)
    return area, area.code.label(name), area_id_column == area.id


def _with_joins(columns, joins, model):
    stmt = select(*columns).select_from(model)
    for target, condition in joins:
        stmt = stmt.outerjoin(target, condition)
    return stmt


def _synced(model, columns, users=(("created_by_id", "created_by"),), extra_joins=()):
    """A select of a synced model: its columns, its area code, usernames, server times."""
    area, code, on_area = _area_code(model.area_id)
    cols = [model.id, model.area_id, code, *columns]
    joins = [(area, on_area), *extra_joins]
    for attr, label in users:
        user, name, on = _username(getattr(model, attr), label)
        cols.append(name)
        joins.append((user, on))
    cols += [model.version, model.client_time, model.received_at, model.updated_at]
    return _with_joins(cols, joins, model).order_by(model.received_at, model.id)


def _record_table(record_type, area_fk):
    """The export of one synced record type, as its declaration says (records/types.py)."""
    model = record_type.model
    links = [area_fk] + [(f"{name}_id", RECORD_MODELS[target].__tablename__, "id")
                         for name, target in record_type.refs.items()]
    columns = [getattr(model, column) for column in record_type.export_columns]
    return (model.__tablename__, _synced(model, columns, users=record_type.export_users),
            links, [list(index) for index in record_type.export_indexes])


def _tables():
    """(name, select, foreign keys, indexes) in an order where referenced tables come first."""
    parent, parent_code, on_parent = _area_code(Area.parent_id, "parent_code")
    org_area, org_area_code, on_org_area = _area_code(Organization.area_id)
    plan_area, plan_area_code, on_plan_area = _area_code(Plan.area_id)
    plan_org = aliased(Organization)
    count_area, count_area_code, on_count_area = _area_code(ParticipantCount.area_id)
    area_fk = ("area_id", "areas", "id")
    return [
        ("areas", _with_joins(
            [Area.id, Area.code, Area.name, Area.level, Area.parent_id, parent_code,
             Area.valid_from, Area.valid_to], [(parent, on_parent)], Area).order_by(Area.id),
         [("parent_id", "areas", "id")], [["code"], ["parent_id"]]),
        ("organizations", _with_joins(
            [Organization.id, Organization.code, Organization.name, Organization.kind,
             Organization.area_id, org_area_code, Organization.active],
            [(org_area, on_org_area)], Organization).order_by(Organization.id),
         [area_fk], [["code"]]),
        *[_record_table(record_type, area_fk) for record_type in TYPES.values()],
        ("plans", _with_joins(
            [Plan.id, Plan.area_id, plan_area_code, Plan.organization_id,
             plan_org.code.label("organization_code"), Plan.year, Plan.scheme,
             Plan.target.label("participants"), Plan.monthly.label("monthly_cumulative")],
            [(plan_area, on_plan_area), (plan_org, Plan.organization_id == plan_org.id)],
            Plan).order_by(Plan.id),
         [area_fk, ("organization_id", "organizations", "id")], [["area_id"], ["year"]]),
        ("participant_counts", _with_joins(
            [ParticipantCount.id, ParticipantCount.area_id, count_area_code,
             ParticipantCount.month, ParticipantCount.scheme, ParticipantCount.participants],
            [(count_area, on_count_area)], ParticipantCount).order_by(ParticipantCount.id),
         [area_fk], [["area_id"], ["month"]]),
    ]


_SQLITE_TYPES = {int: int, float: float, bool: int}


def _column_types(stmt):
    types = {}
    for column in stmt.selected_columns:
        try:
            python_type = column.type.python_type
        except NotImplementedError:  # JSON and friends: stored as text
            python_type = str
        types[column.name] = _SQLITE_TYPES.get(python_type, str)
    return types


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def export(out, overwrite=False, user_id=None):
    """Write the export to ``out`` (mode 0600) and audit it; returns {table: rows}.
    FileExistsError if ``out`` exists and ``overwrite`` is false."""
    out = Path(out)
    if out.exists() and not overwrite:
        raise FileExistsError(str(out))
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    counts = {}
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        target = sqlite_utils.Database(tmp)
        for name, stmt, foreign_keys, indexes in _tables():
            table = target.table(name)
            table.create(_column_types(stmt), pk="id", foreign_keys=foreign_keys)
            result = db.session.execute(stmt.execution_options(yield_per=2000))
            keys = list(result.keys())
            rows = ({k: _plain(v) for k, v in zip(keys, row)} for row in result)
            table.insert_all(rows, batch_size=1000)
            for columns in indexes:
                table.create_index(columns)
            counts[name] = table.count
        target.close()
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    _audit(out, counts, user_id)
    return counts


def _os_user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (some containers)
        return f"uid {os.getuid()}"


def _audit(out, counts, user_id):
    """One audit entry per export, committed: who (the app user if any, else the system
    account that ran the command), which file, when (the entry's time), rows per table."""
    path = str(out.resolve())
    audit.record("export", "export", out.name[:64], user_id=user_id,
                 after={"file": path, "system_user": _os_user(), "rows": counts})
    db.session.commit()
