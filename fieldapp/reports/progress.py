"""Progress against the year's plan (issue #12): the figures the office reports every month.

Why one module of SQL: the province page sums a few hundred thousand sign-ups and three years
of official counts for thousands of areas; the database does that in a handful of statements
whatever the size, and the same statements run on SQLite and PostgreSQL. Python only puts the
returned rows side by side (this month against last month, December, a year earlier).

Definitions (docs/reports.md, "Progress against plan"):

- an area's *official counts* are its own imported counts when it has any (for the scheme),
  or else, month by month, the sums of its direct sub-areas' counts (offices import per
  commune, or per province);
- *participants at a month's end* is the official count when there is one for the month;
  after the last count it is that count plus the persons with a paid enrollment of the scheme
  of kind ``new`` or ``resumed`` starting after the count's month and not after the month
  (provisional); before the first count there is no figure (None, never 0);
- the *plan* is the area's own plan for the year and scheme, or else the sum of its direct
  sub-areas' plans; *new sign-ups* are persons with a paid ``new`` enrollment starting in the
  year, not after the month.

The month arithmetic and the subtree CTE are shared with the monthly synthesis
(reports/synthesis.py): import them from here.
"""
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, text

from ..extensions import db
from ..models.base import UTCDateTime

#: Sign-up kinds that add a participant (a renewal keeps one who is already counted).
ADDING_KINDS = ("new", "resumed")
WEEKS = 12


# --- month arithmetic ------------------------------------------------------------------------

def month_add(month, n):
    """'2024-10' plus ``n`` months (n may be negative) -> 'YYYY-MM'."""
    year, mon = int(month[:4]), int(month[5:7])
    index = year * 12 + (mon - 1) + n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def year_months(month):
    """January of ``month``'s year up to ``month``."""
    return [f"{month[:4]}-{m:02d}" for m in range(1, int(month[5:7]) + 1)]


def previous_december(month):
    return f"{int(month[:4]) - 1:04d}-12"


def comparison_months(month):
    """The month and the three it is compared with: previous month, last December, a year ago."""
    return {"now": month, "previous": month_add(month, -1), "december": previous_december(month),
            "year_ago": month_add(month, -12)}


# --- the subtree ---------------------------------------------------------------------------

#: A recursive CTE ``sub(root_id, area_id)``: every area below (and including) each root of a
#: CTE ``roots(root_id)`` that the statement defines first. Put it in a ``WITH RECURSIVE``.
SUBTREE_CTE = """sub(root_id, area_id) AS (
    SELECT root_id, root_id FROM roots
    UNION ALL
    SELECT sub.root_id, a.id FROM areas a JOIN sub ON a.parent_id = sub.area_id)"""

#: ``roots(root_id)`` from an expanding ``:roots`` parameter (a list of area ids).
ROOTS_CTE = "roots(root_id) AS (SELECT id FROM areas WHERE id IN :roots)"


def _run(sql, **params):
    stmt = text(sql)
    for name, value in params.items():
        if isinstance(value, list | tuple | set | frozenset):
            stmt = stmt.bindparams(bindparam(name, expanding=True))
    clean = {k: (list(v) if isinstance(v, set | frozenset) else v) for k, v in params.items()}
    return db.session.execute(stmt, clean).all()


def _months_cte(months):
    """``wanted(month)`` from literal months, as bound parameters."""
    parts = " UNION ALL ".join(f"SELECT :m{i}" for i in range(len(months)))
    return f"wanted(month) AS ({parts})", {f"m{i}": m for i, m in enumerate(months)}


# --- participants at a month's end -----------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    """Participants of one area at one month's end: ``value`` None when there is no figure yet;
    ``provisional`` when it is the last count plus later sign-ups; ``base`` the count's month."""

    value: int | None
    provisional: bool = False
    base: str | None = None


NO_FIGURE = Figure(None)

