"""Payers' state, computed by the database (#15): who is paying, due, lapsed or ended.

A *payer* is a VSI participant (a person with VSI sign-ups) or an HHI household (a household
with HHI sign-ups). Its state on a day, in this order of precedence (docs/payers.md):

1. **ended**  — the person (every HHI member) no longer pays: moved away, died, joined
   compulsory SI (``persons.ended_on`` on or before the day);
2. **lapsed** — VSI: a period's deadline passed unpaid (monthly: within its month;
   3-monthly: within the 3 months; 6-monthly: within the first 4; yearly: within the first
   7); HHI: the paid period ended and the next one is unpaid (no grace window);
3. **due**    — the next period starts within 30 days, or the current VSI period is unpaid
   and its deadline has not passed (a sign-up not yet paid is due);
4. **paying** — covered now.

Months are counted as integers (year × 12 + month − 1), so the deadline arithmetic is plain
integer SQL that SQLite and PostgreSQL both run. The *next period* of a payer starts at the
end of its latest paid period, or at the start of its first sign-up when nothing is paid
yet; its length is that of the latest sign-up.

``payer_rows`` is the one query; the lists, the synthesis figures and the tasks are built on
it. Python only computes the amount of the next payment (the policy book, with the
parameter set in force for that period) for the rows a list shows.
"""
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import JSON, bindparam, text

from sync.protocol import SCHEMES

from ..extensions import db
from .area_list import areas_text

STATES = ("ended", "lapsed", "due", "paying")
#: Months after a VSI period's start within which it must be paid, by its length
#: (DOMAIN: monthly within its month, 3-monthly within the 3, 6-monthly within the first 4,
#: yearly within the first 7). Longer periods (prepaid years) within their first 7 months.
VSI_WINDOW = {1: 1, 3: 3, 6: 4, 12: 7}
#: How far ahead a period's start makes the payer "due".
DUE_AHEAD_DAYS = 30


def month_index(day):
    """A date's month as an integer (year × 12 + month − 1): what the SQL computes."""
    return day.year * 12 + day.month - 1


def month_of(index):
    """(year, month) of a month index."""
    return index // 12, index % 12 + 1


def first_day(index):
    year, month = month_of(index)
    return date(year, month, 1)


def last_day(index):
    year, month = month_of(index)
    return date(year, month, monthrange(year, month)[1])


def month_text(index):
    year, month = month_of(index)
    return f"{year:04d}-{month:02d}"


#: SQL: a "YYYY-MM" column ``{c}`` as a month index; the VSI window of a period ``{p}``
#: (``VSI_WINDOW``). syncserver/payerchains.py keeps its sums with the same two.
MONTH_SQL = ("(CAST(substr({c}, 1, 4) AS INTEGER) * 12 + CAST(substr({c}, 6, 2) AS INTEGER) - 1)")
WINDOW_SQL = ("CASE {p} WHEN 1 THEN 1 WHEN 3 THEN 3 WHEN 6 THEN 4 WHEN 12 THEN 7 ELSE 7 END")

# One row per (person, scheme) chain of sign-ups: the next period's start (``nxt``), the
# latest sign-up's period, collector and inputs (the row with no later one; of two starting
# the same month, the greater id, as payer_chains' ``latest_id``), whether anything was ever
# paid. One window, in the order of ix_enrollments_payer_chain (person, scheme, start month,
# then the columns read here): the database walks the index instead of sorting a year's
# sign-ups, the id only ordering the rare ties within a month. (Whether anything was paid is
# whether a paid period ends somewhere: one window function fewer.)
def _chains(inputs=("monthly_income", "support_group")):
    """The chains, carrying the latest sign-up's ``inputs`` columns too (the lists' premium
    inputs; kept and lost worked out fresh need none)."""
    m_inputs = "".join(f"e.{c}, " for c in inputs)
    c_inputs = "".join(f"{c}, " for c in inputs)
    return f"""
WITH m AS (
  SELECT e.id, e.person_id, e.scheme, e.area_id, e.created_by_id, e.period_months,
         {m_inputs}e.paid, e.start_month,
         {MONTH_SQL.format(c="e.start_month")} AS s, p.household_id, p.ended_on
  FROM enrollments e JOIN persons p ON p.id = e.person_id
  WHERE e.area_id IN :areas
),
e AS (
  SELECT m.*,
         LEAD(start_month) OVER w AS later,
         MAX(CASE WHEN paid THEN s + period_months END) OVER w AS paid_end,
         MIN(s) OVER w AS first_s
  FROM m
  WINDOW w AS (PARTITION BY person_id, scheme ORDER BY start_month, id
               ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
),
chains AS (
  SELECT person_id, scheme, area_id, created_by_id, period_months, {c_inputs}
         CASE WHEN paid_end IS NULL THEN 0 ELSE 1 END AS ever_paid, first_s,
         COALESCE(paid_end, first_s) AS nxt, household_id, ended_on
  FROM e WHERE later IS NULL
)
"""


_CHAINS = _chains()

