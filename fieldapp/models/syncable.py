"""Columns every synced record carries (docs/data-model.md)."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from .base import UTCDateTime, utcnow


class Synced:
    """Mixin: a record made on a device, identified by the device's UUID.

    ``version`` counts accepted writes of the record's data; server-owned fields (review
    state, referral status) change without bumping it so a device's next edit never conflicts.
    ``area_id`` is the area the record belongs to, denormalised so scope checks and the change
    feed never need to walk references.
    """

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    version: Mapped[int] = mapped_column(default=1)
    client_time: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    device_id: Mapped[str | None] = mapped_column(String(36))

    @declared_attr
    def created_by_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"), index=True)

    @declared_attr
    def area_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("areas.id"), index=True)
