"""Field work: visits, sign-ups (enrollments), referrals and group outreach sessions."""
from datetime import date, datetime

from sqlalchemy import DDL, BigInteger, ForeignKey, Index, SmallInteger, String, UniqueConstraint, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sync.protocol import REFERRAL_STATUSES, REVIEW_STATUSES  # noqa: F401 (models' names)

from ..extensions import db
from .base import JSONType, UTCDateTime, utcnow
from .households import Person
from .syncable import Synced


class Visit(Synced, db.Model):
    __tablename__ = "visits"
    # The review queue (supervisor/review_queue.py): a status read newest synced first, and
    # the same within one area (counts per status, a village's or a commune's queue). The
    # queue's filters (collector, outcome, visit time) ride along at the end, so counting and
    # cutting a filtered page read the index alone, never the table.
    __table_args__ = (Index("ix_visits_queue", "review_status", "received_at", "id", "created_by_id",
                            "outcome", "visited_at"),
                      Index("ix_visits_area_queue", "area_id", "review_status", "received_at", "id",
                            "created_by_id", "outcome", "visited_at"),
                      # The month's visits read from the index alone (monthly synthesis,
                      # docs/synthesis.md): else each row is a random read across a year's table.
                      Index("ix_visits_month", "visited_at", "created_by_id", "area_id",
                            "household_id"))
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    topics: Mapped[list] = mapped_column(JSONType, default=list)
    follow_up_on: Mapped[date | None] = mapped_column(db.Date)
    referral_id: Mapped[str | None] = mapped_column(ForeignKey("referrals.id"))
    note: Mapped[str | None] = mapped_column(String(1000))
    lat: Mapped[float | None] = mapped_column()
    lon: Mapped[float | None] = mapped_column()
    accuracy_m: Mapped[float | None] = mapped_column()
    # Server-owned review state (docs/protocol.md §10: reaches devices under "server").
    review_status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    review_note: Mapped[str | None] = mapped_column(String(1000))
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    household = relationship("Household")
    created_by = relationship("User", foreign_keys="Visit.created_by_id")
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])


class Enrollment(Synced, db.Model):
    """A sign-up with its premium, computed with the parameter set in force at start_month."""

    __tablename__ = "enrollments"
    # A visit's review page lists the sign-ups made in it (supervisor/review_queue.py).
    # The moment a sign-up was made, as the reports count it, with what they group by.
    # A person's sign-ups per scheme in order, with what the payer states read of them: the
    # payers lists and the synthesis's payers kept and lost walk this index (reports/payers.py).
    __table_args__ = (Index("ix_enrollments_visit_review", "visit_id"),
                      Index("ix_enrollments_made", text("coalesce(client_time, received_at)"),
                            "created_by_id", "area_id", "scheme", "kind", "person_id"),
                      Index("ix_enrollments_payer_chain", "person_id", "scheme", "start_month",
                            "area_id", "created_by_id", "period_months", "paid"))
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(4))
    start_month: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM
    period_months: Mapped[int] = mapped_column()
    amount_due: Mapped[int] = mapped_column()
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id"))
    monthly_income: Mapped[int | None] = mapped_column()
    support_group: Mapped[str | None] = mapped_column(String(16))
    member_order: Mapped[int | None] = mapped_column()
    # HHI support group (near_poor / farming / student / elderly_no_pension), None for none.
    hhi_group: Mapped[str | None] = mapped_column(String(24))
    receipt_no: Mapped[str | None] = mapped_column(String(40))
    paid: Mapped[bool] = mapped_column(default=False)
    monthly_amount: Mapped[int | None] = mapped_column()
    monthly_support: Mapped[int | None] = mapped_column()
    policy_set_id: Mapped[int | None] = mapped_column(ForeignKey("policy_parameter_sets.id"))
    # Server-owned: new / renewed / resumed (docs/premiums.md), what the office counts apart.
    # NULL on rows written before the server classified sign-ups.
    kind: Mapped[str | None] = mapped_column(String(8))
    # Server-owned: the month of the first accepted version's client time (the start window's
    # reference, docs/premiums.md); edits keep it. NULL on rows written before #14.
    made_month: Mapped[str | None] = mapped_column(String(7))

    person = relationship("Person")


class Referral(Synced, db.Model):
    __tablename__ = "referrals"
    __table_args__ = (
        # The referral page (reports/referrals.py): its figures read this index alone; its
        # open list walks received_at oldest first.
        db.Index("ix_referrals_desk", "area_id", "created_by_id", "status", "received_at",
                 "visited_at"),
        db.Index("ix_referrals_received_at", "received_at"),
        # The monthly synthesis: a month's referrals by when they were made, from the index
        # alone (docs/synthesis.md), not every referral of the country.
        db.Index("ix_referrals_made", text("coalesce(client_time, received_at)"),
                 "assigned_to_id", "area_id", "status"),
    )
    contact_name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(24))
    household_id: Mapped[str | None] = mapped_column(ForeignKey("households.id"))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(String(1000))
    # Pushed by a collector to close the referral (sync/protocol.py CLOSE_REASONS).
    close_reason: Mapped[str | None] = mapped_column(String(16))
    # Server-owned (syncserver/referrals.py): the status and when it reached each step, so
    # the village head sees every change with its date and the desk page ages open ones.
    status: Mapped[str] = mapped_column(String(10), default="new", index=True)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    visited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    area = relationship("Area")
    created_by = relationship("User", foreign_keys="Referral.created_by_id")
    assigned_to = relationship("User", foreign_keys=[assigned_to_id])