_PARTICIPANTS_SQL = """
WITH RECURSIVE {roots},
{wanted},
own_roots(root_id) AS (
    SELECT DISTINCT pc.area_id FROM participant_counts pc
     WHERE pc.area_id IN :roots AND pc.scheme = :scheme),
counted(root_id, month, participants) AS (
    SELECT pc.area_id, pc.month, pc.participants FROM participant_counts pc
     WHERE pc.area_id IN :roots AND pc.scheme = :scheme AND pc.month <= :last
    UNION ALL
    SELECT a.parent_id, pc.month, SUM(pc.participants) FROM participant_counts pc
      JOIN areas a ON a.id = pc.area_id
     WHERE a.parent_id IN :roots AND a.parent_id NOT IN (SELECT root_id FROM own_roots)
       AND pc.scheme = :scheme AND pc.month <= :last
     GROUP BY a.parent_id, pc.month),
based(root_id, month, base) AS (
    SELECT r.root_id, w.month, MAX(c.month) FROM roots r CROSS JOIN wanted w
      LEFT JOIN counted c ON c.root_id = r.root_id AND c.month <= w.month
     GROUP BY r.root_id, w.month),
{subtree},
recent(area_id, person_id, start_month) AS MATERIALIZED (
    SELECT e.area_id, e.person_id, e.start_month FROM enrollments e
     WHERE e.start_month > (SELECT MIN(base) FROM based WHERE base < month)
       AND e.start_month <= :last AND e.scheme = :scheme AND e.paid = :paid
       AND e.kind IN :kinds),
added(root_id, month, persons) AS (
    SELECT b.root_id, b.month, COUNT(DISTINCT r.person_id)
      FROM recent r CROSS JOIN sub s CROSS JOIN based b
     WHERE s.area_id = r.area_id AND b.root_id = s.root_id AND b.base < b.month
       AND r.start_month > b.base AND r.start_month <= b.month
     GROUP BY b.root_id, b.month)
SELECT b.root_id, b.month, b.base, c.participants, ad.persons
  FROM based b LEFT JOIN counted c ON c.root_id = b.root_id AND c.month = b.base
  LEFT JOIN added ad ON ad.root_id = b.root_id AND ad.month = b.month
"""
# "recent" is MATERIALIZED (SQLite ≥ 3.35, PostgreSQL ≥ 12): read once through the start_month
# index. Inlined, PostgreSQL walked every area's enrollments instead (3,000 index scans, 2 s on
# the benchmark province); the months after the last count are a small slice of the table.


def participants(root_ids, months, scheme):
    """{(area_id, month): Figure} for every area in ``root_ids`` and month in ``months``."""
    root_ids, months = sorted(set(root_ids)), sorted(set(months))
    if not root_ids or not months:
        return {}
    wanted, month_params = _months_cte(months)
    sql = _PARTICIPANTS_SQL.format(roots=ROOTS_CTE, wanted=wanted, subtree=SUBTREE_CTE)
    rows = _run(sql, roots=root_ids, scheme=scheme, last=months[-1], paid=True,
                kinds=list(ADDING_KINDS), **month_params)
    out = {}
    for root_id, month, base, counted, added in rows:
        if base is None or counted is None:
            out[(root_id, month)] = NO_FIGURE
        else:
            out[(root_id, month)] = Figure(int(counted) + int(added or 0), base != month, base)
    return out


# --- plans, new sign-ups, weekly sign-ups, organizations -------------------------------------

_PLANS_SQL = """
WITH {roots},
own AS (SELECT p.area_id AS root_id, p.target, p.new_participants, p.monthly FROM plans p
         WHERE p.area_id IN :roots AND p.organization_id IS NULL AND p.year = :year
           AND p.scheme = :scheme),
kids AS (SELECT a.parent_id AS root_id, SUM(p.target) AS target,
                SUM(p.new_participants) AS new_participants FROM plans p
           JOIN areas a ON a.id = p.area_id
          WHERE a.parent_id IN :roots AND p.organization_id IS NULL AND p.year = :year
            AND p.scheme = :scheme
          GROUP BY a.parent_id)
SELECT r.root_id, COALESCE(own.target, kids.target), own.root_id IS NOT NULL,
       CASE WHEN own.root_id IS NOT NULL THEN own.new_participants ELSE kids.new_participants END,
       own.monthly
  FROM roots r LEFT JOIN own ON own.root_id = r.root_id LEFT JOIN kids ON kids.root_id = r.root_id
"""


@dataclass(frozen=True)
class PlanFigure:
    target: int | None = None
    new: int | None = None
    monthly: dict | None = None
    summed: bool = False  # the sum of the sub-areas' plans (the area has none of its own)


def plans(root_ids, year, scheme):
    """{area_id: PlanFigure} for the year and scheme."""
    if not root_ids:
        return {}
    rows = _run(_PLANS_SQL.format(roots=ROOTS_CTE), roots=sorted(root_ids), year=int(year),
                scheme=scheme)
    out = {}
    for root_id, target, own, new, monthly in rows:
        if isinstance(monthly, str):  # JSON text where the driver does not decode it
            import json
            monthly = json.loads(monthly)
        out[root_id] = PlanFigure(None if target is None else int(target),
                                  None if new is None else int(new), monthly or None,
                                  summed=not own and target is not None)
    return out


