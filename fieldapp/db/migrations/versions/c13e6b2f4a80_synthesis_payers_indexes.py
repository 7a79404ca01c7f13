"""payer_chains, persons, review_counts, referrals: the monthly synthesis read from indexes (#13)

- ``ix_payer_chains_alive`` (scheme, solo, area, lapse month, first month, collector,
  person): a VSI person's only row is its payer as it stands, so the monthly synthesis
  counts those kept and lost from the rows that lapse in the month or later, a range per
  area, from the index alone, instead of judging every payer of the areas
  (reports/payers.py ``_SOLO_VSI``).
- ``ix_payer_chains_shared`` (person, scheme, area) of the rows with ``solo = 0``: the few
  persons with rows in several areas, whose rows are combined, read apart.
- ``ix_persons_ended`` (ended on, id): the few persons who ended by a day, read apart,
  instead of looking up each payer's person.
- ``trg_payer_chains_household``: ``payer_chains.household_id`` (b15e8d2f4a63) is kept by a
  trigger on ``persons`` when a person moves to another household (models/work.py
  ``PERSON_HOUSEHOLD_TRIGGERS``; a copy here: a migration stays as it was written), whatever
  path writes the move; the copy is taken again once the trigger is in place.
- ``ix_review_counts_month`` (month, area, collector): the month's visits per collector
  read from review_counts, a range of one month's rows.
- ``ix_referrals_made`` (when made, assignee, area, status): a month's referrals from the
  index alone.

Revision ID: c13e6b2f4a80
Revises: b15e8d2f4a63
Create Date: 2026-12-07 20:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = "c13e6b2f4a80"
down_revision = "b15e8d2f4a63"
branch_labels = None
depends_on = None

_TRIGGERS = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS trg_payer_chains_household
AFTER UPDATE OF household_id ON persons
WHEN old.household_id IS NOT new.household_id
BEGIN
  UPDATE payer_chains SET household_id = new.household_id WHERE person_id = new.id;
END"""],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION payer_chains_household() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('payer:' || NEW.id));
  UPDATE payer_chains SET household_id = NEW.household_id WHERE person_id = NEW.id;
  RETURN NULL;
END $$""",
        "DROP TRIGGER IF EXISTS trg_payer_chains_household ON persons",
        "CREATE TRIGGER trg_payer_chains_household AFTER UPDATE OF household_id ON persons "
        "FOR EACH ROW WHEN (OLD.household_id IS DISTINCT FROM NEW.household_id) "
        "EXECUTE FUNCTION payer_chains_household()"],
}
_DROP = {"sqlite": ["DROP TRIGGER IF EXISTS trg_payer_chains_household"],
         "postgresql": ["DROP TRIGGER IF EXISTS trg_payer_chains_household ON persons",
                        "DROP FUNCTION IF EXISTS payer_chains_household()"]}


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        # No move between the back-fill and the trigger.
        op.execute("LOCK TABLE persons IN SHARE ROW EXCLUSIVE MODE")
    for statement in _TRIGGERS.get(dialect, []):
        op.execute(statement)
    # The column and its index come from b15e8d2f4a63; copied again now that the trigger
    # keeps it, so a move written in between is not left behind.
    op.execute("UPDATE payer_chains SET household_id = "
               "(SELECT p.household_id FROM persons p WHERE p.id = payer_chains.person_id)")
    op.create_index("ix_payer_chains_alive", "payer_chains",
                    ["scheme", "solo", "area_id", "lapse_month", "first_month", "created_by_id",
                     "person_id"])
    op.create_index("ix_payer_chains_shared", "payer_chains", ["person_id", "scheme", "area_id"],
                    sqlite_where=sa.text("solo = 0"), postgresql_where=sa.text("solo = 0"))
    op.create_index("ix_persons_ended", "persons", ["ended_on", "id"])
    op.create_index("ix_review_counts_month", "review_counts", ["month", "area_id", "collector_id"])
    op.create_index("ix_referrals_made", "referrals",
                    [sa.text("coalesce(client_time, received_at)"), "assigned_to_id", "area_id",
                     "status"])


def downgrade():
    op.drop_index("ix_referrals_made", table_name="referrals")
    op.drop_index("ix_review_counts_month", table_name="review_counts")
    op.drop_index("ix_persons_ended", table_name="persons")
    op.drop_index("ix_payer_chains_shared", table_name="payer_chains")
    op.drop_index("ix_payer_chains_alive", table_name="payer_chains")
    for statement in _DROP.get(op.get_bind().dialect.name, []):
        op.execute(statement)