# A payer's state on a day (docs/payers.md's order of precedence), from the payer's columns
# as judged on that day (``{c}ended``, ``{c}lapse_at``, ...) and the day's parameters
# (``:{d}month``, ``:{d}ahead``). One text for the lists and for kept and lost.
_STATE = """CASE
           WHEN {c}ended = 1 THEN 'ended'
           WHEN scheme = 'vsi' AND :{d}month >= {c}lapse_at THEN 'lapsed'
           WHEN scheme = 'hhi' AND {c}ever_paid = 1 AND :{d}month >= {c}lapse_at THEN 'lapsed'
           WHEN scheme = 'vsi' AND :{d}month >= {c}nxt THEN 'due'
           WHEN scheme = 'hhi' AND {c}ever_paid = 0 THEN 'due'
           WHEN :{d}ahead >= {c}nxt THEN 'due'
           ELSE 'paying'
         END"""

# The same chains read from the kept sums (models PayerChain, syncserver/payerchains.py), one
# scheme at a time (``{scheme}_chains``): a person's only row of the scheme (``{solo}``) is its
# chain; the rows of a person with sign-ups in several areas (``{several}``) are combined
# (latest, maximum, minimum) over the areas asked for, as ``_CHAINS`` judges only the sign-ups
# in them. Each part is read once, so neither database stores it in a work table: PostgreSQL
# cannot estimate a stored CTE's rows (it planned ~40 where a province's due list has 47,000,
# and looked up households and persons one by one).
# A person's only row also carries its last payment (``own_paid_on``, ``own_amount``,
# ``own_known``): being the person's only row of the scheme in any area, its last payment is
# the payer's (``with_last_payments`` need not look it up); the combined rows' is unknown.
_KEPT_CHAINS = """{scheme}_chains AS (
  SELECT person_id, scheme, area_id, created_by_id, period_months, monthly_income,
         support_group, ever_paid, first_month AS first_s, next_month AS nxt, household_id,
         ended_on, last_paid_on AS own_paid_on, last_amount AS own_amount, 1 AS own_known
  FROM ({solo}) AS s
  UNION ALL
  SELECT person_id, scheme, area_id, created_by_id, period_months, monthly_income,
         support_group, ep, fs, COALESCE(pe, fs), household_id, ended_on, NULL, NULL, 0
  FROM (
    SELECT r.*,
           ROW_NUMBER() OVER (PARTITION BY person_id
                              ORDER BY latest_start DESC, latest_id DESC) AS rn,
           MAX(paid_end) OVER (PARTITION BY person_id) AS pe,
           MAX(ever_paid) OVER (PARTITION BY person_id) AS ep,
           MIN(first_month) OVER (PARTITION BY person_id) AS fs
    FROM ({several}) AS r) AS kw
  WHERE rn = 1
)"""
# The fresh chains (``_CHAINS``) in the same two parts.
_FRESH_CHAINS = (_CHAINS + ", vsi_chains AS (SELECT chains.*, CAST(NULL AS DATE) AS own_paid_on,"
                 " CAST(NULL AS BIGINT) AS own_amount, 0 AS own_known"
                 " FROM chains WHERE scheme = 'vsi'),"
                 " hhi_chains AS (SELECT * FROM chains WHERE scheme = 'hhi')")

# Per payer: VSI persons and HHI households, with state and dates as month indexes. The
# chains carry their person's household and end (kept in payer_chains, or read with the
# sign-ups when fresh), so payers are judged without ``persons``; a VSI payer's name and
# phone are read for the payers the list keeps.
_JUDGE = f"""
, vsi AS (
  SELECT 'vsi' AS scheme, c.household_id, c.person_id, c.area_id, c.created_by_id,
         c.nxt, c.period_months AS period, c.ever_paid,
         CASE WHEN c.ended_on IS NOT NULL AND c.ended_on <= :today THEN 1 ELSE 0 END AS ended,
         c.nxt + {WINDOW_SQL.format(p="c.period_months")} AS lapse_at,
         c.monthly_income, c.support_group, c.first_s, c.own_paid_on, c.own_amount,
         c.own_known
  FROM vsi_chains c
),
hhi_members AS (
  SELECT c.household_id, c.nxt, c.ever_paid, c.period_months, c.area_id, c.created_by_id, c.first_s,
         CASE WHEN c.ended_on IS NOT NULL AND c.ended_on <= :today THEN 1 ELSE 0 END AS ended
  FROM hhi_chains c
),
hhi AS (
  SELECT 'hhi' AS scheme, household_id, CAST(NULL AS VARCHAR(36)) AS person_id, MIN(area_id) AS area_id,
         MAX(created_by_id) AS created_by_id,
         COALESCE(MIN(CASE WHEN ended = 0 THEN nxt END), MIN(nxt)) AS nxt,
         MAX(period_months) AS period,
         MAX(CASE WHEN ended = 0 THEN ever_paid ELSE 0 END) AS ever_paid,
         MIN(ended) AS ended,
         COALESCE(MIN(CASE WHEN ended = 0 THEN nxt END), MIN(nxt)) AS lapse_at,
         CAST(NULL AS INTEGER) AS monthly_income, CAST(NULL AS VARCHAR(16)) AS support_group,
         MIN(first_s) AS first_s, CAST(NULL AS DATE) AS own_paid_on,
         CAST(NULL AS BIGINT) AS own_amount, 0 AS own_known
  FROM hhi_members GROUP BY household_id
),
payers AS (SELECT * FROM vsi UNION ALL SELECT * FROM hhi),
judged AS (
  SELECT payers.*, {_STATE.format(c="", d="")} AS state
  FROM payers
)
SELECT j.scheme, j.household_id, j.person_id, j.area_id, j.created_by_id, j.nxt, j.period,
       j.lapse_at, j.state, j.ever_paid, u.organization_id, j.monthly_income, j.support_group,
       j.first_s,
       COALESCE(p.full_name, h.head_name) AS name, COALESCE(p.phone, h.phone) AS phone,
       {{visited}} AS visited, j.own_paid_on, j.own_amount, j.own_known
FROM judged j
JOIN households h ON h.id = j.household_id
LEFT JOIN persons p ON p.id = j.person_id
LEFT JOIN users u ON u.id = j.created_by_id
"""
_PAYERS = _FRESH_CHAINS + _JUDGE
#: The month of the household's latest visit (``visited``), read only where a list's
#: condition reads it ("stopped paying earlier, not visited since"): one probe of ``visits``
#: per payer, ~0.4 s of PostgreSQL's work for a province's 34,618 due payers when the
#: households have been visited (as in the field), which the due list never shows.
_VISITED = (f"(SELECT {MONTH_SQL.format(c='CAST(MAX(v.visited_at) AS VARCHAR(40))')} FROM visits v"
            " WHERE v.household_id = j.household_id)")


