"""referrals.close_reason and the dates of each status step (#11, referrals)

A collector closes a referral by pushing a reason; the server keeps when the referral was
assigned, visited, enrolled and closed so the village head sees each change with its date
and the supervisor's page ages the open ones. Indexes for the referral page: its figures
read one covering index, its open list walks received_at; and assigned_to_id.

Revision ID: a11f5e0c7d42
Revises: a12c0e5f7b31
Create Date: 2026-12-07 14:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "a11f5e0c7d42"
down_revision = "a12c0e5f7b31"
branch_labels = None
depends_on = None

_DATES = ("assigned_at", "visited_at", "enrolled_at", "closed_at")


def upgrade():
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("close_reason", sa.String(length=16), nullable=True))
        for name in _DATES:
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index("ix_referrals_assigned_to_id", ["assigned_to_id"], unique=False)
        batch_op.create_index("ix_referrals_desk", ["area_id", "created_by_id", "status",
                                                   "received_at", "visited_at"], unique=False)
        batch_op.create_index("ix_referrals_received_at", ["received_at"], unique=False)


def downgrade():
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_referrals_received_at")
        batch_op.drop_index("ix_referrals_desk")
        batch_op.drop_index("ix_referrals_assigned_to_id")
        for name in reversed(_DATES):
            batch_op.drop_column(name)
        batch_op.drop_column("close_reason")
