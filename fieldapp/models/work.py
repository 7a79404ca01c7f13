"""Field work: visits, sign-ups (enrollments), referrals and group outreach sessions."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from sync.protocol import REFERRAL_STATUSES, REVIEW_STATUSES  # noqa: F401 (models' names)

from ..extensions import db
from .base import JSONType, UTCDateTime
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
                            "created_by_id", "outcome", "visited_at"))
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
    __table_args__ = (Index("ix_enrollments_visit_review", "visit_id"),)
    person_id: Mapped[str] = mapped_column(ForeignKey("persons.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(4))
    start_month: Mapped[str] = mapped_column(String(7), index=True)  # YYYY-MM
    period_months: Mapped[int] = mapped_column()
    amount_due: Mapped[int] = mapped_column()
    visit_id: Mapped[str | None] = mapped_column(ForeignKey("visits.id"))
    monthly_income: Mapped[int | None] = mapped_column()
    support_group: Mapped[str | None] = mapped_column(String(16))
    member_order: Mapped[int | None] = mapped_column()
    receipt_no: Mapped[str | None] = mapped_column(String(40))
    paid: Mapped[bool] = mapped_column(default=False)
    monthly_amount: Mapped[int | None] = mapped_column()
    monthly_support: Mapped[int | None] = mapped_column()
    policy_set_id: Mapped[int | None] = mapped_column(ForeignKey("policy_parameter_sets.id"))
    # Server-owned: new / renewed / resumed (docs/premiums.md), what the office counts apart.
    # NULL on rows written before the server classified sign-ups.
    kind: Mapped[str | None] = mapped_column(String(8))

    person = relationship("Person")


class Referral(Synced, db.Model):
    __tablename__ = "referrals"
    contact_name: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(24))
    household_id: Mapped[str | None] = mapped_column(ForeignKey("households.id"))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    address: Mapped[str | None] = mapped_column(String(300))
    note: Mapped[str | None] = mapped_column(String(1000))
    # Server-owned.
    status: Mapped[str] = mapped_column(String(10), default="new", index=True)
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    area = relationship("Area")
    created_by = relationship("User", foreign_keys="Referral.created_by_id")
    assigned_to = relationship("User", foreign_keys=[assigned_to_id])


class Outreach(Synced, db.Model):
    """A group session: a customer conference or a small-group talk."""

    __tablename__ = "outreach"
    kind: Mapped[str] = mapped_column(String(16))
    held_at: Mapped[datetime] = mapped_column(UTCDateTime)
    attendees: Mapped[int] = mapped_column()
    leads: Mapped[int | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(String(1000))

    area = relationship("Area")
