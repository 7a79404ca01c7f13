"""The sync change feed (docs/protocol.md); the algorithm that fills and reads it is sync/merge.py.

Each record has one live row here, moved to a fresh sequence number on every change, plus a
tombstone row for every scope it has left. Sequence numbers come from a counter row that is
updated last in the writing transaction: the row lock orders writers, so numbers are handed
out in commit order and a reader never skips a change that commits late (see sync/merge.py).
"""
from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Change(db.Model):
    __tablename__ = "changes"
    # (area_id, seq): a pull of a few areas reads each one's changes in order (syncserver/feed.py).
    __table_args__ = (Index("ix_changes_record", "record_id", "deleted"),
                      Index("ix_changes_area_seq", "area_id", "seq"))
    id: Mapped[int] = mapped_column(BigInteger().with_variant(db.Integer, "sqlite"), primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    record_type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[str] = mapped_column(String(36))
    area_id: Mapped[int] = mapped_column()
    owner_id: Mapped[int | None] = mapped_column()
    deleted: Mapped[bool] = mapped_column(default=False)


class Counter(db.Model):
    """Named counters; 'changes' hands out change-feed sequence numbers."""

    __tablename__ = "counters"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)
