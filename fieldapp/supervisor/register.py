"""Queries behind the supervisor's first pages: per-commune figures and the household register.

Counting is done by the database (GROUP BY area); Python only adds the few area rows up to
their commune, so the cost does not grow with the number of records.
"""
import re
from datetime import datetime, timezone

from sqlalchemy import case, func, or_, select

from ..rules.access import ancestor_ids, subtree_ids
from ..extensions import db
from ..forms.fields import normalize_phone
from ..i18n import local_zone
from ..models import Area, Enrollment, Household, Person, Visit
from ..records.textfold import fold


def month_bounds(now=None):
    """(start, end) in UTC of the current month as lived in Vietnam, and its first day."""
    local = (now or datetime.now(timezone.utc)).astimezone(local_zone())
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    return start.astimezone(timezone.utc), end.astimezone(timezone.utc), start.date()


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


def scope_areas(scope):
    """Areas in scope, in tree order by code, for the area filter."""
    if not scope.area_ids:
        return []
    return list(db.session.scalars(
        select(Area).where(Area.id.in_(scope.area_ids)).order_by(Area.code)))


def household_query(area_ids, q=""):
    """The register rows in ``area_ids`` matching ``q`` (head name without diacritics,
    address, or phone), with member count and last visit, ordered for reading."""
    members = (select(func.count(Person.id)).where(Person.household_id == Household.id)
               .correlate(Household).scalar_subquery())
    last_visit = (select(func.max(Visit.visited_at)).where(Visit.household_id == Household.id)
                  .correlate(Household).scalar_subquery())
    stmt = (select(Household, Area, members.label("members"), last_visit.label("last_visit"))
            .join(Area, Area.id == Household.area_id)
            .where(Household.area_id.in_(area_ids)))
    if q:
        stmt = stmt.where(or_(*_search_conditions(q)))
    # search_text is the folded name first: "Đặng" sorts with the D's, not after "Z".
    return stmt.order_by(Area.code, Household.search_text, Household.head_name, Household.id)


def _search_conditions(q):
    folded = fold(q)
    conditions = [
        Household.search_text.contains(folded, autoescape=True),
        func.lower(Household.head_name).contains(q.lower(), autoescape=True),
        func.lower(Household.address).contains(q.lower(), autoescape=True),
    ]
    digits = re.sub(r"\D", "", q)
    if len(digits) >= 3:
        phone = normalize_phone(q) or (("0" + digits[2:]) if q.strip().startswith("+84") else digits)
        conditions.append(Household.phone.contains(phone, autoescape=True))
    return conditions


def areas_under(area_id, scope):
    """``area_id`` and its subtree, cut to what the user reaches."""
    return subtree_ids({area_id}) & set(scope.area_ids)


def household_detail(household):
    """Members, visits (newest first) and enrollments of one household."""
    members = db.session.scalars(
        select(Person).where(Person.household_id == household.id)
        .order_by(case((Person.relation == "head", 0), else_=1), Person.birth_date,
                  Person.full_name)).all()
    visits = db.session.scalars(
        select(Visit).where(Visit.household_id == household.id)
        .order_by(Visit.visited_at.desc())).all()
    enrollments = db.session.execute(
        select(Enrollment, Person.full_name).join(Person, Person.id == Enrollment.person_id)
        .where(Person.household_id == household.id)
        .order_by(Enrollment.start_month.desc(), Person.full_name)).all()
    return members, visits, enrollments
