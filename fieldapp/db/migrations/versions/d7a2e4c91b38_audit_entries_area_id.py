"""audit_entries: area_id, the area of the entity an entry touches (#9)

An admin assigned part of the country reads only the audit entries of the areas they reach
(admin/audit_views.py). Existing entries of synced records take their record's area, and
entries of an area that area; the rest stay without one (read by national admins only).

Revision ID: d7a2e4c91b38
Revises: d4e7a2b9c1f6
Create Date: 2026-11-27 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "d7a2e4c91b38"
down_revision = "d4e7a2b9c1f6"
branch_labels = None
depends_on = None

#: entity -> table of the synced record types (records/types.py), as they were at this revision.
RECORD_TABLES = {"household": "households", "person": "persons", "visit": "visits",
                 "enrollment": "enrollments", "referral": "referrals", "outreach": "outreach"}


def upgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("area_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_entries_area_id"), ["area_id"], unique=False)
    for entity, table in RECORD_TABLES.items():
        op.execute(
            f"UPDATE audit_entries SET area_id = (SELECT r.area_id FROM {table} r "
            f"WHERE r.id = audit_entries.entity_id) WHERE entity = '{entity}'")
    op.execute("UPDATE audit_entries SET area_id = (SELECT a.id FROM areas a "
               "WHERE CAST(a.id AS VARCHAR(64)) = audit_entries.entity_id) WHERE entity = 'area'")


def downgrade():
    with op.batch_alter_table("audit_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entries_area_id"))
        batch_op.drop_column("area_id")
