"""payer_chains.household_id and ended_on: the person's household and end, kept on its rows (#15)

The desk's due and lapsed lists judge an HHI household over its members' rows and every
payer's end on the day judged; both came from ``persons`` through one key lookup per row
(47,000 for a province's due list). The rows now carry copies, rewritten by the writes that
change them (syncserver/payerchains.py): a push that moves a person to another household,
and the desk's "no longer pays". Back-filled here from ``persons``; ``household_id`` is then
made NOT NULL (every person has a household), with its index for a household's rows.

Revision ID: b15e8d2f4a63
Revises: b15c4a7e2d91
Create Date: 2026-12-07 20:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = "b15e8d2f4a63"
down_revision = "b15c4a7e2d91"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("payer_chains", schema=None) as batch_op:
        batch_op.add_column(sa.Column("household_id", sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column("ended_on", sa.Date(), nullable=True))
    op.execute("UPDATE payer_chains SET "
               "household_id = (SELECT p.household_id FROM persons p "
               "WHERE p.id = payer_chains.person_id), "
               "ended_on = (SELECT p.ended_on FROM persons p WHERE p.id = payer_chains.person_id)")
    with op.batch_alter_table("payer_chains", schema=None) as batch_op:
        batch_op.alter_column("household_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_foreign_key(batch_op.f("fk_payer_chains_household_id_households"),
                                    "households", ["household_id"], ["id"])
        # Led by the household: its members' rows (the lists), and whether a household has
        # rows of other members, from the index alone (the synthesis, c13e6b2f4a80).
        batch_op.create_index("ix_payer_chains_household",
                              ["household_id", "scheme", "area_id", "person_id"])


def downgrade():
    with op.batch_alter_table("payer_chains", schema=None) as batch_op:
        batch_op.drop_index("ix_payer_chains_household")
        batch_op.drop_constraint(batch_op.f("fk_payer_chains_household_id_households"),
                                 type_="foreignkey")
        batch_op.drop_column("ended_on")
        batch_op.drop_column("household_id")
