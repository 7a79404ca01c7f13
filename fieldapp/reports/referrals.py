"""The supervisor's referral figures: open referrals by age, and what each referrer's
referrals came to.

Counted by the database (GROUP BY with sums of CASE on the age), so a page costs the same with ten
or a hundred thousand referrals; Python only labels the rows. Ages are whole days since the
server received the referral; the buckets are the office's: 0–3, 4–7, 8–14, more than 14.
Every function takes the area ids the caller reaches (rules/access.py Scope), and nothing
outside them is read.
"""
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, select

from sync.protocol import REFERRAL_STATUSES

from ..db.plans import unindexed
from ..extensions import db
from ..models import Area, Referral, User, user_areas
from ..rules.access import ancestor_ids

#: Statuses still waiting for an answer: all but the two that end a referral.
OPEN = tuple(s for s in REFERRAL_STATUSES if s not in ("enrolled", "closed"))
#: (key, first day, last day or None): the age buckets, youngest first.
BUCKETS = (("d0_3", 0, 3), ("d4_7", 4, 7), ("d8_14", 8, 14), ("d15", 15, None))


def _younger_than(now):
    """One SUM per age limit (3, 7, 14 days): how many of a group's referrals are younger.
    The buckets are their differences, so the group's count by age needs no second GROUP BY
    (and no CASE in it, which would have to be repeated with the same bound times)."""
    return [func.sum(case((Referral.received_at > now - timedelta(days=last + 1), 1), else_=0))
            for _key, _first, last in BUCKETS if last is not None]


#: SQLite, left to itself, reads the open ones through the status index and then every
#: row (several times slower); the open list of a wide scope walks received_at instead, so
#: the status test is kept off its own index (db/plans.py: an INDEXED BY hint never reached
#: SQLite). The figures need no status test at all: they count every status.
def _status_in(statuses):
    return unindexed(Referral.status).in_(statuses)


@dataclass
class Figures:
    """Everything the page counts, from one GROUP BY over the referrals in scope."""

    totals: dict
    by_village: list
    by_referrer: list
    stats: list
    open_count: int


_KEYS = [b[0] for b in BUCKETS]


def figures(area_ids, now, status="", sort="conversion"):
    """The page's counts: open referrals by age (all, by village, by referrer; ``status``
    narrows "open" to one status), each referrer's referred / visited / enrolled /
    conversion, and how many open referrals the list pages through.

    One statement: every referral in scope counted by (village, referrer, status), with how
    many were visited and how many are younger than each age limit, read from the covering
    index ix_referrals_desk in its own order (no sort, one pass). The thousand-odd groups it
    returns are added up here (as overview.py adds areas up to their commune): every referral
    into the referrer figures, the open ones (or those of ``status``) into the age tables.
    """
    empty = Figures(dict.fromkeys(_KEYS + ["total"], 0), [], [], [], 0)
    if not area_ids:
        return empty
    wanted = (status,) if status in OPEN else OPEN
    stats = {}
    totals = dict.fromkeys(_KEYS + ["total"], 0)
    villages, referrers = {}, {}
    for area_id, uid, row_status, n, visited, *younger in db.session.execute(
            select(Referral.area_id, Referral.created_by_id, Referral.status, func.count(),
                   func.sum(case((Referral.visited_at.is_not(None), 1), else_=0)),
                   *_younger_than(now))
            .where(Referral.area_id.in_(sorted(area_ids)))
            .group_by(Referral.area_id, Referral.created_by_id, Referral.status)):
        per = stats.get(uid)
        if per is None:
            per = stats[uid] = [0, 0, 0]
        per[0] += n
        per[1] += int(visited or 0)
        if row_status == "enrolled":
            per[2] += n
        if row_status not in wanted:
            continue
        # Cumulative counts (younger than 4, 8, 15 days) into the buckets' own.
        limits = [int(c or 0) for c in younger] + [n]
        counts = [limits[0]] + [limits[i] - limits[i - 1] for i in range(1, len(limits))]
        village = villages.get(area_id)
        if village is None:
            village = villages[area_id] = dict.fromkeys(_KEYS + ["total"], 0)
        referrer = referrers.get(uid)
        if referrer is None:
            referrer = referrers[uid] = dict.fromkeys(_KEYS + ["total"], 0)
        for target in (totals, village, referrer):
            for key, count in zip(_KEYS, counts, strict=True):
                target[key] += count
            target["total"] += n
    areas = {row.id: row for row in db.session.execute(
        select(Area.id, Area.code, Area.name).where(Area.id.in_(sorted(villages))))} if villages else {}
    users = {uid: (username, full, role) for uid, username, full, role in db.session.execute(
        select(User.id, User.username, User.full_name, User.role)
        .where(User.id.in_(sorted(k for k in stats if k is not None))))} if stats else {}

    def name_of(uid):
        return users.get(uid, ("", "", ""))

    def oldest_first(table):
        # Most waiting longest first: the oldest bucket, then the next ...
        return sorted(table.items(), key=lambda kv: [-kv[1][k] for k in reversed(_KEYS)])

    by_village = [(areas[a].code, areas[a].name, *[c[k] for k in _KEYS], c["total"])
                  for a, c in oldest_first(villages)]
    by_referrer = [(name_of(u)[0], name_of(u)[1], *[c[k] for k in _KEYS], c["total"])
                   for u, c in oldest_first(referrers)]
    stat_rows = [(*name_of(u), n, v, e, e / n if n else 0.0) for u, (n, v, e) in stats.items()]
    keys = {"referrer": lambda r: (r[0],), "referred": lambda r: (-r[3], r[0]),
            "visited": lambda r: (-r[4], r[0]), "enrolled": lambda r: (-r[5], r[0]),
            "conversion": lambda r: (-r[6], -r[3], r[0])}
    stat_rows.sort(key=keys.get(sort, keys["conversion"]))
    return Figures(totals, by_village, by_referrer, stat_rows, totals["total"])


def open_referrals(area_ids, status=None):
    """The open referrals in ``area_ids`` (or those of one status), oldest first: a query of
    (Referral, village code, village name, referrer username, assignee username)."""
    referrer = db.aliased(User)
    assignee = db.aliased(User)
    statuses = (status,) if status in OPEN else OPEN
    stmt = (select(Referral, Area.code, Area.name, referrer.username, assignee.username)
            .join(Area, Area.id == Referral.area_id)
            .outerjoin(referrer, referrer.id == Referral.created_by_id)
            .outerjoin(assignee, assignee.id == Referral.assigned_to_id)
            .order_by(Referral.received_at, Referral.id))
    if len(area_ids) > WIDE:
        # A wide scope holds most referrals: walking received_at finds the first page at
        # once, where SQLite's choice (by area or status, then sort them all) read every
        # open one; neither test may use its index then.
        return stmt.where(unindexed(Referral.area_id).in_(sorted(area_ids)), _status_in(statuses))
    return stmt.where(Referral.area_id.in_(sorted(area_ids) or [-1]), Referral.status.in_(statuses))


#: Scopes with more areas than this (a district, a province) read the open list in age order.
WIDE = 32


#: The referrer table's sort keys (the page's links name them).
REFERRER_SORTS = ("referrer", "referred", "visited", "enrolled", "conversion")


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
