"""Effective-dated premium parameters (docs/premiums.md): data, never constants in code."""
from datetime import date, datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import JSONType, UTCDateTime, utcnow


class PolicyParameterSet(db.Model):
    """All parameters in force from ``effective_from`` until the next set starts.

    ``params`` holds the numbers (see fieldapp/rules/policy.py for the keys). A set that an
    enrollment used is never edited in place: a change is a new set, so payments keep the
    parameters in force when they were made.
    """

    __tablename__ = "policy_parameter_sets"
    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(db.Date, unique=True)
    params: Mapped[dict] = mapped_column(JSONType)
    note: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
