"""The payers' state inputs (``payer_chains``), kept by the transactions that write sign-ups
and payments.

The payer states (reports/payers.py) are worked out from each person's chain of sign-ups of
a scheme: the end of the latest paid period, the first start, the latest sign-up. Judging
every sign-up of a province with window functions on each request cost seconds; here those
sums are kept per (person, scheme, area), rewritten for the persons a write touches, so a
desk list reads a range of ``next_month`` of one table (docs/payers.md §2).

Who calls it: the push (syncserver/store.py ``write``: records written, enrollments that
followed a moved person, enrollments a payment marked paid) and the server's own inserts
(syncserver/bulk.py ``register_changes``: imports, demo data, the tests' fixed payers), both
before the change feed takes its counter. ``persons_of`` is read before and after the
writes, so an edit that moves a sign-up to another person, or a payment to another sign-up,
rewrites the old person's row too. ``rebuild`` writes the whole table (the migration's
back-fill, data written around these paths such as the benchmark's bulk seed).

Each row carries copies of its person's ``household_id`` and ``ended_on`` (an HHI household is
judged over its members' rows, and every payer's end on the day judged, with no join through
``persons``). Devices never write ``ended_on`` (server-owned) and a person's household
changes by a push of the person: ``follow`` rewrites the persons among the records written
whose copies differ from the person as stored, and the desk's "no longer pays"
(supervisor/payers.py) rewrites its person with ``refresh``. A move to another household is
also carried by a trigger on ``persons`` (models/work.py ``PERSON_HOUSEHOLD_TRIGGERS``), so a
path that writes persons some other way cannot leave the copies behind.
"""
from sqlalchemy import bindparam, text

from ..reports.payers import MONTH_SQL, WINDOW_SQL

_CHUNK = 500

COLUMNS = ("person_id, scheme, area_id, first_month, paid_end, ever_paid, next_month, "
           "lapse_month, solo, "
           "latest_start, latest_id, created_by_id, period_months, monthly_income, "
           "support_group, member_order, last_paid_on, last_amount, household_id, ended_on")

# The rows of the persons chosen by ``{persons}`` (a condition on ``e.person_id``): per
# person, scheme and area, the sums over its sign-ups, whether it is the person's only area
# for the scheme, the latest sign-up (start month, then id: the same order
# reports/payers.py's fresh computation uses), its latest payment day, and the person's
# household and end.
_ROWS = f"""
WITH m AS (
  SELECT e.id, e.person_id, e.scheme, e.area_id, e.created_by_id, e.period_months,
         e.monthly_income, e.support_group, e.member_order, e.paid, e.start_month,
         {MONTH_SQL.format(c="e.start_month")} AS s, p.household_id, p.ended_on
  FROM enrollments e JOIN persons p ON p.id = e.person_id
  WHERE {{persons}}
),
w AS (
  SELECT m.*,
         ROW_NUMBER() OVER (PARTITION BY person_id, scheme, area_id
                            ORDER BY start_month DESC, id DESC) AS rn,
         MAX(CASE WHEN paid THEN s + period_months END)
           OVER (PARTITION BY person_id, scheme, area_id) AS paid_end,
         MAX(CASE WHEN paid THEN 1 ELSE 0 END) OVER (PARTITION BY person_id, scheme, area_id)
           AS ever_paid,
         MIN(s) OVER (PARTITION BY person_id, scheme, area_id) AS first_s
  FROM m
),
daily AS (
  SELECT m.person_id, m.scheme, m.area_id, y.paid_on, SUM(y.amount) AS amount,
         RANK() OVER (PARTITION BY m.person_id, m.scheme, m.area_id ORDER BY y.paid_on DESC) AS rk
  FROM payments y JOIN m ON m.id = y.enrollment_id
  GROUP BY m.person_id, m.scheme, m.area_id, y.paid_on
)
SELECT w.person_id, w.scheme, w.area_id, w.first_s, w.paid_end, w.ever_paid,
       COALESCE(w.paid_end, w.first_s),
       COALESCE(w.paid_end, w.first_s)
         + CASE WHEN w.scheme = 'vsi' THEN {WINDOW_SQL.format(p="w.period_months")} ELSE 0 END,
       CASE WHEN COUNT(*) OVER (PARTITION BY w.person_id, w.scheme) = 1 THEN 1 ELSE 0 END,
       w.start_month, w.id, w.created_by_id, w.period_months,
       w.monthly_income, w.support_group, w.member_order, d.paid_on, d.amount,
       w.household_id, w.ended_on
FROM w
LEFT JOIN daily d ON d.rk = 1 AND d.person_id = w.person_id AND d.scheme = w.scheme
  AND d.area_id = w.area_id
WHERE w.rn = 1
"""

