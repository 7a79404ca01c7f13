"""users: session_version, so that sign-out and a password reset end web sessions

A web session holds the user's session_version from its sign-in; the user loader refuses a
session whose number is no longer the user's (fieldapp/auth/sessions.py). Existing users
start at 0.

Revision ID: d4e7a2b9c1f6
Revises: c3d1f0a9e5b2
Create Date: 2026-11-27 09:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "d4e7a2b9c1f6"
down_revision = "c3d1f0a9e5b2"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("session_version", sa.Integer(), server_default="0",
                                      nullable=False))


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_version")
