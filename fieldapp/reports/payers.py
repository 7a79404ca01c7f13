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

from sqlalchemy import bindparam, text

from ..extensions import db

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


_MONTH = ("(CAST(substr({c}, 1, 4) AS INTEGER) * 12 + CAST(substr({c}, 6, 2) AS INTEGER) - 1)")
_WINDOW = ("CASE {p} WHEN 1 THEN 1 WHEN 3 THEN 3 WHEN 6 THEN 4 WHEN 12 THEN 7 ELSE 7 END")

# One row per (person, scheme) chain of sign-ups: the next period's start (``nxt``), the
# latest sign-up's period, collector and inputs (the row with no later one), whether anything
# was ever paid. One window, in the order of ix_enrollments_payer_chain (person, scheme, start
# month, then the columns read here): the database walks the index instead of sorting a
# year's sign-ups. (Whether anything was paid is whether a paid period ends somewhere: one
# window function fewer.)
def _chains(inputs=("monthly_income", "support_group")):
    """The chains, carrying the latest sign-up's ``inputs`` columns too (the lists' premium
    inputs; kept and lost need none, and then read the index alone)."""
    m_inputs = "".join(f"e.{c}, " for c in inputs)
    c_inputs = "".join(f"{c}, " for c in inputs)
    return f"""
WITH m AS (
  SELECT e.person_id, e.scheme, e.area_id, e.created_by_id, e.period_months,
         {m_inputs}e.paid, e.start_month,
         {_MONTH.format(c="e.start_month")} AS s
  FROM enrollments e
  WHERE e.area_id IN :areas
),
e AS (
  SELECT m.*,
         LEAD(start_month) OVER w AS later,
         MAX(CASE WHEN paid THEN s + period_months END) OVER w AS paid_end,
         MIN(s) OVER w AS first_s
  FROM m
  WINDOW w AS (PARTITION BY person_id, scheme ORDER BY start_month
               ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
),
chains AS (
  SELECT person_id, scheme, area_id, created_by_id, period_months, {c_inputs}
         CASE WHEN paid_end IS NULL THEN 0 ELSE 1 END AS ever_paid, first_s,
         COALESCE(paid_end, first_s) AS nxt
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

# Per payer: VSI persons and HHI households, with state and dates as month indexes.
_PAYERS = _CHAINS + f"""
, vsi AS (
  SELECT 'vsi' AS scheme, p.household_id, p.id AS person_id, c.area_id, c.created_by_id,
         c.nxt, c.period_months AS period, c.ever_paid,
         CASE WHEN p.ended_on IS NOT NULL AND p.ended_on <= :today THEN 1 ELSE 0 END AS ended,
         c.nxt + {_WINDOW.format(p="c.period_months")} AS lapse_at,
         c.monthly_income, c.support_group, c.first_s
  FROM chains c
  JOIN persons p ON p.id = c.person_id
  WHERE c.scheme = 'vsi'
),
hhi_members AS (
  SELECT p.household_id, c.nxt, c.ever_paid, c.period_months, c.area_id, c.created_by_id, c.first_s,
         CASE WHEN p.ended_on IS NOT NULL AND p.ended_on <= :today THEN 1 ELSE 0 END AS ended
  FROM chains c
  JOIN persons p ON p.id = c.person_id
  WHERE c.scheme = 'hhi'
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
         MIN(first_s) AS first_s
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
       COALESCE(pe.full_name, h.head_name) AS name, COALESCE(pe.phone, h.phone) AS phone,
       (SELECT {_MONTH.format(c="CAST(MAX(v.visited_at) AS VARCHAR(40))")} FROM visits v
         WHERE v.household_id = j.household_id) AS visited
FROM judged j
JOIN households h ON h.id = j.household_id
LEFT JOIN persons pe ON pe.id = j.person_id
LEFT JOIN users u ON u.id = j.created_by_id
"""


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
    visited_month: int | None  # month index of the household's latest visit
    monthly_income: int | None = None
    support_group: str | None = None
    #: The next payment's amount (``with_amounts``), None while not worked out or refused.
    amount: int | None = None
    #: The latest payment (``with_last_payments``).
    last_paid_on: date | None = None
    last_amount: int | None = None
    #: Month index of the payer's first sign-up's start.
    first_month: int | None = None

    @property
    def deadline(self):
        """The last day to pay the next period: a VSI period's deadline, or for HHI the day
        before the period starts (no grace window)."""
        return last_day(self.lapse_month - 1)

    @property
    def next_start(self):
        return month_text(self.next_month)


def payer_rows(area_ids, today, where="", params=None):
    """Every payer whose latest sign-up lies in ``area_ids``, judged on ``today``.

    ``where`` (SQL over the result's columns, e.g. ``state = 'due'``) and ``params`` narrow
    it in the database."""
    area_ids = sorted(area_ids)
    if not area_ids:
        return []
    sql = f"SELECT * FROM ({_PAYERS}) AS r"
    if where:
        sql += f" WHERE {where}"
    sql += " ORDER BY r.area_id, r.name, r.household_id"
    stmt = text(sql).bindparams(bindparam("areas", expanding=True))
    values = {"areas": area_ids, "today": today, "month": month_index(today),
              "ahead": month_index(today + timedelta(days=DUE_AHEAD_DAYS)), **(params or {})}
    out = []
    for row in db.session.execute(stmt, values):
        out.append(Payer(row.scheme, row.household_id, row.person_id, row.area_id,
                         row.created_by_id, row.organization_id, row.name, row.phone,
                         row.state, row.nxt, row.period, row.lapse_at, bool(row.ever_paid),
                         row.visited, row.monthly_income, row.support_group,
                         first_month=row.first_s))
    return out


def state_of(area_ids, today):
    """{(scheme, person id or household id): state} — the tests' and the tasks' view."""
    return {(p.scheme, p.person_id or p.household_id): p.state for p in payer_rows(area_ids, today)}


#: The three desk lists (supervisor/payers.py), as conditions on ``payer_rows``.
LISTS = {
    # Due: a period starting within 30 days, or a VSI period unpaid within its window.
    "due": "r.state = 'due'",
    "lapsed_month": "r.state = 'lapsed' AND r.lapse_at = :month",
    # Lapsed before this month, with no visit to the household since it lapsed.
    "lapsed_earlier": ("r.state = 'lapsed' AND r.lapse_at < :month"
                       " AND (r.visited IS NULL OR r.visited < r.lapse_at)"),
}


def payer_list(which, area_ids, today, organization_id=None, collector_id=None):
    """One of ``LISTS``, optionally for one collection organization or one collector."""
    where, params = [LISTS[which]], {}
    if organization_id is not None:
        where.append("r.organization_id = :org")
        params["org"] = organization_id
    if collector_id is not None:
        where.append("r.created_by_id = :collector")
        params["collector"] = collector_id
    return payer_rows(area_ids, today, " AND ".join(where), params)


#: Ids per statement where a list's rows are looked up (each statement is a round trip and,
#: on PostgreSQL, a join over its keys: fewer and larger is faster).
_KEYS = 5000

_HHI_MEMBERS = """
SELECT household_id, member_order, period_months FROM (
  SELECT p.household_id, e.member_order, e.period_months,
         ROW_NUMBER() OVER (PARTITION BY e.person_id ORDER BY e.start_month DESC) AS rn
  FROM enrollments e JOIN persons p ON p.id = e.person_id
  WHERE e.scheme = 'hhi' AND p.household_id IN :households
    AND (p.ended_on IS NULL OR p.ended_on > :today)
) AS latest WHERE rn = 1
"""


def with_amounts(payers, today):
    """Fill each payer's ``amount``: the next period's premium with the parameter set in
    force at its start (rules/policy.py), the household's members summed for HHI. Only the
    rows a list shows are computed; equal inputs are computed once."""
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
    members = {}
    for start in range(0, len(households), _KEYS):
        stmt = text(_HHI_MEMBERS).bindparams(bindparam("households", expanding=True))
        for household_id, order, period in db.session.execute(
                stmt, {"households": households[start:start + _KEYS], "today": today}):
            members.setdefault(household_id, []).append((order, period))
    for payer in payers:
        province = tree.province_code(payer.area_id)
        month = payer.next_start
        if payer.scheme == "vsi":
            payer.amount = premium("vsi", month, payer.period, monthly_income=payer.monthly_income,
                                   support_group=payer.support_group, province=province)
        else:
            amounts = [premium("hhi", month, period, member_order=order, province=province)
                       for order, period in members.get(payer.household_id, [])]
            payer.amount = None if not amounts or None in amounts else sum(amounts)
    return payers


_LAST_PAID = """
SELECT k, paid_on, amount FROM (
  SELECT {key} AS k, y.paid_on, SUM(y.amount) AS amount,
         RANK() OVER (PARTITION BY {key} ORDER BY y.paid_on DESC) AS rk
  FROM payments y JOIN enrollments e ON e.id = y.enrollment_id
  JOIN persons p ON p.id = e.person_id
  WHERE e.scheme = :scheme AND {key} IN :keys
  GROUP BY {key}, y.paid_on
) AS last WHERE rk = 1
"""


def with_last_payments(payers):
    """Fill ``last_paid_on`` and ``last_amount``: the latest day the payer paid and what was
    paid that day (an HHI household's members together)."""
    for payer in payers:
        payer.last_paid_on = payer.last_amount = None
    for scheme, column in (("vsi", "p.id"), ("hhi", "p.household_id")):
        wanted = {(p.person_id if scheme == "vsi" else p.household_id): p
                  for p in payers if p.scheme == scheme}
        keys = sorted(wanted)
        sql = _LAST_PAID.format(key=column)
        stmt = text(sql).bindparams(bindparam("keys", expanding=True))
        for start in range(0, len(keys), _KEYS):
            for key, paid_on, amount in db.session.execute(
                    stmt, {"scheme": scheme, "keys": keys[start:start + _KEYS]}):
                if isinstance(paid_on, str):
                    paid_on = date.fromisoformat(paid_on)
                wanted[key].last_paid_on, wanted[key].last_amount = paid_on, amount
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
         CASE WHEN c.scheme = 'vsi' THEN MIN(c.nxt + {_WINDOW.format(p="c.period_months")})
              ELSE {nxt} END AS {d}lapse_at"""


# Each payer judged on two days at once (the end of the month, ``b_``: the end of the month
# before) from one reading of the chains: the payers are the same on both days (the chains
# of sign-ups, whatever the day), only their states differ. A payer is a group of chains: a
# VSI person's one, an HHI household's members'. Counted per collector and area first (a few
# thousand rows), then per organization and commune, with the organization's first
# collection point there.
_KEPT_LOST = _chains(()) + f"""
, payers AS (
  SELECT c.scheme, MIN(c.area_id) AS area_id, MAX(c.created_by_id) AS created_by_id,
         MIN(c.first_s) AS first_s,
         {_judged_on("")},
         {_judged_on("b_")}
  FROM chains c
  JOIN persons p ON p.id = c.person_id
  GROUP BY c.scheme, CASE WHEN c.scheme = 'vsi' THEN c.person_id ELSE p.household_id END
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


def kept_and_lost(area_ids, year, month):
    """Payers kept and payers lost in a month, for the monthly synthesis (#13 wires it in).

    *Kept*: paying or due (not lapsed, not ended) at the end of the month and at the end of
    the month before, with a sign-up starting by then. *Lost*: lapsed (stopped paying) in
    the month — VSI: its deadline passed in it; HHI: its period ended in it unpaid. Both
    judged on today's records, so a payer who lapsed and resumed since counts as they
    stand now.

    Returns ``{"organizations": {org id: {"kept", "lost"}}, "points": {collection point id:
    {"kept", "lost"}}}``; a payer whose collector has no organization counts under None,
    one whose commune has no collection point of that organization under point None.
    """
    area_ids = sorted(area_ids)
    out = {"organizations": {}, "points": {}}
    if not area_ids:
        return out
    index = year * 12 + month - 1
    end, before = last_day(index), last_day(index - 1)
    stmt = text(_KEPT_LOST).bindparams(bindparam("areas", expanding=True))
    params = {"areas": area_ids, "today": end, "month": index,
              "ahead": month_index(end + timedelta(days=DUE_AHEAD_DAYS)),
              "b_today": before, "b_month": index - 1,
              "b_ahead": month_index(before + timedelta(days=DUE_AHEAD_DAYS))}
    for org, point, kept, lost in db.session.execute(stmt, params):
        for key, group in ((org, "organizations"), (point, "points")):
            row = out[group].setdefault(key, {"kept": 0, "lost": 0})
            row["kept"] += int(kept or 0)
            row["lost"] += int(lost or 0)
    return out
