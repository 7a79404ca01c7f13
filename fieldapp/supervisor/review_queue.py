"""Queries behind the review queue (*Duyệt lượt thăm*) and a visit's review page.

The queue reads one table of possibly millions of visits, so nothing here reads more than
a page's worth of it per request:

* the counts per status come from ``review_counts`` (models/counts.py), kept by triggers as
  visits are written: a sum over a few thousand rows whatever the filters; a date filter
  reads the whole months in it from there and counts only the hours between a local day
  and the nearest UTC month boundary from the visits (or the range itself when shorter);
* a page's ids are read in order from an index and stop at the page: most recently synced
  first from ix_visits_queue / ix_visits_area_queue (models/work.py), one walk per status
  merged here when every status is listed (each index holds one status in time order);
  sorted by household, households are walked in name order through
  ix_households_head_name and their visits looked up, unless the filters keep so few visits
  that sorting them all is cheaper. Only those 50 rows are then joined to their household,
  village and collector.

The page's total comes from the counts (no second COUNT of the filtered rows).
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import aliased

from sync.protocol import REVIEW_STATUSES

from ..db.plans import unindexed as _unindexed
from ..extensions import db
from ..i18n import local_zone
from ..models import Area, Enrollment, Household, Person, Referral, ReviewCount, User, Visit, user_areas
from ..models.counts import month_cut
from ..rules.areatree import area_tree
from ..web.paging import PER_PAGE, Page
from .register import areas_under

#: ?sort= -> column; every sort ends with the visit's id so pages never overlap.
SORTS = {"synced": Visit.received_at, "visited": Visit.visited_at,
         "household": Household.head_name, "collector": User.username}
DEFAULT_SORT = "synced"
#: Sorted by household, filters keeping at most this many visits sort them all (cheaper than
#: walking households that mostly have none); more, and the walk finds a page at once.
SORT_ALL_UNDER = 5_000


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

    def whole(self):
        """True when the areas are every area of the tree (an admin, or a province's
        supervisor in a one-province deployment): the area test keeps every row, and leaving
        it out lets the database count and order from the status index alone."""
        return self.area is None and set(area_tree().by_id) <= self.area_ids

    def window(self):
        """(start, end) of the visit time as aware datetimes (end excluded), None if open."""
        zone = local_zone()
        start = datetime.combine(self.date_from, time(), zone) if self.date_from else None
        end = datetime.combine(self.date_to + timedelta(days=1), time(), zone) if self.date_to else None
        return start, end

    def conditions(self, with_status=True, with_dates=True, with_area=True, walk=False):
        """SQL conditions on ``Visit`` for these filters (the status one apart, for counts).

        ``walk``: for a query that must walk a given index in order (a page): the collector
        and date tests are written so SQLite cannot answer them from another index (it
        otherwise reads a month of visits through the visit-time index and sorts them)."""
        col = _unindexed if walk else (lambda c: c)
        out = [] if self.whole() or not with_area else [Visit.area_id.in_(sorted(self.area_ids))]
        if self.collector is not None:
            out.append(col(Visit.created_by_id) == self.collector.id)
        if self.outcome:
            out.append(Visit.outcome == self.outcome)
        if with_dates:
            start, end = self.window()
            if start is not None:
                out.append(col(Visit.visited_at) >= start)
            if end is not None:
                out.append(col(Visit.visited_at) < end)
        if with_status and self.status:
            out.append(col(Visit.review_status) == self.status)
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


def _visit_counts(filters, start, end):
    """{status: n} of the visits the other filters keep whose time is in [start, end)."""
    stmt = (select(Visit.review_status, func.count())
            .where(*filters.conditions(with_status=False, with_dates=False))
            .group_by(Visit.review_status))
    if start is not None:
        stmt = stmt.where(Visit.visited_at >= start)
    if end is not None:
        stmt = stmt.where(Visit.visited_at < end)
    return dict(db.session.execute(stmt).all())


def status_counts(filters):
    """{status: count} of the visits the other filters keep (every status listed).

    Exact: review_counts (models/counts.py) for the areas, collector, outcome and whole UTC
    months, the visits themselves for the hours a local-day window differs from those."""
    counts = dict.fromkeys(REVIEW_STATUSES, 0)
    start, end = filters.window()
    cut = month_cut(start, end)
    if cut is None:
        for status, n in _visit_counts(filters, start, end).items():
            counts[status] = counts.get(status, 0) + n
        return counts
    (lo, hi), slivers = cut
    stmt = select(ReviewCount.review_status, func.sum(ReviewCount.n)).group_by(ReviewCount.review_status)
    if not filters.whole():
        stmt = stmt.where(ReviewCount.area_id.in_(sorted(filters.area_ids)))
    if filters.collector is not None:
        stmt = stmt.where(ReviewCount.collector_id == filters.collector.id)
    if filters.outcome:
        stmt = stmt.where(ReviewCount.outcome == filters.outcome)
    if lo is not None:
        stmt = stmt.where(ReviewCount.month >= lo)
    if hi is not None:
        stmt = stmt.where(ReviewCount.month < hi)
    for status, n in db.session.execute(stmt).all():
        counts[status] = counts.get(status, 0) + int(n or 0)
    for since, until, sign in slivers:
        for status, n in _visit_counts(filters, since, until).items():
            counts[status] = counts.get(status, 0) + sign * n
    return counts


def _order(filters, collector):
    """ORDER BY of the chosen sort. Sorted by household, a household's visits stay together
    (name, then the household, then the visit): the order households are walked in."""
    column = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    if column is User.username:
        column = collector.username
    columns = [column, Household.id, Visit.id] if column is Household.head_name else [column, Visit.id]
    return tuple(c.asc() if filters.ascending else c.desc() for c in columns)


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


#: Scopes of at most this many areas (a commune, a village) walk each area apart; wider
#: ones (a district, a province) walk the status's index across areas.
NARROW = 32


def _time_ids(filters, order, offset, counts):
    """The page's ids in time order, read from the visits alone: one walk per (area,
    status) for a narrow scope, per status for a wide one, each in its index's order
    (ix_visits_area_queue, ix_visits_queue) and stopping at the page's depth, merged by the
    database (UNION ALL of the walks, then the page). One ORDER BY over several areas or
    statuses sorted every match instead (or, on PostgreSQL, walked the status's index and
    read the table to test the area)."""
    statuses = [filters.status] if filters.status else [s for s in REVIEW_STATUSES if counts.get(s)]
    narrow = not filters.whole() and len(filters.area_ids) <= NARROW
    if not statuses:
        return []
    if len(statuses) == 1 and not narrow:
        return list(db.session.scalars(
            select(Visit.id).where(*filters.conditions(with_status=False, walk=True),
                                   Visit.review_status == statuses[0])
            .order_by(*order).limit(PER_PAGE).offset(offset)))
    walks = [[Visit.area_id == area] for area in sorted(filters.area_ids)] if narrow else [[]]
    base = (select(SORTS[filters.sort].label("key"), Visit.id.label("id"))
            .where(*filters.conditions(with_status=False, with_area=False, walk=True))
            .order_by(*order).limit(offset + PER_PAGE))
    parts = []
    for status in statuses:
        for where in walks:
            walk = base.where(*where, Visit.review_status == status).subquery()
            parts.append(select(walk.c.key, walk.c.id))
    merged = union_all(*parts).subquery()
    direction = (lambda c: c.asc()) if filters.ascending else (lambda c: c.desc())
    return list(db.session.scalars(
        select(merged.c.id).order_by(direction(merged.c.key), direction(merged.c.id))
        .limit(PER_PAGE).offset(offset)))


def _household_ids(filters, order, offset, total):
    """The page's ids sorted by household. Few matches: all sorted (through the visits'
    own indexes). Many: households walked in name order (ix_households_head_name, the
    area checked in the index) and each one's visits looked up, stopping at the page (on
    SQLite no test on the visits but their household may use an index: its planner
    otherwise reads the visits first and sorts them)."""
    if total <= SORT_ALL_UNDER:
        return list(db.session.scalars(
            select(Visit.id).join(Household, Household.id == Visit.household_id)
            .where(*filters.conditions()).order_by(*order).limit(PER_PAGE).offset(offset)))
    walk = (select(Visit.id).select_from(Household).join(Visit, Visit.household_id == Household.id)
            .where(*filters.conditions(with_area=False, walk=True)))
    if not filters.whole():
        walk = walk.where(Household.area_id.in_(sorted(filters.area_ids)))
    return list(db.session.scalars(walk.order_by(*order).limit(PER_PAGE).offset(offset)))


def queue_page(filters, page, counts):
    """One page of the queue; the total is the counts' (no second COUNT).

    The page's ids come first (``_time_ids``, ``_household_ids``: read in order from
    indexes, stopping at the page), and only those 50 rows are joined to their household,
    village and collector: joined first, the database looked up every matching visit's
    household before sorting. Sorted by collector, the rows are read joined and sorted."""
    total = counts.get(filters.status, 0) if filters.status else sum(counts.values())
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(page, 1), pages)
    collector = aliased(User)
    order = _order(filters, collector)
    offset = (page - 1) * PER_PAGE
    if filters.sort in ("synced", "visited", "household"):
        ids = _time_ids(filters, order, offset, counts) if filters.sort != "household" \
            else _household_ids(filters, order, offset, total)
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
