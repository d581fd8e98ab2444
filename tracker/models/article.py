"""Debunk articles: published articles (ours or others') that address claims."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.appearance import URL_LIMIT, Snapshot
from tracker.models.base import Base, JSONDocument, utcnow
from tracker.models.enums import Rating
from tracker.models.types import enum_type


class Article(Base):
    __tablename__ = "articles"
    __table_args__ = (CheckConstraint("length(title) > 0", name="title_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str | None] = mapped_column(String(URL_LIMIT), unique=True)
    title: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(String(255), index=True)
    author: Mapped[str | None] = mapped_column(String(255))
    published_on: Mapped[date | None]
    language: Mapped[str | None] = mapped_column(String(8))
    text: Mapped[str | None] = mapped_column(Text)
    # The short statement of the claim the article refutes ("claim it refutes").
    claim_statement: Mapped[str | None] = mapped_column(Text)
    is_ours: Mapped[bool] = mapped_column(default=False)
    # Another organisation's rating exactly as written, and its mapping onto our scale.
    rating_text: Mapped[str | None] = mapped_column(String(500))
    rating: Mapped[Rating | None] = mapped_column(enum_type(Rating, "article_rating"))
    # How an import put rating_text on our scale (the rule, and how sure it was); empty
    # when the rating was set by hand.
    rating_rule: Mapped[str | None] = mapped_column(Text)
    rating_confidence: Mapped[float | None] = mapped_column(Float)
    claimreview: Mapped[Any | None] = mapped_column(JSONDocument)
    external_id: Mapped[str | None] = mapped_column(String(500), unique=True)
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    snapshot: Mapped[Snapshot | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self) -> str:
        return f"<Article {self.id} {self.title[:40]!r}>"
