"""The audit log: who changed which business record, when, from what to what.

``area_id`` is the area of the entity the entry touches (a synced record's area after the
change, an area itself), so an admin reads only the entries of the areas they reach
(admin/audit_views.py). Entries of no area (users, devices, premium parameters, imports,
exports, sign-ins) are read only by admins whose areas include every province. No foreign
key: the log never stands in the way of a change to the area tree.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import JSONType, UTCDateTime, utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(16))  # create, update, delete
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    before: Mapped[dict | None] = mapped_column(JSONType)
    after: Mapped[dict | None] = mapped_column(JSONType)
    area_id: Mapped[int | None] = mapped_column(index=True)
