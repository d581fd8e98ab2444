"""Figures: published numbers with their provenance, optionally broken down into parts."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.appearance import URL_LIMIT
from tracker.models.base import Base, utcnow
from tracker.models.enums import FigureKind, FigureQualifier
from tracker.models.types import enum_type

if TYPE_CHECKING:
    from tracker.models.article import Article


class Figure(Base):
    __tablename__ = "figures"
    __table_args__ = (
        CheckConstraint(
            "lower_bound IS NULL OR upper_bound IS NULL OR lower_bound <= upper_bound",
            name="bounds_ordered",
        ),
        CheckConstraint(
            "period_start IS NULL OR period_end IS NULL OR period_start <= period_end",
            name="period_ordered",
        ),
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What is counted: "foreign citizens recruited to fight for Russia".
    subject: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Float)
    lower_bound: Mapped[float | None] = mapped_column(Float)
    upper_bound: Mapped[float | None] = mapped_column(Float)
    qualifier: Mapped[FigureQualifier] = mapped_column(
        enum_type(FigureQualifier, "figure_qualifier"), default=FigureQualifier.EXACT
    )
    kind: Mapped[FigureKind] = mapped_column(
        enum_type(FigureKind, "figure_kind"), default=FigureKind.COUNT
    )
    unit: Mapped[str | None] = mapped_column(String(50))
    currency: Mapped[str | None] = mapped_column(String(3))
    period_start: Mapped[date | None]
    period_end: Mapped[date | None]
    place: Mapped[str | None] = mapped_column(String(255))
    # Who published the number, and whom they cite ("UK Ministry of Defence" citing "iStories").
    publisher: Mapped[str | None] = mapped_column(String(255))
    cited_source: Mapped[str | None] = mapped_column(String(255))
    source_url: Mapped[str | None] = mapped_column(String(URL_LIMIT))
    published_on: Mapped[date | None]
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)
    quote: Mapped[str | None] = mapped_column(Text)
    # Parts of a breakdown point at their total; `label` names the part.
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("figures.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str | None] = mapped_column(String(255))
    position: Mapped[int] = mapped_column(default=0)
    # The identifier the figure has where it was imported from, so re-imports match it.
    external_id: Mapped[str | None] = mapped_column(String(500), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    article: Mapped[Article | None] = relationship()
    parent: Mapped[Figure | None] = relationship(back_populates="parts", remote_side=[id])
    parts: Mapped[list[Figure]] = relationship(
        back_populates="parent", cascade="all, delete-orphan", order_by="Figure.position"
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def parts_total(self) -> float:
        return sum(part.value for part in self.parts)

    @property
    def remainder(self) -> float | None:
        """What the parts leave unaccounted for (negative when they exceed the total)."""
        if not self.parts:
            return None
        return self.value - self.parts_total

    def __repr__(self) -> str:
        return f"<Figure {self.id} {self.value:g} {self.subject[:40]!r}>"
