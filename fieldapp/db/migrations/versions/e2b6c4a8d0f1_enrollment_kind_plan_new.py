"""enrollments.kind (new / renewed / resumed) and plans.new_participants (#12, #13, #14)

The sign-up kind is server-owned: the reports count new, renewed and resumed sign-ups apart.
A plan carries the year's target for new participants beside its total target.

Revision ID: e2b6c4a8d0f1
Revises: d7a2e4c91b38
Create Date: 2026-12-07 13:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = "e2b6c4a8d0f1"
down_revision = "d7a2e4c91b38"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=8), nullable=True))
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("new_participants", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("new_participants")
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_column("kind")
