"""payer_chains and persons: the synthesis's payers kept and lost read from indexes (#13)

``ix_payer_chains_alive`` (scheme, solo, area, lapse month, first month, collector, person):
a VSI person's only row is its payer as it stands, so the monthly synthesis counts those kept
and lost from the rows that lapse in the month or later, a range per area, from the index
alone, instead of judging every payer of the areas (reports/payers.py ``_SOLO_VSI``).
``ix_persons_ended`` (ended on, id): the few persons who ended by a day, read apart, instead
of looking up each payer's person.

Revision ID: c13e6b2f4a80
Revises: b15c4a7e2d91
Create Date: 2026-12-07 20:10:00

"""
from alembic import op

revision = "c13e6b2f4a80"
down_revision = "b15c4a7e2d91"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_payer_chains_alive", "payer_chains",
                    ["scheme", "solo", "area_id", "lapse_month", "first_month", "created_by_id",
                     "person_id"])
    op.create_index("ix_persons_ended", "persons", ["ended_on", "id"])


def downgrade():
    op.drop_index("ix_persons_ended", table_name="persons")
    op.drop_index("ix_payer_chains_alive", table_name="payer_chains")
