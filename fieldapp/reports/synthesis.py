"""The monthly synthesis (tổng hợp tháng): per collection organization and per collection point.

Offices judge each organization every month, and weak ones lose their contracts, so every
figure here is counted by the database (GROUP BY organization / collection point) and Python
only places the few grouped rows side by side and ranks the organizations.

Whose work is whose: a record counts for the organization and the collection point of the user
who made it (``users.organization_id``, ``users.collection_point_id``); a referral counts for the
collector it is assigned to. Only records in the areas asked for (within the user's Scope)
count. Months are months as lived in Vietnam (Asia/Ho_Chi_Minh); a sign-up's moment is when it
was made on the device (``client_time``, else when the server received it), as on the overview.

The ranking and each definition are described in docs/synthesis.md.
"""
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import and_, case, false, func, literal, or_, select, text, union_all

from sync.protocol import SCHEMES

from ..extensions import db
from ..i18n import local_zone
from ..models import (
    Area,
    CollectionPoint,
    Enrollment,
    Organization,
    Outreach,
    Person,
    Plan,
    Referral,
    ReviewCount,
    User,
    Visit,
)
from ..models.counts import month_cut
from .area_list import in_areas
from .payers import kept_and_lost

#: The default ranking weights (config SYNTHESIS_WEIGHTS, from FIELDAPP_SYNTHESIS_WEIGHTS,
#: overrides; docs/synthesis.md).
DEFAULT_WEIGHTS = {"new_target": 0.6, "visit_conversion": 0.2, "active_collectors": 0.2}

KINDS = ("new", "renewed", "resumed")
#: Counting columns of every row (organization and collection point), in table order.
COUNTS = ("visits", "households", "sessions", "attendees",
          *(f"{s}_{k}" for s in SCHEMES for k in KINDS), "signups",
          "signed_households", "referred", "referred_enrolled", "collectors", "active_collectors",
          "payers_kept", "payers_lost")


