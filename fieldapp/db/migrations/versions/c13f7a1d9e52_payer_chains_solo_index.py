"""payer_chains: ix_payer_chains_solo in place of ix_payer_chains_alive (#13)

``ix_payer_chains_solo`` (solo, scheme, area, lapse month, first month, collector, person,
ever paid, household): the monthly synthesis's payers kept and lost count a person's only
row from the index alone, an HHI member's as well as a VSI person's (reports/payers.py
``_SOLO_HHI``: before, each of those read its table row). Led by ``solo``, not by the
scheme, so that the households with several HHI rows (``multi``) are found in one pass over
``ix_payer_chains_household`` in household order rather than sorted from this index. It
serves ``_SOLO_VSI``'s range as ``ix_payer_chains_alive`` did, which it replaces.

Revision ID: c13f7a1d9e52
Revises: c13e6b2f4a80
Create Date: 2026-12-08 00:00:00

"""
from alembic import op

revision = "c13f7a1d9e52"
down_revision = "c13e6b2f4a80"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_payer_chains_solo", "payer_chains",
                    ["solo", "scheme", "area_id", "lapse_month", "first_month", "created_by_id",
                     "person_id", "ever_paid", "household_id"])
    op.drop_index("ix_payer_chains_alive", table_name="payer_chains")


def downgrade():
    op.create_index("ix_payer_chains_alive", "payer_chains",
                    ["scheme", "solo", "area_id", "lapse_month", "first_month", "created_by_id",
                     "person_id"])
    op.drop_index("ix_payer_chains_solo", table_name="payer_chains")
