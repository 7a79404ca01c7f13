"""enrollments.hhi_group (HHI support group) and enrollments.made_month (#14)

``hhi_group`` is the optional HHI support group of a sign-up (near-poor, farming household,
pupil or student, aged 60-74 without a pension): its State and province shares lower the
amount. ``made_month`` is the month (YYYY-MM) of the client time of the enrollment's first
accepted version: the start window is judged against it, and later edits keep it.

Revision ID: a14c5e7d9b20
Revises: f3a1c7e9b5d2
Create Date: 2026-12-07 14:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "a14c5e7d9b20"
down_revision = "f3a1c7e9b5d2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hhi_group", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("made_month", sa.String(length=7), nullable=True))


def downgrade():
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_column("made_month")
        batch_op.drop_column("hhi_group")
