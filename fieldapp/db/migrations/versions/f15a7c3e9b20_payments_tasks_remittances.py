"""payments, tasks, remittances; persons.ended_*, organizations.cash_limit_days (#15)

Payments record the money a collector takes (with its receipt); tasks are server-made work
for the collectors of an area; remittances and remitted_payments trace the money handed
over. A person records why and since when they no longer pay (ended); an organization how
long its collectors may hold cash.

Revision ID: f15a7c3e9b20
Revises: a11f5e0c7d42
Create Date: 2026-12-07 14:05:00

"""
import sqlalchemy as sa
from alembic import op

revision = "f15a7c3e9b20"
down_revision = "a11f5e0c7d42"
branch_labels = None
depends_on = None


def _synced():
    """The columns every synced record carries (models/syncable.py)."""
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("client_time", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("area_id", sa.Integer(), nullable=False),
    ]


def _synced_keys(table):
    return [
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name=op.f(f"fk_{table}_area_id_areas")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f(f"fk_{table}_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def _synced_indexes(table):
    op.create_index(op.f(f"ix_{table}_area_id"), table, ["area_id"])
    op.create_index(op.f(f"ix_{table}_created_by_id"), table, ["created_by_id"])


def upgrade():
    op.create_table(
        "payments",
        sa.Column("enrollment_id", sa.String(length=36), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("receipt_no", sa.String(length=40), nullable=False),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("remitted_on", sa.Date(), nullable=True),
        *_synced(),
        sa.ForeignKeyConstraint(["enrollment_id"], ["enrollments.id"],
                                name=op.f("fk_payments_enrollment_id_enrollments")),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"],
                                name=op.f("fk_payments_organization_id_organizations")),
        *_synced_keys("payments"),
    )
    _synced_indexes("payments")
    op.create_index(op.f("ix_payments_enrollment_id"), "payments", ["enrollment_id"])
    op.create_index(op.f("ix_payments_paid_on"), "payments", ["paid_on"])
    op.create_index(op.f("ix_payments_organization_id"), "payments", ["organization_id"])
    op.create_index("ix_payments_receipt", "payments", ["organization_id", "receipt_no"])
    op.create_index("ix_payments_org_day", "payments", ["organization_id", "paid_on"])
    op.create_index("ix_enrollments_chain", "enrollments", ["person_id", "scheme", "start_month"])

    op.create_table(
        "tasks",
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("household_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.String(length=36), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("amount", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(["household_id"], ["households.id"],
                                name=op.f("fk_tasks_household_id_households")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"], name=op.f("fk_tasks_person_id_persons")),
        *_synced_keys("tasks"),
    )
    _synced_indexes("tasks")
    op.create_index(op.f("ix_tasks_household_id"), "tasks", ["household_id"])
    op.create_index(op.f("ix_tasks_person_id"), "tasks", ["person_id"])

    op.create_table(
        "remittances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("collector_id", sa.Integer(), nullable=True),
        sa.Column("remitted_on", sa.Date(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organizations.id"],
                                name=op.f("fk_remittances_organization_id_organizations")),
        sa.ForeignKeyConstraint(["collector_id"], ["users.id"], name=op.f("fk_remittances_collector_id_users")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"],
                                name=op.f("fk_remittances_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittances")),
    )
    op.create_index(op.f("ix_remittances_organization_id"), "remittances", ["organization_id"])
    op.create_index(op.f("ix_remittances_collector_id"), "remittances", ["collector_id"])
    op.create_index(op.f("ix_remittances_remitted_on"), "remittances", ["remitted_on"])

    op.create_table(
        "remitted_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("remittance_id", sa.Integer(), nullable=False),
        sa.Column("payment_id", sa.String(length=36), nullable=False),
        sa.Column("to_office", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["remittance_id"], ["remittances.id"],
                                name=op.f("fk_remitted_payments_remittance_id_remittances")),
        sa.ForeignKeyConstraint(["payment_id"], ["payments.id"],
                                name=op.f("fk_remitted_payments_payment_id_payments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remitted_payments")),
        sa.UniqueConstraint("payment_id", "to_office", name=op.f("uq_remitted_payments_payment_id")),
    )
    op.create_index(op.f("ix_remitted_payments_remittance_id"), "remitted_payments", ["remittance_id"])

    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ended_reason", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("ended_on", sa.Date(), nullable=True))
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cash_limit_days", sa.Integer(), nullable=False,
                                      server_default="1"))


def downgrade():
    with op.batch_alter_table("organizations", schema=None) as batch_op:
        batch_op.drop_column("cash_limit_days")
    with op.batch_alter_table("persons", schema=None) as batch_op:
        batch_op.drop_column("ended_on")
        batch_op.drop_column("ended_reason")
    op.drop_index("ix_enrollments_chain", table_name="enrollments")
    op.drop_table("remitted_payments")
    op.drop_table("remittances")
    op.drop_table("tasks")
    op.drop_table("payments")
