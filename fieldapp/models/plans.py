"""The year's enrollment plan and the office's official participant counts."""
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import JSONType


class Plan(db.Model):
    """Target participants for a year, per area or per collection organization.

    ``monthly`` optionally splits the target: {"01": n, ..., "12": n} as cumulative targets.
    """

    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint("area_id", "organization_id", "year", "scheme", name="uq_plans_scope"),
        CheckConstraint("area_id IS NOT NULL OR organization_id IS NOT NULL", name="scope"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    year: Mapped[int] = mapped_column()
    scheme: Mapped[str] = mapped_column(String(4))
    target: Mapped[int] = mapped_column()
    # The year's target for new sign-ups: a separate figure, not target minus last December's
    # count (the office's plan for net participants and for new ones are set apart).
    new_participants: Mapped[int | None] = mapped_column()
    monthly: Mapped[dict | None] = mapped_column(JSONType)

    area = relationship("Area")
    organization = relationship("Organization")


class ParticipantCount(db.Model):
    """The social-insurance office's own participant count for an area and month (imported)."""

    __tablename__ = "participant_counts"
    __table_args__ = (UniqueConstraint("area_id", "month", "scheme", name="uq_counts_key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    scheme: Mapped[str] = mapped_column(String(4))
    participants: Mapped[int] = mapped_column()

    area = relationship("Area")