_NEW_SQL = """
WITH RECURSIVE {roots}, {subtree},
per_area(area_id, persons) AS (
    SELECT e.area_id + 0, COUNT(DISTINCT e.person_id) FROM enrollments e
     WHERE e.scheme = :scheme AND e.paid = :paid AND e.kind = 'new'
       AND e.start_month >= :first AND e.start_month <= :month
     GROUP BY e.area_id + 0)
SELECT s.root_id, SUM(p.persons) FROM per_area p CROSS JOIN sub s
 WHERE s.area_id = p.area_id
 GROUP BY s.root_id
"""


def new_signups(root_ids, month, scheme):
    """{area_id: persons with a paid new enrollment starting from January up to ``month``}.

    Counted once per area, then added up each root's subtree: one pass over the year's new
    sign-ups whatever the number of roots (a person's sign-ups are in the person's area)."""
    if not root_ids:
        return {}
    rows = _run(_NEW_SQL.format(roots=ROOTS_CTE, subtree=SUBTREE_CTE), roots=sorted(root_ids),
                scheme=scheme, paid=True, first=f"{month[:4]}-01", month=month)
    counts = dict.fromkeys(root_ids, 0)
    counts.update({root: int(n) for root, n in rows})
    return counts


def week_starts(end, weeks=WEEKS):
    """The starts (UTC) of the ``weeks`` seven-day spans ending at ``end``, oldest first."""
    return [end - timedelta(days=7 * (weeks - i)) for i in range(weeks)]


def weekly_signups(root_id, scheme, end):
    """Sign-ups (enrollments of the scheme, any kind) recorded in each of the twelve weeks
    before ``end``: [(week start, count)], oldest first. One statement, one pass."""
    starts = week_starts(end)
    bounds = starts + [end]
    recorded = "COALESCE(e.client_time, e.received_at)"
    weeks = ", ".join(
        f"SUM(CASE WHEN {recorded} >= :w{i} AND {recorded} < :w{i + 1} THEN 1 ELSE 0 END) AS w{i}"
        for i in range(len(starts)))
    totals = ", ".join(f"SUM(p.w{i})" for i in range(len(starts)))
    # "area_id + 0": grouping on the bare column makes SQLite walk the area index over the
    # whole table (a random read per row); one sequential pass is several times faster.
    sql = (f"WITH RECURSIVE {ROOTS_CTE}, {SUBTREE_CTE}, per_area AS (SELECT e.area_id + 0 AS area_id, "
           f"{weeks} FROM enrollments e WHERE e.scheme = :scheme AND {recorded} >= :w0 "
           f"AND {recorded} < :w{len(starts)} GROUP BY e.area_id + 0) "
           f"SELECT {totals} FROM per_area p CROSS JOIN sub s WHERE s.area_id = p.area_id")
    stmt = text(sql).bindparams(bindparam("roots", expanding=True),
                                *(bindparam(f"w{i}", type_=UTCDateTime) for i in range(len(bounds))))
    params = {f"w{i}": b for i, b in enumerate(bounds)}
    row = db.session.execute(stmt, {"roots": [root_id], "scheme": scheme, **params}).one()
    return [(start, int(n or 0)) for start, n in zip(starts, row)]


_ORGS_SQL = """
WITH RECURSIVE {roots}, {subtree},
targets AS (
    SELECT o.id AS org_id, o.code, o.name, p.new_participants, p.target FROM plans p
      JOIN organizations o ON o.id = p.organization_id
     WHERE p.year = :year AND p.scheme = :scheme
       AND (p.area_id = :root OR (p.area_id IS NULL AND o.area_id = :root))),
signed AS (
    SELECT u.organization_id AS org_id, COUNT(DISTINCT e.person_id) AS persons
      FROM enrollments e CROSS JOIN sub s CROSS JOIN users u
     WHERE s.area_id = e.area_id AND u.id = e.created_by_id
       AND u.organization_id IN (SELECT org_id FROM targets)
       AND e.scheme = :scheme AND e.paid = :paid AND e.kind = 'new'
       AND e.start_month >= :first AND e.start_month <= :month
     GROUP BY u.organization_id)
SELECT t.org_id, t.code, t.name, t.new_participants, t.target, sg.persons
  FROM targets t LEFT JOIN signed sg ON sg.org_id = t.org_id ORDER BY t.code
"""


