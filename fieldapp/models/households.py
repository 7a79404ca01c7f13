"""The household register: households and their members."""
from datetime import date

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .syncable import Synced


class Household(Synced, db.Model):
    __tablename__ = "households"
    # The review queue sorted by household walks households in name order and stops at a
    # page (supervisor/review_queue.py), the area checked from the index itself.
    __table_args__ = (Index("ix_households_head_name", "head_name", "id", "area_id"),)
    address: Mapped[str] = mapped_column(String(300))
    head_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(1000))
    #: Lower-case text without diacritics, so "nguyen van an" finds "Nguyễn Văn An".
    search_text: Mapped[str] = mapped_column(String(600), default="")

    area = relationship("Area")
    members = relationship("Person", back_populates="household", lazy="select")


class Person(Synced, db.Model):
    __tablename__ = "persons"
    # The few persons who ended, by day (the synthesis's payers kept and lost leave them out
    # without looking every payer's person up).
    __table_args__ = (Index("ix_persons_ended", "ended_on", "id"),)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    birth_date: Mapped[date] = mapped_column(db.Date)
    sex: Mapped[str] = mapped_column(String(8))
    personal_id: Mapped[str | None] = mapped_column(String(12), index=True)
    si_code: Mapped[str | None] = mapped_column(String(10))
    phone: Mapped[str | None] = mapped_column(String(20))
    relation: Mapped[str | None] = mapped_column(String(16))
    coverage: Mapped[str | None] = mapped_column(String(16))
    #: Server-owned, set at the desk: why the person no longer pays (moved_away, died,
    #: compulsory_si) and since when. An ended person is never "lapsed" (reports/payers.py).
    ended_reason: Mapped[str | None] = mapped_column(String(16))
    ended_on: Mapped[date | None] = mapped_column(db.Date)

    household = relationship("Household", back_populates="members")