_INSERT = f"INSERT INTO payer_chains ({COLUMNS}) " + _ROWS


def written(entries):
    """(enrollment ids, payment ids) among change-feed entries ``(type, id, ...)``."""
    enrollments = {entry[1] for entry in entries if entry[0] == "enrollment"}
    payments = {entry[1] for entry in entries if entry[0] == "payment"}
    return enrollments, payments


def _in_ids(sql):
    """``sql`` with its ``:ids`` list expanding; built once (SQLAlchemy caches its compiled
    form by the statement, so a statement made per call is compiled per call)."""
    return text(sql).bindparams(bindparam("ids", expanding=True))


_PERSONS_OF_ENROLLMENTS = _in_ids("SELECT person_id FROM enrollments WHERE id IN :ids")
_PERSONS_OF_PAYMENTS = _in_ids("SELECT e.person_id FROM payments y JOIN enrollments e "
                               "ON e.id = y.enrollment_id WHERE y.id IN :ids")


def persons_of(conn, enrollment_ids=(), payment_ids=()):
    """The persons whose sign-ups these enrollments are, or these payments pay, as stored
    now (ids not stored yet are skipped)."""
    out = set()
    for stmt, ids in ((_PERSONS_OF_ENROLLMENTS, enrollment_ids),
                      (_PERSONS_OF_PAYMENTS, payment_ids)):
        ids = sorted(ids)
        for start in range(0, len(ids), _CHUNK):
            out.update(pid for (pid,) in conn.execute(stmt, {"ids": ids[start:start + _CHUNK]}))
    return out


_DELETE_PERSONS = _in_ids("DELETE FROM payer_chains WHERE person_id IN :ids")
_INSERT_PERSONS = _in_ids(_INSERT.format(persons="e.person_id IN :ids"))


def refresh(conn, person_ids):
    """Rewrite the rows of ``person_ids`` from their sign-ups and payments as ``conn`` sees
    them; call it after the writes, in their transaction.

    On PostgreSQL each person is locked first (in a fixed order): two pushes paying for one
    person at once would otherwise both delete the rows they see and insert theirs, one
    after the other, leaving two."""
    ids = sorted(set(person_ids))
    if not ids:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(text(
            "SELECT count(pg_advisory_xact_lock(hashtext(k))) "
            "FROM (SELECT unnest(CAST(:keys AS text[])) AS k ORDER BY 1) AS s"),
            {"keys": [f"payer:{pid}" for pid in ids]})
    for start in range(0, len(ids), _CHUNK):
        chunk = {"ids": ids[start:start + _CHUNK]}
        conn.execute(_DELETE_PERSONS, chunk)
        conn.execute(_INSERT_PERSONS, chunk)


# Of the persons ``:ids``, those whose kept rows' copies of the person's household and end
# differ from the person as stored (``<>`` alone would pass a NULL on one side).
_STALE = """
SELECT DISTINCT c.person_id FROM payer_chains c JOIN persons p ON p.id = c.person_id
WHERE c.person_id IN :ids
  AND (c.household_id <> p.household_id OR c.ended_on <> p.ended_on
       OR (c.ended_on IS NULL) <> (p.ended_on IS NULL))
"""


_STALE_OF = _in_ids(_STALE)


def stale(conn, person_ids):
    """The persons among ``person_ids`` whose rows no longer copy their household or end
    (a person pushed into another household; new persons have no rows)."""
    ids = sorted(set(person_ids))
    out = set()
    for start in range(0, len(ids), _CHUNK):
        out.update(pid for (pid,) in conn.execute(_STALE_OF, {"ids": ids[start:start + _CHUNK]}))
    return out


def follow(conn, entries, before=()):
    """Refresh the persons of the enrollments and payments among change-feed ``entries``
    (as stored now), the persons ``before`` (read with ``persons_of`` before the writes) and
    the persons written whose household the rows no longer copy (``stale``)."""
    enrollments, payments = written(entries)
    persons = {entry[1] for entry in entries if entry[0] == "person"}
    if not (enrollments or payments or before or persons):
        return
    refresh(conn, set(before) | persons_of(conn, enrollments, payments) | stale(conn, persons))


def rebuild(conn):
    """Write the whole table from every sign-up and payment (the migration's back-fill)."""
    conn.execute(text("DELETE FROM payer_chains"))
    conn.execute(text(_INSERT.format(persons="1 = 1")))


def fresh_rows(conn):
    """The table's rows as a rebuild would write them now (a set of tuples in ``COLUMNS``
    order): what the kept rows are checked against (tests)."""
    return {tuple(row) for row in conn.execute(text(_ROWS.format(persons="1 = 1")))}