class Outreach(Synced, db.Model):
    """A group session: a customer conference or a small-group talk."""

    __tablename__ = "outreach"
    __table_args__ = (Index("ix_outreach_month", "held_at", "created_by_id", "area_id", "attendees"),)
    kind: Mapped[str] = mapped_column(String(16))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attendees: Mapped[int] = mapped_column()
    leads: Mapped[int | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(String(1000))

    area = relationship("Area")


class Payment(Synced, db.Model):
    """Money a collector took for an enrollment's period, with the receipt (biên lai) given.

    Its area is its enrollment's. The receipt number is unique within the collector's
    collection organization (``organization_id``, copied from the collector when stored, so
    a later move of the collector never re-files old receipts), except that one receipt may
    cover several HHI members of one household paid the same day (syncserver/checks.py).
    """

    __tablename__ = "payments"
    __table_args__ = (Index("ix_payments_receipt", "organization_id", "receipt_no"),
                      Index("ix_payments_org_day", "organization_id", "paid_on"))
    enrollment_id: Mapped[str] = mapped_column(ForeignKey("enrollments.id"), index=True)
    amount: Mapped[int] = mapped_column()
    paid_on: Mapped[date] = mapped_column(db.Date, index=True)
    receipt_no: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(8))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    #: Server-owned: the day the collector handed this money to the organization (a
    #: remittance covering it); the phone sums its cash not yet handed over.
    remitted_on: Mapped[date | None] = mapped_column(db.Date)

    enrollment = relationship("Enrollment")
    created_by = relationship("User", foreign_keys="Payment.created_by_id")


