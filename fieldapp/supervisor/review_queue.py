"""Queries behind the review queue (*Duyệt lượt thăm*) and a visit's review page.

The queue reads one table of possibly millions of visits, so every query here is shaped
for the indexes of migration f3a1c7e9b5d2: the visit's area and review status first, then
the time it synced (the queue's default order, most recently synced first) and the id (the
order's tie-break, so a page is cut from the index alone). The counts per
status are one GROUP BY over the same filters, and the page's total comes from them (no
second COUNT of the filtered rows).
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from sync.protocol import REVIEW_STATUSES

from ..extensions import db
from ..i18n import local_zone
from ..models import Area, Enrollment, Household, Person, Referral, User, Visit, user_areas
from ..rules.areatree import area_tree
from ..web.paging import PER_PAGE, Page
from .register import areas_under

#: ?sort= -> column; every sort ends with the visit's id so pages never overlap.
SORTS = {"synced": Visit.received_at, "visited": Visit.visited_at,
         "household": Household.head_name, "collector": User.username}
DEFAULT_SORT = "synced"


@dataclass
class Filters:
    """The queue's filters, already checked against the user's scope."""

    area_ids: set
    area: object = None
    collector: object = None
    outcome: str = ""
    date_from: date = None
    date_to: date = None
    status: str = "pending"
    sort: str = DEFAULT_SORT
    ascending: bool = False
    errors: dict = field(default_factory=dict)

    def conditions(self, with_status=True):
        """SQL conditions on ``Visit`` for these filters (the status one apart, for counts)."""
        # Every area of the tree (an admin or a province's supervisor in a one-province
        # deployment): the area test keeps every row, and leaving it out lets the database
        # count and order from the status index alone.
        whole = self.area is None and set(area_tree().by_id) <= self.area_ids
        out = [] if whole else [Visit.area_id.in_(sorted(self.area_ids))]
        if self.collector is not None:
            out.append(Visit.created_by_id == self.collector.id)
        if self.outcome:
            out.append(Visit.outcome == self.outcome)
        zone = local_zone()
        if self.date_from:
            out.append(Visit.visited_at >= datetime.combine(self.date_from, time(), zone))
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), time(), zone)
            out.append(Visit.visited_at < end)
        if with_status and self.status:
            out.append(Visit.review_status == self.status)
        return out


def parse_date(raw):
    """A YYYY-MM-DD or DD/MM/YYYY date, or None (and the caller reports the field)."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def collectors_of(scope):
    """Collectors assigned to an area in ``scope`` (the collector filter's choices)."""
    if not scope.area_ids:
        return []
    return list(db.session.scalars(
        select(User).where(User.role == "collector",
                           User.id.in_(select(user_areas.c.user_id)
                                       .where(user_areas.c.area_id.in_(sorted(scope.area_ids)))))
        .order_by(User.username)))


def area_by_code(code, scope):
    """(area, its subtree within scope) for an area code the user reaches, else (None, None)."""
    area = db.session.scalars(select(Area).where(Area.code == code)).one_or_none()
    if area is None or not scope.sees_area(area.id):
        return None, None
    return area, areas_under(area.id, scope)


def status_counts(filters):
    """{status: count} of the visits the other filters keep (every status listed)."""
    rows = db.session.execute(
        select(Visit.review_status, func.count())
        .where(*filters.conditions(with_status=False)).group_by(Visit.review_status)).all()
    counts = dict.fromkeys(REVIEW_STATUSES, 0)
    counts.update(rows)
    return counts


def _order(filters, collector):
    column = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    if column is User.username:
        column = collector.username
    if filters.ascending:
        return column.asc(), Visit.id.asc()
    return column.desc(), Visit.id.desc()


def _rows(collector):
    return (select(Visit, Household.head_name, Area.name, collector.username, collector.full_name)
            .join(Household, Household.id == Visit.household_id)
            .join(Area, Area.id == Visit.area_id)
            .outerjoin(collector, collector.id == Visit.created_by_id))


def queue_statement(filters):
    """The queue rows (visit, household, village, collector) in the chosen order."""
    collector = aliased(User)
    return _rows(collector).where(*filters.conditions()).order_by(*_order(filters, collector))


def queue_ids(filters):
    """Every id the filters keep (bulk approve of the filtered list)."""
    return list(db.session.scalars(select(Visit.id).where(*filters.conditions())))


def queue_page(filters, page, counts):
    """One page of the queue; the total is the counts' (no second COUNT).

    In time order (the default) the page's ids come first from the visits alone, read in
    order from the indexes ix_visits_area_queue / ix_visits_queue (models/work.py), and
    only those 50 rows are joined to their household, village and collector: joined first,
    the database looked up every matching visit's household before sorting."""
    total = counts.get(filters.status, 0) if filters.status else sum(counts.values())
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    collector = aliased(User)
    order = _order(filters, collector)
    offset = (page - 1) * PER_PAGE
    if filters.sort in ("synced", "visited"):
        ids = list(db.session.scalars(select(Visit.id).where(*filters.conditions()).order_by(*order)
                                      .limit(PER_PAGE).offset(offset)))
        stmt = _rows(collector).where(Visit.id.in_(ids)).order_by(*order) if ids else None
    else:
        stmt = queue_statement(filters).limit(PER_PAGE).offset(offset)
    rows = db.session.execute(stmt).all() if stmt is not None else []
    return Page(items=rows, page=page, per_page=PER_PAGE, total=total)


def visit_detail(visit):
    """What the review page shows besides the visit: household members, the household's
    other visits (newest first), the referral it answers, the sign-ups made in it."""
    members = db.session.scalars(
        select(Person).where(Person.household_id == visit.household_id)
        .order_by(Person.birth_date, Person.full_name)).all()
    history = db.session.execute(
        select(Visit, User.username).outerjoin(User, User.id == Visit.created_by_id)
        .where(Visit.household_id == visit.household_id)
        .order_by(Visit.visited_at.desc()).limit(50)).all()
    referral = db.session.get(Referral, visit.referral_id) if visit.referral_id else None
    signups = db.session.execute(
        select(Enrollment, Person.full_name).join(Person, Person.id == Enrollment.person_id)
        .where(Enrollment.visit_id == visit.id).order_by(Person.full_name)).all()
    return {"members": members, "history": history, "referral": referral, "signups": signups}
