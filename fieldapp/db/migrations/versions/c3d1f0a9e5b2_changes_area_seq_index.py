"""changes: index (area_id, seq) instead of (area_id)

A pull reads a small area's changes in sequence order by ranges of this index, instead of
walking the whole feed in sequence order past every other area's changes (syncserver/feed.py).

Revision ID: c3d1f0a9e5b2
Revises: beba0c48273a
Create Date: 2026-11-26 01:30:00

"""
from alembic import op

revision = "c3d1f0a9e5b2"
down_revision = "beba0c48273a"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index("ix_changes_area_seq", ["area_id", "seq"], unique=False)
        batch_op.drop_index("ix_changes_area_id")


def downgrade():
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index("ix_changes_area_id", ["area_id"], unique=False)
        batch_op.drop_index("ix_changes_area_seq")
