"""payer_chains: the payers' state inputs, kept by the writes of sign-ups and payments (#15)

One row per person, scheme and area of their sign-ups: the month the next period starts, the
month it lapses, whether anything was paid, the latest sign-up and the latest payment
(models PayerChain, syncserver/payerchains.py). The desk's due and lapsed lists read a range
of it instead of judging every sign-up of a province. Back-filled here from every sign-up
and payment, with the statement syncserver/payerchains.py ``rebuild`` runs (a copy: a
migration stays as it was written).

Revision ID: b15c4a7e2d91
Revises: b13d5a7e2c64
Create Date: 2026-12-07 17:15:00

"""
import sqlalchemy as sa
from alembic import op

revision = "b15c4a7e2d91"
down_revision = "b13d5a7e2c64"
branch_labels = None
depends_on = None

_BACK_FILL = """
INSERT INTO payer_chains (person_id, scheme, area_id, first_month, paid_end, ever_paid, next_month, lapse_month, solo, latest_start, latest_id, created_by_id, period_months, monthly_income, support_group, member_order, last_paid_on, last_amount) 
WITH m AS (
  SELECT e.id, e.person_id, e.scheme, e.area_id, e.created_by_id, e.period_months,
         e.monthly_income, e.support_group, e.member_order, e.paid, e.start_month,
         (CAST(substr(e.start_month, 1, 4) AS INTEGER) * 12 + CAST(substr(e.start_month, 6, 2) AS INTEGER) - 1) AS s
  FROM enrollments e
  WHERE 1 = 1
),
w AS (
  SELECT m.*,
         ROW_NUMBER() OVER (PARTITION BY person_id, scheme, area_id
                            ORDER BY start_month DESC, id DESC) AS rn,
         MAX(CASE WHEN paid THEN s + period_months END)
           OVER (PARTITION BY person_id, scheme, area_id) AS paid_end,
         MAX(CASE WHEN paid THEN 1 ELSE 0 END) OVER (PARTITION BY person_id, scheme, area_id)
           AS ever_paid,
         MIN(s) OVER (PARTITION BY person_id, scheme, area_id) AS first_s
  FROM m
),
daily AS (
  SELECT m.person_id, m.scheme, m.area_id, y.paid_on, SUM(y.amount) AS amount,
         RANK() OVER (PARTITION BY m.person_id, m.scheme, m.area_id ORDER BY y.paid_on DESC) AS rk
  FROM payments y JOIN m ON m.id = y.enrollment_id
  GROUP BY m.person_id, m.scheme, m.area_id, y.paid_on
)
SELECT w.person_id, w.scheme, w.area_id, w.first_s, w.paid_end, w.ever_paid,
       COALESCE(w.paid_end, w.first_s),
       COALESCE(w.paid_end, w.first_s)
         + CASE WHEN w.scheme = 'vsi' THEN CASE w.period_months WHEN 1 THEN 1 WHEN 3 THEN 3 WHEN 6 THEN 4 WHEN 12 THEN 7 ELSE 7 END ELSE 0 END,
       CASE WHEN COUNT(*) OVER (PARTITION BY w.person_id, w.scheme) = 1 THEN 1 ELSE 0 END,
       w.start_month, w.id, w.created_by_id, w.period_months,
       w.monthly_income, w.support_group, w.member_order, d.paid_on, d.amount
FROM w
LEFT JOIN daily d ON d.rk = 1 AND d.person_id = w.person_id AND d.scheme = w.scheme
  AND d.area_id = w.area_id
WHERE w.rn = 1
"""


def upgrade():
    op.create_table(
        "payer_chains",
        sa.Column("person_id", sa.String(length=36), nullable=False),
        sa.Column("scheme", sa.String(length=4), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("first_month", sa.Integer(), nullable=False),
        sa.Column("paid_end", sa.Integer(), nullable=True),
        sa.Column("ever_paid", sa.SmallInteger(), nullable=False),
        sa.Column("next_month", sa.Integer(), nullable=False),
        sa.Column("solo", sa.SmallInteger(), nullable=False),
        sa.Column("lapse_month", sa.Integer(), nullable=False),
        sa.Column("latest_start", sa.String(length=7), nullable=False),
        sa.Column("latest_id", sa.String(length=36), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("period_months", sa.Integer(), nullable=False),
        sa.Column("monthly_income", sa.Integer(), nullable=True),
        sa.Column("support_group", sa.String(length=16), nullable=True),
        sa.Column("member_order", sa.Integer(), nullable=True),
        sa.Column("last_paid_on", sa.Date(), nullable=True),
        sa.Column("last_amount", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"],
                                name=op.f("fk_payer_chains_area_id_areas")),
        sa.ForeignKeyConstraint(["person_id"], ["persons.id"],
                                name=op.f("fk_payer_chains_person_id_persons")),
        sa.PrimaryKeyConstraint("person_id", "scheme", "area_id", name=op.f("pk_payer_chains")),
    )
    op.create_index("ix_payer_chains_next", "payer_chains", ["area_id", "next_month"])
    op.create_index("ix_payer_chains_lapse", "payer_chains", ["area_id", "lapse_month"])
    op.create_index("ix_payer_chains_unpaid", "payer_chains", ["ever_paid", "scheme", "area_id"])
    op.create_index("ix_payer_chains_rows", "payer_chains", ["solo", "scheme", "next_month"])
    op.execute(_BACK_FILL)


def downgrade():
    op.drop_index("ix_payer_chains_rows", table_name="payer_chains")
    op.drop_index("ix_payer_chains_unpaid", table_name="payer_chains")
    op.drop_index("ix_payer_chains_lapse", table_name="payer_chains")
    op.drop_index("ix_payer_chains_next", table_name="payer_chains")
    op.drop_table("payer_chains")
