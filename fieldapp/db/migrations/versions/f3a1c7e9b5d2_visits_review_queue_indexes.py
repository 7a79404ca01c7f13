"""visits: indexes of the review queue (review_status, received_at, id, created_by_id,
outcome, visited_at) and the same after area_id; enrollments: (visit_id)

The supervisor's review queue lists one review status newest synced first, in the areas of
a supervisor, and counts each status there (fieldapp/supervisor/review_queue.py): with a
million visits these read index ranges instead of the table (bench/review.py).

Revision ID: f3a1c7e9b5d2
Revises: e2b6c4a8d0f1
Create Date: 2026-12-07 14:00:00

"""
from alembic import op

revision = "f3a1c7e9b5d2"
down_revision = "e2b6c4a8d0f1"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.create_index("ix_visits_queue", ["review_status", "received_at", "id", "created_by_id",
                                                  "outcome", "visited_at"], unique=False)
        batch_op.create_index("ix_visits_area_queue", ["area_id", "review_status", "received_at", "id",
                                                       "created_by_id", "outcome", "visited_at"],
                              unique=False)
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.create_index("ix_enrollments_visit_review", ["visit_id"], unique=False)


def downgrade():
    with op.batch_alter_table("enrollments", schema=None) as batch_op:
        batch_op.drop_index("ix_enrollments_visit_review")
    with op.batch_alter_table("visits", schema=None) as batch_op:
        batch_op.drop_index("ix_visits_area_queue")
        batch_op.drop_index("ix_visits_queue")