class Task(Synced, db.Model):
    """Work the server hands to the collectors of an area: a payment falling due, a payer who
    lapsed, a follow-up. Made at the desk (supervisor/payers.py); collectors push only
    ``done`` (syncserver/checks.py ``task_only_done``)."""

    __tablename__ = "tasks"
    kind: Mapped[str] = mapped_column(String(16))
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    person_id: Mapped[str | None] = mapped_column(ForeignKey("persons.id"), index=True)
    due_on: Mapped[date | None] = mapped_column(db.Date)
    amount: Mapped[int | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(String(1000))
    done: Mapped[bool] = mapped_column(default=False)


class Remittance(db.Model):
    """A hand-over of money and receipts: a collector to their organization (``collector_id``
    set) or the organization to the social-insurance office (``collector_id`` NULL)."""

    __tablename__ = "remittances"
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    collector_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    remitted_on: Mapped[date] = mapped_column(db.Date, index=True)
    amount: Mapped[int] = mapped_column()
    reference: Mapped[str | None] = mapped_column(String(100))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RemittedPayment(db.Model):
    """Which payments (receipts) a remittance covers; a payment is remitted once per step
    (collector -> organization, organization -> office): the unique key says so."""

    __tablename__ = "remitted_payments"
    __table_args__ = (UniqueConstraint("payment_id", "to_office"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    remittance_id: Mapped[int] = mapped_column(ForeignKey("remittances.id"), index=True)
    payment_id: Mapped[str] = mapped_column(ForeignKey("payments.id"))
    to_office: Mapped[bool] = mapped_column(default=False)


class PayerChain(db.Model):
    """A person's sign-ups of one scheme in one area, summed up for the payer states
    (reports/payers.py): what the states need of them, kept by the same transactions that
    write enrollments and payments (syncserver/payerchains.py), so the desk's lists read a
    range of ``next_month`` instead of judging every sign-up of a province on each request.

    One row per (person, scheme, area): a person's sign-ups normally lie in one village, but
    a list for some areas judges only the sign-ups in those areas, and each of these sums
    (latest, maximum, minimum) combines over the rows of the areas asked for. Months are
    indexes (year × 12 + month − 1) as the states' SQL counts them.
    """

    __tablename__ = "payer_chains"
    # The lists: an area's payers whose next period starts, or who lapse, in a range of
    # months; and HHI sign-ups never paid (due whatever their month).
    __table_args__ = (Index("ix_payer_chains_next", "area_id", "next_month"),
                      Index("ix_payer_chains_lapse", "area_id", "lapse_month"),
                      Index("ix_payer_chains_unpaid", "ever_paid", "scheme", "area_id"),
                      # The few persons with rows in several areas, read apart.
                      Index("ix_payer_chains_rows", "solo", "scheme", "next_month"),
                      # The synthesis's payers kept and lost: a person's only row, per
                      # scheme and area, from the index alone (a VSI row that lapses in a
                      # month or later: a range of lapse_month; an HHI row with what its
                      # state reads). Led by ``solo`` so that the households with several
                      # HHI rows are found in ix_payer_chains_household's order.
                      Index("ix_payer_chains_solo", "solo", "scheme", "area_id", "lapse_month",
                            "first_month", "created_by_id", "person_id", "ever_paid",
                            "household_id"),
                      # ... and the few rows of persons with rows in several areas, in chain
                      # order (partial: SQLite's statistics then tell how few they are).
                      Index("ix_payer_chains_shared", "person_id", "scheme", "area_id",
                            sqlite_where=text("solo = 0"), postgresql_where=text("solo = 0")),
                      # An HHI household's members' rows, judged together (the lists), and
                      # whether a household has rows of other members (the synthesis).
                      Index("ix_payer_chains_household", "household_id", "scheme", "area_id",
                            "person_id"))
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(4), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    first_month: Mapped[int] = mapped_column()          # the earliest sign-up's start
    paid_end: Mapped[int | None] = mapped_column()      # the end of the latest paid period
    ever_paid: Mapped[int] = mapped_column(SmallInteger)  # 1 if any sign-up is paid, else 0
    next_month: Mapped[int] = mapped_column()           # paid_end, or first_month if none
    #: 1 when this is the person's only row of the scheme (the usual case: a person's
    #: sign-ups follow the person's village), so it is the chain as it stands.
    solo: Mapped[int] = mapped_column(SmallInteger)
    #: The month this row's chain lapses in, if it is the person's only row: VSI next_month
    #: plus the window of its period; HHI next_month (no grace).
    lapse_month: Mapped[int] = mapped_column()
    # The latest sign-up (by start month, then id) and what the states and amounts read of it.
    latest_start: Mapped[str] = mapped_column(String(7))
    latest_id: Mapped[str] = mapped_column(String(36))
    created_by_id: Mapped[int | None] = mapped_column()
    period_months: Mapped[int] = mapped_column()
    monthly_income: Mapped[int | None] = mapped_column()
    support_group: Mapped[str | None] = mapped_column(String(16))
    member_order: Mapped[int | None] = mapped_column()
    # The latest day one of these sign-ups was paid, and the sum paid for them that day.
    last_paid_on: Mapped[date | None] = mapped_column(db.Date)
    last_amount: Mapped[int | None] = mapped_column(BigInteger)
    #: Copies of the person's ``household_id`` and ``ended_on`` (migration ``b15e8d2f4a63``):
    #: the states judge an HHI household over its members' rows, and every payer's end by
    #: the day judged, without a join through ``persons`` (47,000 key lookups for a
    #: province's due list); the synthesis's payers kept and lost group a household's members
    #: by it. Written with the rows; a person's move to another household is also carried by
    #: a trigger on ``persons`` (``PERSON_HOUSEHOLD_TRIGGERS``), whatever path writes it, and
    #: the desk's "no longer pays" rewrites its person (syncserver/payerchains.py ``follow``).
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"))
    ended_on: Mapped[date | None] = mapped_column(db.Date)


# A person moved to another household takes their payer rows along, in the statement that
# moves them: every path that writes persons (a push, the desk, imports, tests through the
# ORM) keeps payer_chains.household_id, and nothing can forget to. Beware: Alembic's
# ``batch_alter_table`` on SQLite rebuilds a table by copying it, which drops its triggers; a
# later migration that alters ``persons`` that way must create them again. On PostgreSQL the
# trigger first takes the person's advisory lock that syncserver/payerchains.py ``refresh``
# takes, so a push moving a person and another rewriting their rows queue in one order.
PERSON_HOUSEHOLD_TRIGGERS = {
    "sqlite": [
        """CREATE TRIGGER IF NOT EXISTS trg_payer_chains_household
AFTER UPDATE OF household_id ON persons
WHEN old.household_id IS NOT new.household_id
BEGIN
  UPDATE payer_chains SET household_id = new.household_id WHERE person_id = new.id;
END"""],
    "postgresql": [
        """CREATE OR REPLACE FUNCTION payer_chains_household() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('payer:' || NEW.id));
  UPDATE payer_chains SET household_id = NEW.household_id WHERE person_id = NEW.id;
  RETURN NULL;
END $$""",
        "DROP TRIGGER IF EXISTS trg_payer_chains_household ON persons",
        "CREATE TRIGGER trg_payer_chains_household AFTER UPDATE OF household_id ON persons "
        "FOR EACH ROW WHEN (OLD.household_id IS DISTINCT FROM NEW.household_id) "
        "EXECUTE FUNCTION payer_chains_household()"],
}


def _attach_person_household(persons_table):
    """Tables made by db.create_all() (tests, the benchmarks, init-db's adoption) get the
    trigger as soon as ``persons`` exists (its body names payer_chains, resolved when it
    runs)."""
    for dialect, statements in PERSON_HOUSEHOLD_TRIGGERS.items():
        for statement in statements:
            event.listen(persons_table, "after_create",
                         DDL(statement.replace("%", "%%")).execute_if(dialect=dialect))


_attach_person_household(Person.__table__)
