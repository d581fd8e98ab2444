"""Cross-references: links the app proposes between a claim and an article, figure or claim.

Each carries a score, the method that found it and a human-readable reason; a person
confirms or rejects it, and only confirmed links are public.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from tracker.models.base import Base, utcnow
from tracker.models.enums import FigureRelation, LinkStatus
from tracker.models.types import enum_type

if TYPE_CHECKING:
    from tracker.models.article import Article
    from tracker.models.claim import Claim
    from tracker.models.figure import Figure
    from tracker.models.user import User


class LinkMixin:
    """The columns every kind of cross-reference shares."""

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    status: Mapped[LinkStatus] = mapped_column(
        enum_type(LinkStatus, "link_status"), default=LinkStatus.SUGGESTED
    )
    score: Mapped[float | None] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(50), default="manual")
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    # In a declared_attr `cls` is the mapped subclass and cls.claim_id its column; mypy types
    # `cls` as an instance, so it reads the column as an int.
    @declared_attr
    def claim(cls) -> Mapped[Claim]:
        return relationship(foreign_keys=[cls.claim_id])  # type: ignore[list-item]

    @declared_attr
    def decided_by(cls) -> Mapped[User | None]:
        return relationship(foreign_keys=[cls.decided_by_id])  # type: ignore[list-item]


class ClaimArticleLink(LinkMixin, Base):
    __tablename__ = "claim_article_links"
    __table_args__ = (UniqueConstraint("claim_id", "article_id"),)

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    article: Mapped[Article] = relationship()


class ClaimFigureLink(LinkMixin, Base):
    __tablename__ = "claim_figure_links"
    __table_args__ = (UniqueConstraint("claim_id", "figure_id", "stated_text"),)

    figure_id: Mapped[int] = mapped_column(ForeignKey("figures.id", ondelete="CASCADE"), index=True)
    # The number as the claim states it, and how it compares with the figure.
    stated_text: Mapped[str] = mapped_column(String(255), default="")
    stated_value: Mapped[float | None] = mapped_column(Float)
    relation: Mapped[FigureRelation | None] = mapped_column(
        enum_type(FigureRelation, "figure_relation")
    )
    ratio: Mapped[float | None] = mapped_column(Float)
    figure: Mapped[Figure] = relationship()


class ClaimLink(LinkMixin, Base):
    """Two claims that say the same thing (for example in two languages)."""

    __tablename__ = "claim_links"
    __table_args__ = (
        UniqueConstraint("claim_id", "other_claim_id"),
        CheckConstraint("claim_id <> other_claim_id", name="not_self"),
    )

    other_claim_id: Mapped[int] = mapped_column(
        ForeignKey("claims.id", ondelete="CASCADE"), index=True
    )
    other_claim: Mapped[Claim] = relationship(foreign_keys=[other_claim_id])