def organization_progress(root_id, month, scheme):
    """Each collection organization with a plan for the area (or for the whole organization
    based in it): its new sign-ups in the area's subtree against its own "new" target. An
    organization has no official count; this is its progress."""
    rows = _run(_ORGS_SQL.format(roots=ROOTS_CTE, subtree=SUBTREE_CTE), roots=[root_id],
                root=root_id, year=int(month[:4]), scheme=scheme, paid=True,
                first=f"{month[:4]}-01", month=month)
    out = []
    for org_id, code, name, new_target, target, signed in rows:
        target_new = new_target if new_target is not None else None
        out.append({"id": org_id, "code": code, "name": name, "new_target": target_new,
                    "target": target, "new": int(signed or 0),
                    "ratio": ratio(int(signed or 0), target_new)})
    return out


_LATEST_SQL = """
SELECT MAX(pc.month) FROM participant_counts pc
 WHERE pc.scheme = :scheme AND (pc.area_id = :root
       OR pc.area_id IN (SELECT a.id FROM areas a WHERE a.parent_id = :root))
"""


def latest_counted_month(root_id, scheme):
    """The latest month with an official count for the area (its own or its sub-areas')."""
    return _run(_LATEST_SQL, root=root_id, scheme=scheme)[0][0]


# --- putting it together ---------------------------------------------------------------------

def ratio(part, whole):
    """part / whole, or None when either is missing or whole is 0."""
    if part is None or not whole:
        return None
    return part / whole


def _change(now, then):
    if now.value is None or then.value is None:
        return None
    diff = now.value - then.value
    return {"n": diff, "ratio": ratio(diff, then.value)}


def area_figures(area_id, month, scheme, figures, plan, new):
    """One area's row of the page, from the batches fetched by ``progress``."""
    months = comparison_months(month)
    now = figures.get((area_id, month), NO_FIGURE)
    at = {key: figures.get((area_id, m), NO_FIGURE) for key, m in months.items()}
    plan = plan or PlanFigure()
    return {
        "area_id": area_id, "month": month, "scheme": scheme,
        "participants": now.value, "provisional": now.provisional, "base": now.base,
        "target": plan.target, "target_new": plan.new, "plan_summed": plan.summed,
        "of_plan": ratio(now.value, plan.target),
        "previous": _change(now, at["previous"]), "december": _change(now, at["december"]),
        "year_ago": _change(now, at["year_ago"]),
        "new": new, "of_new_plan": ratio(new, plan.new),
        "months": months,
    }


def progress(area_id, child_ids, month, scheme, now=None):
    """Everything the page shows for one area, month and scheme: the area's figures, each
    sub-area's, the year month by month (for the chart) and the twelve weeks of sign-ups."""
    roots = [area_id, *child_ids]
    compare = list(comparison_months(month).values())
    figures = participants([area_id], set(compare) | set(year_months(month)), scheme)
    figures.update(participants(child_ids, compare, scheme))
    year_plans = plans(roots, month[:4], scheme)
    new = new_signups(roots, month, scheme)
    rows = {a: area_figures(a, month, scheme, figures, year_plans.get(a), new.get(a, 0))
            for a in roots}
    plan = year_plans.get(area_id) or PlanFigure()
    december = figures.get((area_id, previous_december(month)), NO_FIGURE).value
    line = []
    for number in range(1, 13):
        m = f"{month[:4]}-{number:02d}"
        figure = figures.get((area_id, m), NO_FIGURE) if m <= month else NO_FIGURE
        line.append({"month": m, "value": figure.value, "provisional": figure.provisional,
                     "plan": plan_at(plan, m, december)})
    end = min(now or datetime.now(UTC), month_end_utc(month))
    return {"area": rows[area_id], "children": [rows[c] for c in child_ids], "line": line,
            "full_year_plan": plan.target, "weeks": weekly_signups(area_id, scheme, end),
            "organizations": organization_progress(area_id, month, scheme)}


def plan_at(plan, month, december):
    """The plan line at ``month``'s end: the plan's own monthly split when it has one, else
    a straight line from last December's figure to the year's target (the pace needed)."""
    if plan.target is None:
        return None
    key = month[5:7]
    if plan.monthly and plan.monthly.get(key) is not None:
        return int(plan.monthly[key])
    if december is None:
        return None
    return december + round((plan.target - december) * int(key) / 12)


def month_end_utc(month):
    """The first instant after ``month`` as lived in Vietnam (UTC+7, no summer time)."""
    start = month_add(month, 1)
    return datetime(int(start[:4]), int(start[5:7]), 1, tzinfo=UTC) - timedelta(hours=7)