def _judged(payers_sql, visited):
    """``payers_sql`` (with ``_JUDGE``) reading the latest visit, or NULL in its place."""
    return payers_sql.replace("{visited}", _VISITED if visited else "CAST(NULL AS INTEGER)")


@dataclass
class Payer:
    """One payer's state on ``today`` and what a list shows of it."""

    scheme: str
    household_id: str
    person_id: str | None
    area_id: int
    collector_id: int | None
    organization_id: int | None
    name: str
    phone: str | None
    state: str
    next_month: int      # month index of the next period's start
    period: int
    lapse_month: int     # month index in which it lapses (or lapsed)
    ever_paid: bool
    #: Month index of the household's latest visit (None for the lists that do not read it,
    #: ``_UNVISITED``).
    visited_month: int | None
    monthly_income: int | None = None
    support_group: str | None = None
    #: The next payment's amount (``with_amounts``), None while not worked out or refused.
    amount: int | None = None
    #: The latest payment (``with_last_payments``).
    last_paid_on: date | None = None
    last_amount: int | None = None
    #: Month index of the payer's first sign-up's start.
    first_month: int | None = None
    #: Whether ``last_paid_on`` and ``last_amount`` came with the row (a VSI person's only
    #: row, ``_KEPT_CHAINS``), so ``with_last_payments`` need not look them up.
    last_known: bool = False

    @property
    def deadline(self):
        """The last day to pay the next period: a VSI period's deadline, or for HHI the day
        before the period starts (no grace window)."""
        return last_day(self.lapse_month - 1)

    @property
    def next_start(self):
        return month_text(self.next_month)


def payer_rows(area_ids, today, where="", params=None, near=None, fresh=False):
    """Every payer whose latest sign-up lies in ``area_ids``, judged on ``today``, in the
    order of area, name and household.

    ``where`` (SQL over the result's columns, e.g. ``state = 'due'``) and ``params`` narrow
    it in the database; ``near`` (one of ``NEAR``) reads only the payers that may meet it.
    The chains are read from the kept sums (``payer_chains``), or with ``fresh`` worked out
    from every sign-up, as the kept sums are checked against (tests)."""
    area_ids = sorted(area_ids)
    if not area_ids:
        return []
    sql, values = _rows_sql(area_ids, today, where, params, near, fresh)
    sql += " ORDER BY r.area_id, r.name, r.household_id"
    stmt = text(sql).bindparams(bindparam("areas", expanding=True))
    return [_payer(row) for row in db.session.execute(stmt, values)]


# The columns in Payer's order, read as plain tuples: a due list is tens of thousands of
# rows, and reading each column by name costs more than the query's own work on SQLite.
_COLUMNS = ("r.scheme, r.household_id, r.person_id, r.area_id, r.created_by_id,"
            " r.organization_id, r.name, r.phone, r.state, r.nxt, r.period, r.lapse_at,"
            " r.ever_paid, r.visited, r.monthly_income, r.support_group, r.first_s,"
            " r.own_paid_on, r.own_amount, r.own_known")


def _rows_sql(area_ids, today, where, params, near, fresh, extra=""):
    """(SQL, values) of ``payer_rows``' payers, before their order (``extra`` columns after
    Payer's)."""
    payers_sql = _judged(_PAYERS if fresh else _kept_chains(near) + _JUDGE,
                         near not in _UNVISITED)
    sql = f"SELECT {_COLUMNS}{extra} FROM ({payers_sql}) AS r"
    if where:
        sql += f" WHERE {where}"
    values = {"areas": area_ids, "today": today, "month": month_index(today),
              "ahead": month_index(today + timedelta(days=DUE_AHEAD_DAYS)), **(params or {})}
    return sql, values


def _payer(row):
    (scheme, household_id, person_id, area_id, collector_id, organization_id, name, phone,
     state, nxt, period, lapse_at, ever_paid, visited, income, group, first, paid_on, amount,
     known) = row[:20]
    if isinstance(paid_on, str):  # SQLite's date, untyped in a text() statement
        paid_on = date.fromisoformat(paid_on)
    return Payer(scheme, household_id, person_id, area_id, collector_id, organization_id,
                 name, phone, state, nxt, period, lapse_at, bool(ever_paid), visited,
                 income, group, first_month=first, last_paid_on=paid_on, last_amount=amount,
                 last_known=bool(known))


