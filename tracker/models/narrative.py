"""Narratives (recurring storylines) and countries, both tagged onto claims."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.models.base import Base, utcnow

claim_narratives = Table(
    "claim_narratives",
    Base.metadata,
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "narrative_id",
        ForeignKey("narratives.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)

claim_countries = Table(
    "claim_countries",
    Base.metadata,
    Column("claim_id", ForeignKey("claims.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "country_code",
        ForeignKey("countries.code", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Narrative(Base):
    __tablename__ = "narratives"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]
    # Set when merged into another narrative: its old public address leads there.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("narratives.id"))

    def __repr__(self) -> str:
        return f"<Narrative {self.slug}>"


class Country(Base):
    """A country a claim concerns, by ISO 3166-1 alpha-2 code."""

    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)

    def __repr__(self) -> str:
        return f"<Country {self.code}>"
