"""The overview's figures: per commune, households and persons, and this month's work.

Counting is done by the database (GROUP BY area); Python only adds the few area rows up to
their commune, so the cost does not grow with the number of records. Reports take a Scope
(rules/access.py) and return plain rows; the supervisor views only render them.
"""
from datetime import UTC, datetime

from sqlalchemy import func, select

from ..extensions import db
from ..i18n import local_zone
from ..models import Area, Enrollment, Household, Person, Visit
from ..rules.access import ancestor_ids


def month_bounds(now=None):
    """(start, end) in UTC of the current month as lived in Vietnam, and its first day."""
    local = (now or datetime.now(UTC)).astimezone(local_zone())
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if start.month == 12:
        end = start.replace(year=start.year + 1, month=1)
    else:
        end = start.replace(month=start.month + 1)
    return start.astimezone(UTC), end.astimezone(UTC), start.date()


def _counts(stmt_col, area_col, ids, *conditions):
    stmt = (select(area_col, func.count(stmt_col)).where(area_col.in_(ids), *conditions)
            .group_by(area_col))
    return dict(db.session.execute(stmt).all())


def commune_figures(scope, now=None):
    """One row per commune in scope: households, persons, visits and enrollments this month.

    Records hang on villages (or on the commune itself); each area's counts are added to its
    commune. An area with no commune above it (a province-level record) counts on its own row.
    """
    ids = set(scope.area_ids)
    if not ids:
        return [], {}
    start, end, _first = month_bounds(now)
    visible = ids | ancestor_ids(scope.assigned_ids)
    areas = {a.id: a for a in db.session.scalars(select(Area).where(Area.id.in_(visible)))}

    def commune_of(area_id):
        node = areas.get(area_id)
        while node is not None and node.level != "commune":
            node = areas.get(node.parent_id)
        return node or areas.get(area_id)

    enrolled_at = func.coalesce(Enrollment.client_time, Enrollment.received_at)
    columns = {
        "households": _counts(Household.id, Household.area_id, ids),
        "persons": _counts(Person.id, Person.area_id, ids),
        "visits": _counts(Visit.id, Visit.area_id, ids,
                          Visit.visited_at >= start, Visit.visited_at < end),
        "enrollments": _counts(Enrollment.id, Enrollment.area_id, ids,
                               enrolled_at >= start, enrolled_at < end),
    }
    rows = {area.id: _row(area) for area in areas.values() if area.level == "commune"}
    for name, by_area in columns.items():
        for area_id, n in by_area.items():
            commune = commune_of(area_id)
            row = rows.setdefault(commune.id, _row(commune))
            row[name] += n
    ordered = sorted(rows.values(), key=lambda r: r["area"].code)
    totals = {name: sum(r[name] for r in ordered) for name in columns}
    return ordered, totals


def _row(area):
    return {"area": area, "households": 0, "persons": 0, "visits": 0, "enrollments": 0}
