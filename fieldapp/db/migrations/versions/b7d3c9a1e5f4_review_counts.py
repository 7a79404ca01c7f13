"""review_counts: visits per (area, collector, outcome, review status, UTC month), kept by
triggers on visits, back-filled here; households: (head_name, id, area_id) (#11)

The review queue's status bar read a province's million visits per request; it now sums
this table (fieldapp/models/counts.py says why triggers keep it). The household index lets
the queue sorted by household walk households in name order instead of sorting every match.

Back-fill: the table is counted from the stored visits in the same transaction that creates
the triggers; on PostgreSQL ``visits`` is locked (SHARE: reads go on, writes wait) from just
before the triggers exist until commit, so no visit is written between the count and the
triggers. On SQLite the migration holds the write lock anyway.

Revision ID: b7d3c9a1e5f4
Revises: f15a7c3e9b20
Create Date: 2026-12-07 17:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "b7d3c9a1e5f4"
down_revision = "f15a7c3e9b20"
branch_labels = None
depends_on = None


def upgrade():
    from fieldapp.models.counts import backfill, create_triggers

    op.create_table(
        "review_counts",
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("collector_id", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("review_status", sa.String(length=10), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("area_id", "collector_id", "outcome", "review_status", "month",
                                name="pk_review_counts"),
    )
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("LOCK TABLE visits IN SHARE MODE"))
    create_triggers(conn)
    backfill(conn)
    op.create_index("ix_households_head_name", "households", ["head_name", "id", "area_id"],
                    unique=False)


def downgrade():
    from fieldapp.models.counts import DROP

    op.drop_index("ix_households_head_name", table_name="households")
    conn = op.get_bind()
    for statement in DROP[conn.dialect.name]:
        conn.execute(sa.text(statement))
    op.drop_table("review_counts")
