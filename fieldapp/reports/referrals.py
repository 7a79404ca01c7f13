"""The supervisor's referral figures: open referrals by age, and what each referrer's
referrals came to.

Counted by the database (GROUP BY with CASE on the age), so a page costs the same with ten
or a hundred thousand referrals; Python only labels the rows. Ages are whole days since the
server received the referral; the buckets are the office's: 0–3, 4–7, 8–14, more than 14.
Every function takes the area ids the caller reaches (rules/access.py Scope), and nothing
outside them is read.
"""
from datetime import timedelta

from sqlalchemy import and_, case, func, literal, select

from ..extensions import db
from ..models import Area, Referral, User, user_areas
from ..rules.access import ancestor_ids

#: Statuses still waiting for an answer.
OPEN = ("new", "assigned", "visited")
#: (key, first day, last day or None): the age buckets, youngest first.
BUCKETS = (("d0_3", 0, 3), ("d4_7", 4, 7), ("d8_14", 8, 14), ("d15", 15, None))


def _bucket_counts(now):
    """SUM(CASE ...) columns counting open referrals per age bucket, and the total."""
    cols = []
    for key, first, last in BUCKETS:
        # Received at most ``last`` whole days ago: later than now - (last + 1) days.
        cond = [Referral.received_at <= now - timedelta(days=first)]
        if last is not None:
            cond.append(Referral.received_at > now - timedelta(days=last + 1))
        cols.append(func.sum(case((and_(*cond), 1), else_=0)).label(key))
    cols.append(func.count(Referral.id).label("total"))
    return cols


def open_by_village(area_ids, now):
    """[(village code, village name, d0_3, d4_7, d8_14, d15, total)], oldest work first."""
    if not area_ids:
        return []
    stmt = (select(Area.code, Area.name, *_bucket_counts(now),
                   func.min(Referral.received_at).label("oldest"))
            .join(Area, Area.id == Referral.area_id)
            .where(Referral.area_id.in_(sorted(area_ids)), Referral.status.in_(OPEN))
            .group_by(Area.code, Area.name)
            .order_by(func.min(Referral.received_at), Area.code))
    return [tuple(row)[:7] for row in db.session.execute(stmt)]


def open_by_referrer(area_ids, now):
    """[(username, full name, d0_3, d4_7, d8_14, d15, total)], oldest work first."""
    if not area_ids:
        return []
    stmt = (select(User.username, User.full_name, *_bucket_counts(now))
            .join(User, User.id == Referral.created_by_id)
            .where(Referral.area_id.in_(sorted(area_ids)), Referral.status.in_(OPEN))
            .group_by(User.username, User.full_name)
            .order_by(func.min(Referral.received_at), User.username))
    return [tuple(row) for row in db.session.execute(stmt)]


def open_totals(area_ids, now):
    """{bucket key: count, "total": count} of the open referrals in ``area_ids``."""
    if not area_ids:
        return dict.fromkeys([b[0] for b in BUCKETS] + ["total"], 0)
    row = db.session.execute(select(*_bucket_counts(now)).where(
        Referral.area_id.in_(sorted(area_ids)), Referral.status.in_(OPEN))).one()
    return {key: int(value or 0) for key, value in row._mapping.items()}


def open_referrals(area_ids, status=None):
    """The open referrals in ``area_ids`` (or those of one status), oldest first: a query of
    (Referral, village code, village name, referrer username, assignee username)."""
    referrer = db.aliased(User)
    assignee = db.aliased(User)
    statuses = (status,) if status in OPEN else OPEN
    return (select(Referral, Area.code, Area.name, referrer.username, assignee.username)
            .join(Area, Area.id == Referral.area_id)
            .outerjoin(referrer, referrer.id == Referral.created_by_id)
            .outerjoin(assignee, assignee.id == Referral.assigned_to_id)
            .where(Referral.area_id.in_(sorted(area_ids) or [-1]), Referral.status.in_(statuses))
            .order_by(Referral.received_at, Referral.id))


#: The referrer table's sort keys (the page's links name them).
REFERRER_SORTS = ("referrer", "referred", "visited", "enrolled", "conversion")


def referrer_stats(area_ids, sort="conversion"):
    """Per referrer: [(username, full name, role, referred, visited, enrolled, conversion)].

    ``visited`` counts referrals a collector went to (whatever came after: enrolled or
    closed), ``enrolled`` those that ended in a sign-up; conversion = enrolled ÷ referred,
    a fraction (0..1). Sorted by ``sort`` (most first; by name for "referrer").
    """
    if not area_ids:
        return []
    referred = func.count(Referral.id)
    visited = func.sum(case((Referral.visited_at.is_not(None), 1), else_=0))
    enrolled = func.sum(case((Referral.status == "enrolled", 1), else_=0))
    conversion = (enrolled * literal(1.0)) / referred
    order = {"referrer": [User.username], "referred": [referred.desc(), User.username],
             "visited": [visited.desc(), User.username],
             "enrolled": [enrolled.desc(), User.username],
             "conversion": [conversion.desc(), referred.desc(), User.username]}
    stmt = (select(User.username, User.full_name, User.role, referred.label("referred"),
                   visited.label("visited"), enrolled.label("enrolled"))
            .join(User, User.id == Referral.created_by_id)
            .where(Referral.area_id.in_(sorted(area_ids)))
            .group_by(User.username, User.full_name, User.role)
            .order_by(*order.get(sort, order["conversion"])))
    return [(u, name, role, int(n), int(v or 0), int(e or 0), (int(e or 0) / int(n)) if n else 0.0)
            for u, name, role, n, v, e in db.session.execute(stmt)]


def collectors_covering(village_ids):
    """{village id: [(user id, username, full name)]}: the active collectors assigned to each
    village or to an area above it (the only ones a referral there may be given to)."""
    out = {}
    if not village_ids:
        return out
    above = {v: {v} | ancestor_ids([v]) for v in village_ids}
    every = set().union(*above.values())
    rows = db.session.execute(
        select(user_areas.c.area_id, User.id, User.username, User.full_name)
        .join(User, User.id == user_areas.c.user_id)
        .where(user_areas.c.area_id.in_(sorted(every)), User.role == "collector",
               User.active.is_(True))).all()
    for village, areas in above.items():
        found = {(uid, username, name) for area, uid, username, name in rows if area in areas}
        out[village] = sorted(found, key=lambda r: r[1])
    return out