#: The desk's orders of a list (supervisor/payers.py ``SORTS`` but the amount, which only
#: Python works out) in SQL: each the order ``payer_rows`` gives then sorted (stably) by the
#: desk's key — the deadline (its month: the deadline is the last day of the month before),
#: the name, the village — so a page read in SQL is the page of the sorted whole list. Names
#: compare by code point as Python's do (``{c}``: PostgreSQL's "C" collation; SQLite's own).
ORDERS = {"deadline": "r.lapse_at, r.name{c}, r.area_id, r.household_id",
          "name": "r.name{c}, r.lapse_at, r.area_id, r.household_id",
          "village": "r.area_id, r.name{c}, r.household_id"}


def _list_where(which, organization_id, collector_id):
    where, params = [LISTS[which]], {}
    if organization_id is not None:
        where.append("r.organization_id = :org")
        params["org"] = organization_id
    if collector_id is not None:
        where.append("r.created_by_id = :collector")
        params["collector"] = collector_id
    return " AND ".join(where), params


def payer_page(which, area_ids, today, sort, page, per_page, organization_id=None,
               collector_id=None):
    """(count, page number, the page's payers) of one of ``LISTS`` in the order ``sort`` (one
    of ``ORDERS``): page ``page`` of ``per_page``, or the last page past the end.

    The database counts, orders and cuts the list (one statement): the desk page is 200 of
    a province's 34,618 due payers, which read whole into Python cost more than judging
    them (the download and the tasks still read the whole list, ``payer_list``)."""
    area_ids = sorted(area_ids)
    if not area_ids:
        return 0, 1, []
    where, params = _list_where(which, organization_id, collector_id)
    sql, values = _rows_sql(area_ids, today, where, params, which, False,
                            extra=", COUNT(*) OVER () AS total")
    collate = ' COLLATE "C"' if db.engine.dialect.name == "postgresql" else ""
    stmt = text(f"{sql} ORDER BY {ORDERS[sort].format(c=collate)} LIMIT :limit OFFSET :offset"
                ).bindparams(bindparam("areas", expanding=True))

    def read(number):
        return db.session.execute(stmt, {**values, "limit": per_page,
                                         "offset": (number - 1) * per_page}).all()

    page = max(1, page)
    rows = read(page)
    if not rows and page > 1:  # past the end: the last page, from the whole list's count
        count = text(f"SELECT COUNT(*) FROM ({sql}) AS c").bindparams(
            bindparam("areas", expanding=True))
        page = max(1, -(-db.session.execute(count, values).scalar() // per_page))
        rows = read(page)
    return (rows[0][-1] if rows else 0), page, [_payer(row) for row in rows]


def state_of(area_ids, today, fresh=False):
    """{(scheme, person id or household id): state} — the tests' and the tasks' view."""
    return {(p.scheme, p.person_id or p.household_id): p.state
            for p in payer_rows(area_ids, today, fresh=fresh)}


#: The three desk lists (supervisor/payers.py), as conditions on ``payer_rows``.
LISTS = {
    # Due: a period starting within 30 days, or a VSI period unpaid within its window.
    # Written as "none of the other states" (the state is never NULL: ``_STATE`` has an
    # ELSE), which is the same rows: PostgreSQL guesses an equality on the state's CASE to
    # keep 0.5 % of the payers judged (42 planned where a province has 34,618) and then looks
    # households, persons and users up one by one; an inequality it guesses to keep most,
    # which is right for this list (85 % of the payers picked are due), and hashes them.
    "due": "r.state NOT IN ('ended', 'lapsed', 'paying')",
    "lapsed_month": "r.state = 'lapsed' AND r.lapse_at = :month",
    # Lapsed before this month, with no visit to the household since it lapsed.
    "lapsed_earlier": ("r.state = 'lapsed' AND r.lapse_at < :month"
                       " AND (r.visited IS NULL OR r.visited < r.lapse_at)"),
}

#: The lists whose condition does not read the latest visit: their payers' ``visited_month``
#: is None (``_VISITED``). Every other read (a list by ``where`` only, ``state_of``, the
#: fresh computation) reads it.
_UNVISITED = ("due", "lapsed_month")

_W_MIN, _W_MAX = min(VSI_WINDOW.values()), max(max(VSI_WINDOW.values()), 7)  # WINDOW_SQL's ELSE
#: Which kept rows (``n``, of payer_chains) a payer of each list may have: a superset the
#: list's own condition then narrows. ``vsi``: a person's only row (``solo``), which is its
#: chain, so its next and lapse months are the payer's; ``vsi_rows``: a row of a person with
#: rows in several areas, whose next month is one of its rows' (the latest paid end, or the
#: first start when nothing is paid) and which lapses ``_W_MIN``..``_W_MAX`` months later;
#: ``hhi``: a member's row, the household's next month being its earliest member's still
#: paying (lapse_month = next_month: no grace), or nothing paid at all (due).
NEAR = {
    "due": {"vsi": f"n.next_month BETWEEN :month - {_W_MAX - 1} AND :ahead AND n.lapse_month > :month",
            "vsi_rows": f"n.next_month BETWEEN :month - {_W_MAX - 1} AND :ahead",
            "hhi": ("n.next_month BETWEEN :month + 1 AND :ahead", "n.ever_paid = 0")},
    "lapsed_month": {"vsi": "n.lapse_month = :month",
                     "vsi_rows": f"n.next_month BETWEEN :month - {_W_MAX} AND :month - {_W_MIN}",
                     "hhi": ("n.lapse_month = :month",)},
    "lapsed_earlier": {"vsi": "n.lapse_month < :month",
                       "vsi_rows": f"n.next_month <= :month - {_W_MIN + 1}",
                       "hhi": ("n.lapse_month < :month",)},
}


def _kept_chains(which):
    """The ``vsi_chains`` and ``hhi_chains`` of list ``which``'s payers (every payer for
    None), from the kept rows ``_picked`` chooses."""
    picked = _picked(which)
    return "WITH " + ",\n".join(
        _KEPT_CHAINS.format(scheme=scheme, solo=picked[scheme, 1], several=picked[scheme, 0])
        for scheme in SCHEMES)


def _picked(which):
    """{(scheme, solo): SQL}: the kept rows the chains of list ``which``'s payers need, the
    rows ``NEAR[which]`` picks with every row of the same payer in the areas asked for (a
    VSI person's other areas; every member's rows of an HHI household, judged over all its
    members), apart by scheme and by ``solo`` (the person's only row of the scheme, or one
    of several to combine).

    ``+ 0`` (``x``) keeps SQLite (which has no statistics here) on the right index: the
    areas and months for the rows picked, the person's id for the rest of its rows (else it
    looks each person up once per area of the list), the few non-solo rows by ``solo``, the
    households picked for their members' rows. PostgreSQL gets the plain columns: an
    expression hides a column's statistics from its planner, which then took the 22,447
    VSI rows of a province's due list for 41 and chose nested loops over 80,000 rows.

    An HHI household's rows are its members' rows of the households picked, read by the
    household id the rows keep: the households are collected once (a set, both conditions
    in one ``OR``), the members' only rows found through it; the few rows of members with
    several are each checked against their household's rows (``EXISTS``), so the set is not
    collected twice. On SQLite the due list's households are collected as a ``UNION``, each
    condition through its own index (``ix_payer_chains_next``, ``ix_payer_chains_unpaid``;
    the scheme, written ``|| ''``, no longer steers it to ``ix_payer_chains_alive``, which
    has neither column: 80,000 table reads for a province, 0.13 s CPU, now 0.06 s); the
    stopped-paying lists' conditions are in that index, which serves them best."""
    if which is None:
        return {(scheme, solo): f"SELECT * FROM payer_chains k WHERE k.scheme = '{scheme}'"
                                f" AND k.solo = {solo} AND k.area_id IN :areas"
                for scheme in SCHEMES for solo in (0, 1)}
    near = NEAR[which]
    x = "" if db.engine.dialect.name == "postgresql" else " + 0"
    hhi = " OR ".join(f"({c})" for c in near["hhi"])
    households = ("SELECT n.household_id FROM payer_chains n"
                  f" WHERE n.scheme = 'hhi' AND n.area_id IN :areas AND ({hhi})")
    if x and which == "due":
        households = " UNION ".join(
            "SELECT n.household_id FROM payer_chains n"
            f" WHERE n.scheme || '' = 'hhi' AND n.area_id IN :areas AND {c}" for c in near["hhi"])
    return {
        ("vsi", 1): f"""
  SELECT n.* FROM payer_chains n
  WHERE n.scheme = 'vsi' AND n.solo{x} = 1 AND n.area_id IN :areas AND {near["vsi"]}""",
        ("vsi", 0): f"""
  SELECT m.* FROM payer_chains m
  WHERE m.scheme = 'vsi' AND m.solo = 0 AND m.area_id{x} IN :areas AND m.person_id IN (
    SELECT n.person_id FROM payer_chains n
    WHERE n.solo = 0 AND n.scheme = 'vsi' AND n.area_id{x} IN :areas AND {near["vsi_rows"]})""",
        ("hhi", 1): f"""
  SELECT m.* FROM payer_chains m
  WHERE m.scheme = 'hhi' AND m.solo{x} = 1 AND m.area_id{x} IN :areas AND m.household_id IN (
    {households})""",
        ("hhi", 0): f"""
  SELECT m.* FROM payer_chains m
  WHERE m.scheme = 'hhi' AND m.solo = 0 AND m.area_id{x} IN :areas AND EXISTS (
    SELECT 1 FROM payer_chains n
    WHERE n.household_id = m.household_id AND n.scheme = 'hhi' AND n.area_id{x} IN :areas
      AND ({hhi}))""",
    }


def payer_list(which, area_ids, today, organization_id=None, collector_id=None):
    """One of ``LISTS``, optionally for one collection organization or one collector."""
    where, params = _list_where(which, organization_id, collector_id)
    return payer_rows(area_ids, today, where, params, near=which)


def _keyed(sql, columns, **parts):
    """``sql`` formatted with ``parts`` and, for each ``name: column`` of ``columns``,
    ``{name}`` made "column is one of the list bound as ``name``", one parameter however
    many: on PostgreSQL an array (``= ANY``), on SQLite a JSON array (``json_each``).
    Thousands of placeholders (an expanding ``IN``) cost the PostgreSQL driver more to parse
    than the query costs to run, and SQLAlchemy as much to render on SQLite (47,000 for the
    lookups of a province's due list)."""
    pg = db.engine.dialect.name == "postgresql"
    conditions = {name: f"{column} = ANY(:{name})" if pg
                  else f"{column} IN (SELECT value FROM json_each(:{name}))"
                  for name, column in columns.items()}
    stmt = text(sql.format(**conditions, **parts))
    if not pg:
        stmt = stmt.bindparams(*[bindparam(name, type_=JSON) for name in columns])
    return stmt


# Each member's latest HHI sign-up (its place and period), from the kept rows of all its
# areas, for the members of ``:households`` still paying on ``:today``.
_HHI_MEMBERS = """
SELECT c.household_id, c.person_id, c.latest_start, c.latest_id, c.member_order, c.period_months
FROM payer_chains c
WHERE c.scheme = 'hhi' AND {households}
  AND (c.ended_on IS NULL OR c.ended_on > :today)
"""


def with_amounts(payers, today):
    """Fill each payer's ``amount``: the next period's premium with the parameter set in
    force at its start (rules/policy.py), the household's members summed for HHI. Only the
    rows a list shows are computed; the payers with equal inputs are computed once, as a
    group."""
    from ..rules.areatree import area_tree
    from ..rules.policy import PolicyBook, PremiumError

    book, tree, memo = PolicyBook.load(), area_tree(), {}

    def premium(scheme, month, period, **inputs):
        key = (scheme, month, period, tuple(sorted(inputs.items())))
        if key not in memo:
            try:
                memo[key] = book.compute(scheme, month, period, **inputs).amount_due
            except PremiumError:
                memo[key] = None
        return memo[key]

    households = sorted({p.household_id for p in payers if p.scheme == "hhi"})
    latest = {}  # person id -> (latest start, latest id, household, member order, period)
    stmt = _keyed(_HHI_MEMBERS, {"households": "c.household_id"})
    found = db.session.execute(stmt, {"households": households, "today": today}) \
        if households else ()
    for household_id, person_id, month, rid, order, period in found:
        if person_id not in latest or (month, rid) > latest[person_id][:2]:
            latest[person_id] = (month, rid, household_id, order, period)
    members = {}
    for _month, _rid, household_id, order, period in latest.values():
        members.setdefault(household_id, []).append((order, period))
    # The payers grouped by the premium's inputs (the province standing for the area): a
    # province's 34,618 due payers share a few hundred, each computed once for its group.
    provinces, groups = {}, {}
    for payer in payers:
        province = provinces.get(payer.area_id)
        if province is None:
            province = provinces[payer.area_id] = tree.province_code(payer.area_id)
        if payer.scheme == "vsi":
            key = ("vsi", payer.next_month, province, payer.period, payer.monthly_income,
                   payer.support_group)
        else:
            key = ("hhi", payer.next_month, province, tuple(members.get(payer.household_id, ())))
        group = groups.get(key)
        if group is None:
            groups[key] = [payer]
        else:
            group.append(payer)
    for key, group in groups.items():
        scheme, month, province = key[0], month_text(key[1]), key[2]
        if scheme == "vsi":
            _s, _m, _p, period, income, support = key
            amount = premium("vsi", month, period, monthly_income=income,
                             support_group=support, province=province)
        else:
            amounts = [premium("hhi", month, period, member_order=order, province=province)
                       for order, period in key[3]]
            amount = None if not amounts or None in amounts else sum(amounts)
        for payer in group:
            payer.amount = amount
    return payers


# The latest day each payer's sign-ups were paid and the sum paid for them that day, kept
# per person, scheme and area (a payer's day is the latest of its rows', its sum theirs).
_LAST_PAID = """
SELECT {key}, c.last_paid_on, c.last_amount
FROM payer_chains c
WHERE c.scheme = :scheme AND {keys} AND c.last_paid_on IS NOT NULL
"""


def with_last_payments(payers, lookup_all=False):
    """Fill ``last_paid_on`` and ``last_amount``: the latest day the payer paid and what was
    paid that day (an HHI household's members together), whatever the areas listed.

    The payers whose last payment came with their row (``last_known``: a VSI person's only
    row, 22,000 of a province's 34,618 due payers) keep it; the others' (HHI households,
    persons with rows in several areas) are looked up, or with ``lookup_all`` every payer's
    (tests: the straightforward reading the rows' is checked against)."""
    todo = [p for p in payers if lookup_all or not p.last_known]
    for payer in todo:
        payer.last_paid_on = payer.last_amount = None
    for scheme, column in (("vsi", "c.person_id"), ("hhi", "c.household_id")):
        wanted = {(p.person_id if scheme == "vsi" else p.household_id): p
                  for p in todo if p.scheme == scheme}
        keys = sorted(wanted)
        stmt = _keyed(_LAST_PAID, {"keys": column}, key=column)
        if not keys:
            continue
        for key, paid_on, amount in db.session.execute(stmt, {"scheme": scheme, "keys": keys}):
            if isinstance(paid_on, str):
                paid_on = date.fromisoformat(paid_on)
            payer = wanted[key]
            if payer.last_paid_on is None or paid_on > payer.last_paid_on:
                payer.last_paid_on, payer.last_amount = paid_on, amount
            elif paid_on == payer.last_paid_on:
                payer.last_amount += amount
    return payers


def _judged_on(d):
    """A payer's columns as judged on one day (``{d}ended``, ``{d}nxt``, ``{d}ever_paid``,
    ``{d}lapse_at``; the day's ``:{d}today``), over the rows of its group: an HHI household's
    members with the expressions of ``_PAYERS``'s ``hhi``, or a VSI person's one chain,
    for which they come down to its own columns (ever paid does not matter once ended)."""
    ended = f"CASE WHEN p.ended_on IS NOT NULL AND p.ended_on <= :{d}today THEN 1 ELSE 0 END"
    nxt = f"COALESCE(MIN(CASE WHEN {ended} = 0 THEN c.nxt END), MIN(c.nxt))"
    return f"""MIN({ended}) AS {d}ended, {nxt} AS {d}nxt,
         MAX(CASE WHEN {ended} = 0 THEN c.ever_paid ELSE 0 END) AS {d}ever_paid,
         CASE WHEN c.scheme = 'vsi' THEN MIN(c.nxt + {WINDOW_SQL.format(p="c.period_months")})
              ELSE {nxt} END AS {d}lapse_at"""


# Each payer judged on two days at once (the end of the month, ``b_``: the end of the month
# before) from one reading of the chains: the payers are the same on both days (the chains
# of sign-ups, whatever the day), only their states differ. A payer is a group of chains: a
# VSI person's one, an HHI household's members'. Counted per collector and area first (a few
# thousand rows), then per organization and commune, with the organization's first
# collection point there. The chains come before it: read from the kept sums
# (``_KEPT_LOST_CHAINS``, which carry the household: only the persons who ended by the
# month's end are read, ``ix_persons_ended``), or worked out from every sign-up
# (``_chains(())``, tests: each chain's person read for its household and end).
_KEPT_LOST = f"""
, payers AS (
  SELECT c.scheme, MIN(c.area_id) AS area_id, MAX(c.created_by_id) AS created_by_id,
         MIN(c.first_s) AS first_s,
         {_judged_on("")},
         {_judged_on("b_")}
  FROM chains c
  {{persons}}
  GROUP BY c.scheme, CASE WHEN c.scheme = 'vsi' THEN c.person_id ELSE {{household}} END
),
judged AS (
  SELECT area_id, created_by_id, first_s, lapse_at,
         {_STATE.format(c="", d="")} AS state, {_STATE.format(c="b_", d="b_")} AS b_state
  FROM payers
),
counted AS (
  SELECT created_by_id, area_id,
         SUM(CASE WHEN state IN ('paying', 'due') AND b_state IN ('paying', 'due')
                   AND first_s <= :b_month THEN 1 ELSE 0 END) AS kept,
         SUM(CASE WHEN state = 'lapsed' AND lapse_at = :month THEN 1 ELSE 0 END) AS lost
  FROM judged GROUP BY created_by_id, area_id
  {{solo_vsi}}
)
SELECT u.organization_id AS org,
       (SELECT MIN(cp.id) FROM collection_points cp
         WHERE cp.area_id = a.parent_id AND cp.organization_id = u.organization_id) AS point,
       SUM(k.kept) AS kept, SUM(k.lost) AS lost
FROM counted k
LEFT JOIN users u ON u.id = k.created_by_id
LEFT JOIN areas a ON a.id = k.area_id
GROUP BY u.organization_id, a.parent_id
"""
# ``_KEPT_CHAINS`` as kept and lost read it: the kept rows of the areas that are not a VSI
# person's only row (those are counted apart, ``_SOLO_VSI``), with the columns judged, and
# the persons who ended by the month's end (``ended``: MATERIALIZED, else SQLite folds it
# into a lookup of every payer's person). The few rows of persons with rows in several areas
# come from their partial index (``ix_payer_chains_shared``); an HHI member's only row comes
# here only when its household has other rows in the areas (``multi``: the households with
# more than one HHI row there; a member's only row is the one row of that person, so another
# row is another member's). Not
# the lists' form: there ``picked`` is read twice, so PostgreSQL computes it once into a
# work table whose rows it cannot estimate (hundreds where there are 146,000), and then
# looks each one's person up by index instead of hashing the persons (0.7 s → 1.1 s of the
# synthesis's CPU at 200,000 sign-ups).
_KEPT_LOST_CHAINS = """
WITH ended AS MATERIALIZED (SELECT id, ended_on FROM persons WHERE ended_on <= :today),
multi AS MATERIALIZED (
  SELECT m.household_id FROM payer_chains m
  WHERE m.scheme = 'hhi' AND m.area_id IN :areas AND m.household_id IS NOT NULL
  GROUP BY m.household_id HAVING COUNT(*) > 1
),
kw AS (
  SELECT k.person_id, k.scheme, k.area_id, k.created_by_id, k.period_months, k.household_id,
         ROW_NUMBER() OVER (PARTITION BY k.person_id, k.scheme
                            ORDER BY k.latest_start DESC, k.latest_id DESC) AS rn,
         MAX(k.paid_end) OVER (PARTITION BY k.person_id, k.scheme) AS pe,
         MAX(k.ever_paid) OVER (PARTITION BY k.person_id, k.scheme) AS ep,
         MIN(k.first_month) OVER (PARTITION BY k.person_id, k.scheme) AS fs
  FROM payer_chains k WHERE k.solo = 0 AND k.area_id IN :areas
),
chains AS (
  SELECT k.person_id, k.scheme, k.area_id, k.created_by_id, k.period_months, k.ever_paid,
         k.first_month AS first_s, k.next_month AS nxt, k.household_id
  FROM payer_chains k WHERE k.solo = 1 AND k.scheme = 'hhi' AND k.area_id IN :areas
    AND k.household_id IN (SELECT household_id FROM multi)
  UNION ALL
  SELECT person_id, scheme, area_id, created_by_id, period_months, ep, fs, COALESCE(pe, fs),
         household_id
  FROM kw WHERE rn = 1
)
"""
# A VSI person's only row is its payer as it stands (no other chain to combine, no household
# to group), so its two states come down to its own columns: *kept* when it lapses after the
# month (``lapse_month > :month``: neither day lapsed) and started by the month before; *lost*
# when it lapses in the month; neither when the person ended by the month's end. Only the
# rows lapsing in the month or later are read (``ix_payer_chains_solo``: the areas, then a
# range of months), not the payers who lapsed before, and the persons only for those who
# ended (``ix_persons_ended``), not one lookup per payer.
_SOLO_VSI = """
  UNION ALL
  SELECT s.created_by_id, s.area_id,
         SUM(CASE WHEN s.lapse_month > :month AND s.first_month <= :b_month THEN 1 ELSE 0 END),
         SUM(CASE WHEN s.lapse_month = :month THEN 1 ELSE 0 END)
  FROM payer_chains s
  WHERE s.scheme = 'vsi' AND s.solo = 1 AND s.area_id IN :areas AND s.lapse_month >= :month
    AND s.person_id NOT IN (SELECT e.id FROM persons e WHERE e.ended_on <= :today)
  GROUP BY s.created_by_id, s.area_id
"""
# An HHI household whose only row in the areas is one member's only row is judged by that
# row alone, as a VSI person's only row is: *kept* when it started by the month before and
# is never paid (due) or paid beyond the month; *lost* when it was paid and its next period
# started in the month unpaid (no grace). An HHI row's ``lapse_month`` is its ``next_month``
# (no grace window), read here so that ``ix_payer_chains_solo`` covers the statement: no
# table row is read. The households with other rows in the areas (``multi``, above: one
# pass over ``ix_payer_chains_household`` in household order, grouped as it goes) are
# grouped in ``payers``; before, each household looked for another member's row in that
# index, twice (here and in ``chains``): 146,000 seeks for a province.
_SOLO_HHI = """
  UNION ALL
  SELECT s.created_by_id, s.area_id,
         SUM(CASE WHEN s.first_month <= :b_month AND (s.ever_paid = 0 OR s.lapse_month > :month)
                  THEN 1 ELSE 0 END),
         SUM(CASE WHEN s.ever_paid = 1 AND s.lapse_month = :month THEN 1 ELSE 0 END)
  FROM payer_chains s
  WHERE s.scheme = 'hhi' AND s.solo = 1 AND s.area_id IN :areas
    AND s.person_id NOT IN (SELECT e.id FROM persons e WHERE e.ended_on <= :today)
    AND s.household_id NOT IN (SELECT household_id FROM multi)
  GROUP BY s.created_by_id, s.area_id
"""
_KEPT_LOST_SQL = {
    False: _KEPT_LOST_CHAINS + _KEPT_LOST.format(
        persons="LEFT JOIN ended p ON p.id = c.person_id",
        household="c.household_id", solo_vsi=_SOLO_VSI + _SOLO_HHI),
    True: _chains(()) + _KEPT_LOST.format(persons="JOIN persons p ON p.id = c.person_id",
                                          household="p.household_id", solo_vsi=""),
}


def kept_and_lost(area_ids, year, month, fresh=False):
    """Payers kept and payers lost in a month, for the monthly synthesis (#13 wires it in).

    *Kept*: paying or due (not lapsed, not ended) at the end of the month and at the end of
    the month before, with a sign-up starting by then. *Lost*: lapsed (stopped paying) in
    the month — VSI: its deadline passed in it; HHI: its period ended in it unpaid. Both
    judged on today's records, so a payer who lapsed and resumed since counts as they
    stand now.

    Returns ``{"organizations": {org id: {"kept", "lost"}}, "points": {collection point id:
    {"kept", "lost"}}}`` with the units that kept or lost someone (the others count 0); a
    payer whose collector has no organization counts under None, one whose commune has no
    collection point of that organization under point None.

    The chains are read from the kept sums (``payer_chains``, as the desk lists do: one row
    per payer chain instead of every sign-up of the area judged with window functions), or
    with ``fresh`` worked out from every sign-up, as the kept sums are checked against
    (tests).
    """
    area_ids = sorted(area_ids)
    out = {"organizations": {}, "points": {}}
    if not area_ids:
        return out
    index = year * 12 + month - 1
    end, before = last_day(index), last_day(index - 1)
    stmt = areas_text(_KEPT_LOST_SQL[fresh])
    params = {"areas": area_ids, "today": end, "month": index,
              "ahead": month_index(end + timedelta(days=DUE_AHEAD_DAYS)),
              "b_today": before, "b_month": index - 1,
              "b_ahead": month_index(before + timedelta(days=DUE_AHEAD_DAYS))}
    for org, point, kept, lost in db.session.execute(stmt, params):
        for key, group in ((org, "organizations"), (point, "points")):
            row = out[group].setdefault(key, {"kept": 0, "lost": 0})
            row["kept"] += int(kept or 0)
            row["lost"] += int(lost or 0)
    # Only the units with a payer kept or lost: the payers who lapsed earlier are not read
    # (``_SOLO_VSI``), so whether a unit has any would depend on which rows were read.
    return {group: {key: row for key, row in rows.items() if row["kept"] or row["lost"]}
            for group, rows in out.items()}