def month_bounds_of(month):
    """'2026-11' -> (start, end) in UTC of that month in local time; ValueError if malformed."""
    year, mon = (int(part) for part in month.split("-"))
    if not (1 <= mon <= 12 and 2000 <= year <= 2100) or len(month) != 7:
        raise ValueError(month)
    zone = local_zone()
    start = datetime(year, mon, 1, tzinfo=zone)
    end = datetime(year + (mon == 12), mon % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def year_start_of(month):
    return datetime(int(month[:4]), 1, 1, tzinfo=local_zone()).astimezone(UTC)


@dataclass
class Unit:
    """One row of the synthesis: an organization (``point`` None) or one of its points."""

    organization: Organization
    point: CollectionPoint | None = None
    figures: dict = field(default_factory=lambda: dict.fromkeys(COUNTS, 0))
    points: list = field(default_factory=list)
    new_ytd: int = 0
    new_target: int | None = None
    score: float = 0.0
    rank: int | None = None

    def ratio(self, num, den):
        n, d = self.figures[num], self.figures[den]
        return n / d if d else None

    @property
    def visit_conversion(self):
        return self.ratio("signed_households", "households")

    @property
    def referral_conversion(self):
        return self.ratio("referred_enrolled", "referred")

    @property
    def active_share(self):
        return self.ratio("active_collectors", "collectors")

    @property
    def new_progress(self):
        return self.new_ytd / self.new_target if self.new_target else None


def weights_of(config):
    """The ranking weights from the app config (SYNTHESIS_WEIGHTS), defaults where missing."""
    weights = dict(DEFAULT_WEIGHTS)
    weights.update(config.get("SYNTHESIS_WEIGHTS") or {})
    return weights


def score(unit, weights):
    """Weighted score in 0..1: each part counts at most 100% and as 0 when it has no base."""
    parts = {"new_target": unit.new_progress, "visit_conversion": unit.visit_conversion,
             "active_collectors": unit.active_share}
    total = sum(weights.values()) or 1
    return sum(weights.get(k, 0) * min(parts[k] or 0, 1) for k in parts) / total


def visible_organizations(area_ids, national=False):
    """Organizations working in ``area_ids``: based there, or with a collection point there.
    An organization with no area at all shows only to a user of the whole country."""
    ids = sorted(area_ids)
    if not ids:
        return select(Organization).where(false())
    with_point = select(CollectionPoint.organization_id).where(in_areas(CollectionPoint.area_id, ids))
    cond = or_(in_areas(Organization.area_id, ids), Organization.id.in_(with_point))
    if national:
        cond = or_(cond, Organization.area_id.is_(None))
    return select(Organization).where(cond)


def _keys(by_point):
    cols = [User.organization_id.label("org")]
    if by_point:
        cols.append(func.coalesce(User.collection_point_id, 0).label("pt"))
    return cols


def _grouped(stmt, by_point):
    """Run a statement whose first columns are the unit keys: {key: (values...)}."""
    n = 2 if by_point else 1
    return {tuple(r[:n]): tuple(r[n:]) for r in db.session.execute(stmt)}


def _point_figures(ids, orgs, start, end):
    """{(org id, point id or 0): {count name: n}} of every count that adds up.

    Each collector has one organization and one point, so the organization's figures are the
    sums of its points' (collectors and active collectors included); only the households,
    counted once however many points visited them, need their own query (``_reach``).
    """
    keys = _keys(True)
    in_orgs = User.organization_id.in_(orgs)
    out = {}

    def put(stmt, names):
        for key, values in _grouped(stmt, True).items():
            slot = out.setdefault(key, dict.fromkeys(COUNTS, 0))
            for name, value in zip(names, values):
                slot[name] = int(value or 0)

    put(_visits_statement(ids, in_orgs, start, end), ("visits", "active_collectors"))
    put(select(*keys, func.count(), func.sum(Outreach.attendees)).select_from(Outreach)
        .join(User, User.id == Outreach.created_by_id)
        .where(Outreach.held_at >= start, Outreach.held_at < end, in_areas(Outreach.area_id, ids), in_orgs)
        .group_by(*keys), ("sessions", "attendees"))
    made = _made(Enrollment)
    splits = [func.sum(case((and_(Enrollment.scheme == s, Enrollment.kind == k), 1), else_=0))
              for s in SCHEMES for k in KINDS]
    put(select(*keys, *splits, func.count()).select_from(Enrollment)
        .join(User, User.id == Enrollment.created_by_id)
        .where(made >= start, made < end, in_areas(Enrollment.area_id, ids), in_orgs)
        .group_by(*keys), (*(f"{s}_{k}" for s in SCHEMES for k in KINDS), "signups"))
    referred_at = _made(Referral)
    put(select(*keys, func.count(), func.sum(case((Referral.status == "enrolled", 1), else_=0)))
        .select_from(Referral)
        .join(User, User.id == Referral.assigned_to_id)
        .where(referred_at >= start, referred_at < end, in_areas(Referral.area_id, ids), in_orgs)
        .group_by(*keys), ("referred", "referred_enrolled"))
    put(select(*keys, func.count(User.id))
        .where(User.role == "collector", User.active.is_(True), in_orgs,
               User.areas.any(), ~User.areas.any(~in_areas(Area.id, ids)))
        .group_by(*keys), ("collectors",))
    return out


def _visits_statement(ids, in_orgs, start, end):
    """(org, point, visits, active collectors) of the month, from the visits per collector.

    The visits per collector come from ``review_counts`` (models/counts.py: kept by triggers
    on visits, per area, collector and UTC month) for the whole UTC months, and from the
    visits themselves (ix_visits_month) only for the hours between the local month's ends
    and the nearest UTC month boundaries (models/counts.py ``month_cut``, as the review queue): a few
    thousand kept rows and a few hours of visits instead of the month's visits. A collector
    is active when their visits of the month add up to more than none."""
    cut = month_cut(start, end)
    if cut is None:  # not a month: never for a calendar month, kept for safety
        (lo, hi), slivers = (None, None), [(start, end, 1)]
    else:
        (lo, hi), slivers = cut
    parts = []
    if lo is not None:
        parts.append(select(ReviewCount.collector_id.label("who"), ReviewCount.n.label("n"))
                     .where(in_areas(ReviewCount.area_id, ids), ReviewCount.month >= lo,
                            ReviewCount.month < hi))
    for since, until, sign in slivers:
        parts.append(select(Visit.created_by_id.label("who"), literal(sign).label("n"))
                     .where(Visit.visited_at >= since, Visit.visited_at < until,
                            in_areas(Visit.area_id, ids)))
    rows = union_all(*parts).subquery("rows")
    per_collector = (select(rows.c.who, func.sum(rows.c.n).label("n"))
                     .group_by(rows.c.who).subquery("per_collector"))
    keys = _keys(True)
    return (select(*keys, func.sum(per_collector.c.n),
                   func.sum(case((per_collector.c.n > 0, 1), else_=0)))
            .select_from(per_collector).join(User, User.id == per_collector.c.who)
            .where(in_orgs).group_by(*keys))


def _made(model):
    """When a record was made: on the device if it said, else when the server got it."""
    return func.coalesce(model.client_time, model.received_at)


def _reach(ids, orgs, start, end):
    """Households visited in the month, and of them those with a sign-up, per point and per
    organization: ({(org, point): (visited, signed)}, {(org,): (visited, signed)}).

    A household counts as signed for a unit when the unit's collectors visited it and also
    signed someone in it up in the month. The database only reads the month's (collector,
    household) pairs, visits from ``ix_visits_month`` alone and sign-ups from
    ``ix_enrollments_made`` with each signed person's household; the households are told apart
    here, in sets per collector, then per point and per organization. Grouped in SQL by
    (organization, point, household) and again by (organization, household), the ~100,000 rows
    of a province's month were sorted twice (SQLite's temporary b-trees, PostgreSQL's sorts
    after estimating 35 groups): most of the synthesis's time.
    """
    unit_of = {who: (org, pt) for who, org, pt in db.session.execute(
        select(User.id, *_keys(True)).where(User.organization_id.in_(orgs)))}
    visits = (Visit.created_by_id, Visit.household_id,
              and_(Visit.visited_at >= start, Visit.visited_at < end, in_areas(Visit.area_id, ids)))
    made = _made(Enrollment)
    # The signed person's household looked up by key for each of the month's sign-ups: joined,
    # PostgreSQL hashes every person of the country to meet a few thousand sign-ups.
    household_of = (select(Person.household_id).where(Person.id == Enrollment.person_id)
                    .scalar_subquery())
    signups = (Enrollment.created_by_id, household_of,
               and_(made >= start, made < end, in_areas(Enrollment.area_id, ids)))
    visited, signed = _households_by_unit(visits, unit_of), _households_by_unit(signups, unit_of)
    empty = frozenset()
    by_point, by_org = {}, {}
    for key in sorted(visited):
        by_point[key] = (len(visited[key]), len(visited[key] & signed.get(key, empty)))
    for org in sorted({org for org, _pt in visited}):
        seen = set().union(*(hh for (o, _pt), hh in visited.items() if o == org))
        got = set().union(*(hh for (o, _pt), hh in signed.items() if o == org))
        by_org[(org,)] = (len(seen), len(seen & got))
    return by_point, by_org


def _households_by_unit(rows, unit_of):
    """{(org, point): set of households} of the (collector, household, condition) ``rows``,
    the collectors outside ``unit_of`` (other organizations) left out.

    The database hands over one row per collector holding the list of their households
    (``json_group_array`` on SQLite, ``array_agg`` on PostgreSQL): grouping by a small
    integer is cheap, and a few hundred rows cost the driver and SQLAlchemy little where
    ~100,000 rows of one household each took more time than the counting itself."""
    who, household, cond = rows
    if db.session.get_bind().dialect.name == "postgresql":
        stmt, load = select(who, func.array_agg(household)), None
    else:
        stmt, load = select(who, func.json_group_array(household)), json.loads
    out = {}
    for collector, households in db.session.execute(stmt.where(cond).group_by(who)):
        key = unit_of.get(collector)
        if key is not None:
            out.setdefault(key, set()).update(load(households) if load else households)
    return out


def _figures(ids, orgs, start, end):
    """({(org, point): counts}, {(org,): counts}): the points' figures, and the organizations'
    as their sums with the households counted once."""
    by_point = _point_figures(ids, orgs, start, end)
    reach_point, reach_org = _reach(ids, orgs, start, end)
    for key, (households, signed) in reach_point.items():
        slot = by_point.setdefault(key, dict.fromkeys(COUNTS, 0))
        slot["households"], slot["signed_households"] = households, signed
    by_org = {}
    for (org, _pt), figures in by_point.items():
        slot = by_org.setdefault((org,), dict.fromkeys(COUNTS, 0))
        for name, n in figures.items():
            slot[name] += n
    for key, slot in by_org.items():
        slot["households"], slot["signed_households"] = reach_org.get(key, (0, 0))
    return by_point, by_org


def _new_to_date(ids, orgs, month):
    """{org id: new sign-ups from 1 January to the end of ``month``} in ``ids``.

    Counted per collector first, from ``ix_enrollments_made`` alone, and the few hundred
    collectors then joined to their organizations: joined row by row, SQLite looked up the
    user of each of a province's 90,000 new sign-ups of the year."""
    _start, end = month_bounds_of(month)
    made = _made(Enrollment)
    per_collector = (select(Enrollment.created_by_id.label("who"), func.count().label("n"))
                     .where(Enrollment.kind == "new", made >= year_start_of(month), made < end,
                            in_areas(Enrollment.area_id, ids))
                     .group_by(Enrollment.created_by_id).subquery("per_collector"))
    stmt = (select(User.organization_id, func.sum(per_collector.c.n)).select_from(per_collector)
            .join(User, User.id == per_collector.c.who)
            .where(User.organization_id.in_(orgs))
            .group_by(User.organization_id))
    return {org: int(n) for org, n in db.session.execute(stmt).all()}


def _new_targets(orgs, year):
    """{org id: the year's target of new sign-ups}, all schemes together; absent = no target."""
    stmt = (select(Plan.organization_id, func.sum(Plan.new_participants))
            .where(Plan.organization_id.in_(orgs), Plan.year == year,
                   Plan.new_participants.is_not(None))
            .group_by(Plan.organization_id))
    return {org: int(n) for org, n in db.session.execute(stmt).all() if n is not None}


#: PostgreSQL's memory for each sort and hash of the synthesis's statements (``SET LOCAL``:
#: this transaction only). At the default 4 MB a province's year of sign-ups (200,000 rows
#: sorted into chains) and its month's households (95,000 keys) spill to temporary files.
REPORT_WORK_MEM = "64MB"


def _report_memory():
    """On PostgreSQL, for this transaction only: sorts and hashes in memory, and no JIT
    compilation. The statements read tens of thousands of rows, well above the planner's
    ``jit_above_cost`` (its cost estimates under lists of hundreds of areas run high), and
    compiling them took 0.2 s where running them takes less."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'"))
        db.session.execute(text("SET LOCAL jit = off"))


@dataclass
class Synthesis:
    month: str
    units: list  # organizations, ranked, each with .points
    totals: dict
    weights: dict


def _add_payers(units, payers):
    """Payers kept and lost in the month (reports/payers.py ``kept_and_lost``) on each
    organization and each of its collection points. Payers of collectors attached to no
    point count on their organization only."""
    for org_id, unit in units.items():
        got = payers["organizations"].get(org_id) or {}
        unit.figures["payers_kept"], unit.figures["payers_lost"] = got.get("kept", 0), got.get("lost", 0)
        for row in unit.points:
            got = payers["points"].get(row.point.id) if row.point is not None else None
            row.figures = {**row.figures, "payers_kept": (got or {}).get("kept", 0),
                           "payers_lost": (got or {}).get("lost", 0)}


def monthly_synthesis(area_ids, month, weights=None, national=False):
    """The synthesis of ``month`` ('YYYY-MM') for ``area_ids`` (already cut to a Scope).

    Organizations come ranked (rank 1 first); each holds its collection points (those in
    ``area_ids``, by commune then code) and, when some of its work was done by collectors
    attached to no point, a last row with ``point`` None for it.
    """
    weights = dict(weights or DEFAULT_WEIGHTS)
    start, end = month_bounds_of(month)
    _report_memory()
    ids = sorted(area_ids)
    orgs = {o.id: o for o in db.session.scalars(visible_organizations(ids, national))}
    org_ids = sorted(orgs) or [-1]
    by_point, by_org = _figures(ids, org_ids, start, end) if ids else ({}, {})
    new_ytd = _new_to_date(ids or [-1], org_ids, month) if ids else {}
    targets = _new_targets(org_ids, int(month[:4]))
    points = db.session.execute(
        select(CollectionPoint, Area.code).join(Area, Area.id == CollectionPoint.area_id)
        .where(in_areas(CollectionPoint.area_id, ids or [-1]), CollectionPoint.organization_id.in_(org_ids))
        .order_by(Area.code, CollectionPoint.code)).all()
    units = {}
    for org in orgs.values():
        unit = Unit(org, figures=by_org.get((org.id,), dict.fromkeys(COUNTS, 0)),
                    new_ytd=int(new_ytd.get(org.id, 0)), new_target=targets.get(org.id))
        unit.score = round(score(unit, weights), 4)
        units[org.id] = unit
    for point, _code in points:
        units[point.organization_id].points.append(
            Unit(units[point.organization_id].organization, point,
                 figures=by_point.get((point.organization_id, point.id), dict.fromkeys(COUNTS, 0))))
    for (org_id, pt), figures in by_point.items():
        if pt == 0 and org_id in units and any(figures.values()):
            units[org_id].points.append(Unit(units[org_id].organization, None, figures=figures))
    if ids:
        _add_payers(units, kept_and_lost(ids, int(month[:4]), int(month[5:7])))
    ranked = sorted(units.values(), key=lambda u: (-u.score, u.organization.name, u.organization.id))
    for n, unit in enumerate(ranked, 1):
        unit.rank = n
    totals = {name: sum(u.figures[name] for u in ranked) for name in COUNTS}
    totals["new_ytd"] = sum(u.new_ytd for u in ranked)
    targets_known = [u.new_target for u in ranked if u.new_target is not None]
    totals["new_target"] = sum(targets_known) if targets_known else None
    return Synthesis(month, ranked, totals, weights)

