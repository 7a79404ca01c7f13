"""Users (people who sign in) and the devices they paired."""
import hashlib
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import UTCDateTime, utcnow

ROLES = ("admin", "supervisor", "collector", "village_head")

user_areas = Table(
    "user_areas",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("areas.id"), primary_key=True),
)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(16))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    #: The collection point a collector works from (the monthly synthesis counts per point).
    collection_point_id: Mapped[int | None] = mapped_column(ForeignKey("collection_points.id"))
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    #: Copied into a web session at sign-in; sign-out and a password reset add one, which
    #: ends every web session holding the old number (fieldapp/auth/sessions.py).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    areas = relationship("Area", secondary=user_areas, lazy="selectin")
    organization = relationship("Organization")
    collection_point = relationship("CollectionPoint")

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def is_active(self):
        return self.active

    def __repr__(self):
        return f"<User {self.username} {self.role}>"


def hash_token(token):
    """Device tokens are long random strings, so a fast hash is enough (no salt needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


class Device(db.Model):
    """A paired phone or laptop. Its token is stored only as a hash and can be revoked."""

    __tablename__ = "devices"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outbox_depth: Mapped[int | None] = mapped_column()
    app_version: Mapped[str | None] = mapped_column(String(40))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", backref="devices")
