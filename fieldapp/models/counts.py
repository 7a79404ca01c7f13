"""How many visits wait in each review status, kept by the database as the visits change.

The review queue's status bar (*Chờ duyệt · Đạt · Trả lại · Tất cả*) counts the visits the
other filters keep. Counted per request, a province's counts read a million index entries
(seconds); read from this table they are a sum over a few thousand rows.

One row per (village, collector, outcome, review status, month of the visit) with the
number of visits in it. The month is the visit's *UTC* month ("YYYY-MM"): a date filter
in local days adds or takes away the few hours between a local and a UTC month boundary
by counting those visits directly (supervisor/review_queue.py), so the table is right
whatever zone the office shows times in.

Triggers on ``visits`` keep it, not the Python writers: every path that writes a visit —
the push (insert, edit that resets the review, a household move that moves its visits),
a review or bulk approval, the demo data, the benchmarks' bulk loads, tests that add rows
through the ORM — changes it in the same transaction, and nothing can forget to. SQLite
runs a row trigger (one UPSERT per visit written); PostgreSQL a statement trigger over the
transition tables (one grouped UPSERT per statement, taken in key order so two writers lock
the rows they share in the same order). Rows that fall to zero are kept (harmless, and a
later visit reuses them).

Beware: Alembic's ``batch_alter_table`` on SQLite rebuilds a table by copying it, which
drops its triggers. A later migration that alters ``visits`` that way must call
``create_triggers`` again (and ``backfill`` is idempotent for a repair).
"""
from datetime import UTC, datetime, timedelta

from sqlalchemy import DDL, Index, PrimaryKeyConstraint, String, event, text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .work import Visit

#: collector_id of visits without a collector (created_by_id NULL): a key column cannot be NULL.
NO_COLLECTOR = 0


class ReviewCount(db.Model):
    """Visits per (area, collector, outcome, review status, UTC month): see the module."""

    __tablename__ = "review_counts"
    __table_args__ = (PrimaryKeyConstraint("area_id", "collector_id", "outcome", "review_status",
                                           "month", name="pk_review_counts"),
                      # The monthly synthesis: a month's visits per area and collector, a
                      # range of the month's rows instead of every month of the areas.
                      Index("ix_review_counts_month", "month", "area_id", "collector_id"))
    # No foreign keys: the rows follow the visits (whose own keys hold), and a trigger's
    # UPSERT should not pay for checks the visit already passed.
    area_id: Mapped[int] = mapped_column()
    collector_id: Mapped[int] = mapped_column()
    outcome: Mapped[str] = mapped_column(String(20))
    review_status: Mapped[str] = mapped_column(String(10))
    month: Mapped[str] = mapped_column(String(7))
    n: Mapped[int] = mapped_column(default=0)


_KEY = "area_id, collector_id, outcome, review_status, month"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER IF NOT EXISTS trg_review_counts_insert AFTER INSERT ON visits
BEGIN
  INSERT INTO review_counts ({_KEY}, n)
  VALUES (new.area_id, coalesce(new.created_by_id, {NO_COLLECTOR}), new.outcome, new.review_status,
          substr(new.visited_at, 1, 7), 1)
  ON CONFLICT ({_KEY}) DO UPDATE SET n = n + 1;
END""",
    f"""CREATE TRIGGER IF NOT EXISTS trg_review_counts_delete AFTER DELETE ON visits
BEGIN
  UPDATE review_counts SET n = n - 1
  WHERE area_id = old.area_id AND collector_id = coalesce(old.created_by_id, {NO_COLLECTOR})
    AND outcome = old.outcome AND review_status = old.review_status
    AND month = substr(old.visited_at, 1, 7);
END""",
    f"""CREATE TRIGGER IF NOT EXISTS trg_review_counts_update
AFTER UPDATE OF area_id, created_by_id, outcome, review_status, visited_at ON visits
WHEN old.area_id IS NOT new.area_id OR old.created_by_id IS NOT new.created_by_id
  OR old.outcome IS NOT new.outcome OR old.review_status IS NOT new.review_status
  OR substr(old.visited_at, 1, 7) IS NOT substr(new.visited_at, 1, 7)
BEGIN
  UPDATE review_counts SET n = n - 1
  WHERE area_id = old.area_id AND collector_id = coalesce(old.created_by_id, {NO_COLLECTOR})
    AND outcome = old.outcome AND review_status = old.review_status
    AND month = substr(old.visited_at, 1, 7);
  INSERT INTO review_counts ({_KEY}, n)
  VALUES (new.area_id, coalesce(new.created_by_id, {NO_COLLECTOR}), new.outcome, new.review_status,
          substr(new.visited_at, 1, 7), 1)
  ON CONFLICT ({_KEY}) DO UPDATE SET n = n + 1;
END""",
]


def _pg_rows(table, sign):
    return (f"SELECT area_id, coalesce(created_by_id, {NO_COLLECTOR}) AS collector_id, outcome, "
            f"review_status, to_char(visited_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, "
            f"{sign} AS d FROM {table}")


_PG_UPSERT = (f"INSERT INTO review_counts ({_KEY}, n) SELECT {_KEY}, sum(d) FROM ({{rows}}) AS c "
              f"GROUP BY {_KEY} HAVING sum(d) <> 0 ORDER BY {_KEY} "
              f"ON CONFLICT ({_KEY}) DO UPDATE SET n = review_counts.n + excluded.n")

POSTGRESQL_TRIGGERS = [
    f"""CREATE OR REPLACE FUNCTION review_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {_PG_UPSERT.format(rows=_pg_rows("new_rows", 1))};
  ELSIF TG_OP = 'DELETE' THEN
    {_PG_UPSERT.format(rows=_pg_rows("old_rows", -1))};
  ELSE
    {_PG_UPSERT.format(rows=_pg_rows("new_rows", 1) + " UNION ALL " + _pg_rows("old_rows", -1))};
  END IF;
  RETURN NULL;
