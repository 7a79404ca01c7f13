"""areas.central_city: a province-level area that is a centrally-run city (#12)

The progress report names such an area "toàn thành phố" (the whole city), a province "toàn
tỉnh"; nothing in an area's code or level told the two apart.

Revision ID: a12c0e5f7b31
Revises: a13c0ffee513
Create Date: 2026-12-07 14:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "a12c0e5f7b31"
down_revision = "a13c0ffee513"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("areas", schema=None) as batch_op:
        batch_op.add_column(sa.Column("central_city", sa.Boolean(), nullable=False,
                                      server_default="0"))


def downgrade():
    with op.batch_alter_table("areas", schema=None) as batch_op:
        batch_op.drop_column("central_city")
