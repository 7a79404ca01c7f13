"""Administrative areas and the collection network that works in them."""
from datetime import date

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db

#: Levels from the top. Since July 2025 there are no districts, but older trees keep them.
LEVELS = ("province", "district", "commune", "village")


class Area(db.Model):
    """A node of the area tree, valid over a span of dates.

    Codes are never reused: a merged commune gets ``valid_to`` and its villages move under the
    new commune, while records made earlier keep pointing at the area they were made in.
    """

    __tablename__ = "areas"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    valid_from: Mapped[date | None] = mapped_column(db.Date)
    valid_to: Mapped[date | None] = mapped_column(db.Date)
    # A province-level centrally-run city (thành phố trực thuộc trung ương, e.g. Hai Phong):
    # its reports say "toàn thành phố" where a province's say "toàn tỉnh".
    central_city: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    parent = relationship("Area", remote_side=[id], backref="children")

    def __repr__(self):
        return f"<Area {self.code} {self.name}>"


#: Kinds of collection service organization (labels in web/labels.py via network.po).
ORGANIZATION_KINDS = ("post_office", "cooperative_union", "commune_committee", "insurer", "other")


class Organization(db.Model):
    """A collection service organization (post office, cooperative union, commune committee)."""

    __tablename__ = "organizations"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32), default="other")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    active: Mapped[bool] = mapped_column(default=True)
    #: How many working days a collector may hold cash before handing it over (the
    #: reconciliation flags money held longer; reports/money.py).
    cash_limit_days: Mapped[int] = mapped_column(default=1, server_default="1")

    area = relationship("Area")


class CollectionPoint(db.Model):
    """An organization's collection point (điểm thu), code 001–999 within a commune."""

    __tablename__ = "collection_points"
    __table_args__ = (UniqueConstraint("area_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    code: Mapped[str] = mapped_column(String(3))
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))

    organization = relationship("Organization", backref="collection_points")
    area = relationship("Area")


class CoordinationProgram(db.Model):
    """A three-party coordination program (organization, grassroots office, commune People's
    Committee) for one commune; recorded while being prepared (``signed`` false) and once signed.
    """

    __tablename__ = "coordination_programs"
    __table_args__ = (UniqueConstraint("area_id", "organization_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    signed: Mapped[bool] = mapped_column(default=True, server_default=sa_true())
    signed_on: Mapped[date | None] = mapped_column(db.Date)
    document_ref: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(String(500))

    area = relationship("Area")
    organization = relationship("Organization")

