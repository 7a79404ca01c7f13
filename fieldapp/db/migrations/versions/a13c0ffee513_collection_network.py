"""The collection network for #13: collectors attached to a collection point, the
three-party coordination agreement's state (signed or not, document reference), and indexes
that let the monthly synthesis read a month of visits, sign-ups and sessions from the index

A collector works for an organization (users.organization_id) at one of its collection points;
the monthly synthesis counts per point through users.collection_point_id. An agreement may be
recorded while still being prepared, so signed_on becomes optional beside the new ``signed``.

Revision ID: a13c0ffee513
Revises: a14c5e7d9b20
Create Date: 2026-12-07 14:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "a13c0ffee513"
down_revision = "a14c5e7d9b20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_visits_month", "visits",
                    ["visited_at", "created_by_id", "area_id", "household_id"])
    op.create_index("ix_enrollments_made", "enrollments",
                    [sa.text("coalesce(client_time, received_at)"), "created_by_id", "area_id",
                     "scheme", "kind", "person_id"])
    op.create_index("ix_outreach_month", "outreach", ["held_at", "created_by_id", "area_id", "attendees"])
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("collection_point_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f("fk_users_collection_point_id_collection_points"), "collection_points",
                                    ["collection_point_id"], ["id"])
    with op.batch_alter_table("coordination_programs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signed", sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
        batch_op.add_column(sa.Column("document_ref", sa.String(length=100), nullable=True))
        batch_op.alter_column("signed_on", existing_type=sa.Date(), nullable=True)
        batch_op.create_unique_constraint(op.f("uq_coordination_programs_area_id"), ["area_id", "organization_id"])


def downgrade():
    op.drop_index("ix_outreach_month", table_name="outreach")
    op.drop_index("ix_enrollments_made", table_name="enrollments")
    op.drop_index("ix_visits_month", table_name="visits")
    with op.batch_alter_table("coordination_programs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_coordination_programs_area_id"), type_="unique")
        batch_op.alter_column("signed_on", existing_type=sa.Date(), nullable=False)
        batch_op.drop_column("document_ref")
        batch_op.drop_column("signed")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_users_collection_point_id_collection_points"), type_="foreignkey")
        batch_op.drop_column("collection_point_id")
