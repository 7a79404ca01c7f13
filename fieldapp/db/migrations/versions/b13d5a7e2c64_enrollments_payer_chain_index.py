"""enrollments: the payer chains read from one index (#13)

``ix_enrollments_chain`` (person, scheme, start month) becomes ``ix_enrollments_payer_chain``
with the columns the payer states read after them (area, collector, period, paid): the
monthly synthesis's payers kept and lost, and the payers lists, walk a year's sign-ups in
chain order from the index alone instead of sorting them (reports/payers.py ``_CHAINS``).

Revision ID: b13d5a7e2c64
Revises: b7d3c9a1e5f4
Create Date: 2026-12-07 17:20:00

"""
from alembic import op

revision = "b13d5a7e2c64"
down_revision = "b7d3c9a1e5f4"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_enrollments_chain", table_name="enrollments")
    op.create_index("ix_enrollments_payer_chain", "enrollments",
                    ["person_id", "scheme", "start_month", "area_id", "created_by_id",
                     "period_months", "paid"])


def downgrade():
    op.drop_index("ix_enrollments_payer_chain", table_name="enrollments")
    op.create_index("ix_enrollments_chain", "enrollments", ["person_id", "scheme", "start_month"])