END $$""",
    "DROP TRIGGER IF EXISTS trg_review_counts_insert ON visits",
    "CREATE TRIGGER trg_review_counts_insert AFTER INSERT ON visits "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION review_counts_apply()",
    "DROP TRIGGER IF EXISTS trg_review_counts_delete ON visits",
    "CREATE TRIGGER trg_review_counts_delete AFTER DELETE ON visits "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION review_counts_apply()",
    "DROP TRIGGER IF EXISTS trg_review_counts_update ON visits",
    "CREATE TRIGGER trg_review_counts_update AFTER UPDATE ON visits "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION review_counts_apply()",
]

DROP = {"sqlite": ["DROP TRIGGER IF EXISTS trg_review_counts_insert",
                   "DROP TRIGGER IF EXISTS trg_review_counts_delete",
                   "DROP TRIGGER IF EXISTS trg_review_counts_update"],
        "postgresql": ["DROP TRIGGER IF EXISTS trg_review_counts_insert ON visits",
                       "DROP TRIGGER IF EXISTS trg_review_counts_delete ON visits",
                       "DROP TRIGGER IF EXISTS trg_review_counts_update ON visits",
                       "DROP FUNCTION IF EXISTS review_counts_apply()"]}


def trigger_statements(dialect):
    return SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRESQL_TRIGGERS


def create_triggers(conn):
    """Create (or replace) the triggers on ``visits`` that keep ``review_counts``."""
    for statement in trigger_statements(conn.dialect.name):
        conn.execute(text(statement))


def backfill(conn):
    """Count every stored visit into ``review_counts`` afresh (the migration, a repair).

    Run with the triggers in place and in one transaction with them: on PostgreSQL lock
    ``visits`` first (the migration does) so no write slips between the count and the
    triggers."""
    month = ("substr(visited_at, 1, 7)" if conn.dialect.name == "sqlite"
             else "to_char(visited_at AT TIME ZONE 'UTC', 'YYYY-MM')")
    conn.execute(text("DELETE FROM review_counts"))
    conn.execute(text(
        f"INSERT INTO review_counts ({_KEY}, n) "
        f"SELECT area_id, coalesce(created_by_id, {NO_COLLECTOR}), outcome, review_status, {month}, "
        f"count(*) FROM visits GROUP BY 1, 2, 3, 4, 5"))


def _attach(visits_table):
    """Tables made by db.create_all() (tests, the benchmarks, init-db's adoption) get the
    triggers too, as soon as ``visits`` exists (a trigger body may name review_counts
    before it is created: both databases resolve it when the trigger runs)."""
    for dialect, statements in (("sqlite", SQLITE_TRIGGERS), ("postgresql", POSTGRESQL_TRIGGERS)):
        for statement in statements:
            event.listen(visits_table, "after_create",
                         DDL(statement.replace("%", "%%")).execute_if(dialect=dialect))


_attach(Visit.__table__)


# Reading the counts for a range of local time: whole UTC months from the table, the hours
# between the range's ends and the nearest UTC month boundaries from the visits.
def _month_start(moment):
    return datetime(moment.year, moment.month, 1, tzinfo=UTC)


def _next_month(first):
    return first.replace(year=first.year + first.month // 12, month=first.month % 12 + 1)


def _nearest_boundary(moment):
    """The UTC month boundary nearest ``moment``, and the sliver between them as
    (from, to, sign): what counting up to the boundary instead of ``moment`` got wrong."""
    moment = moment.astimezone(UTC)
    first = _month_start(moment)
    if moment == first:
        return first, None
    following = _next_month(first)
    if moment - first <= following - moment:
        return first, (first, moment)
    return following, (moment, following)


def month_cut(start, end):
    """How to count visits whose time is in [start, end) (either may be None):
    (months, slivers) where months is ("YYYY-MM" or None, "YYYY-MM" or None), the UTC
    months [first, last) read from review_counts, and slivers [(from, to, sign)] counted
    from the visits and added (+1) or taken away (-1). None when counting [start, end)
    straight from the visits reads fewer visits (a range of a few days)."""
    lo = hi = None
    slivers, width = [], timedelta()
    if start is not None:
        boundary, sliver = _nearest_boundary(start)
        lo = boundary.strftime("%Y-%m")
        if sliver:
            # The boundary before start counted [boundary, start) too much; after, too little.
            slivers.append((*sliver, -1 if sliver[0] == boundary else 1))
            width += sliver[1] - sliver[0]
    if end is not None:
        boundary, sliver = _nearest_boundary(end)
        hi = boundary.strftime("%Y-%m")
        if sliver:
            slivers.append((*sliver, 1 if sliver[0] == boundary else -1))
            width += sliver[1] - sliver[0]
    if start is not None and end is not None and (end <= start or end - start <= width):
        return None
    return (lo, hi), slivers
