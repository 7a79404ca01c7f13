"""Queries behind the supervisor's household register: search, filter by area, one household.

The per-commune figures of the overview are a report: fieldapp/reports/overview.py.
"""
import re

from sqlalchemy import case, func, or_, select

from ..extensions import db
from ..forms.fields import normalize_phone
from ..models import Area, Enrollment, Household, Person, Visit
from ..records.textfold import fold
from ..rules.access import subtree_ids


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
