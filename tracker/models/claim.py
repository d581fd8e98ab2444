"""Claims: one assertion as it was made, with its workflow status and current verdict."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, utcnow
from tracker.models.enums import ClaimStatus, Rating
from tracker.models.narrative import Country, Narrative, claim_countries, claim_narratives
from tracker.models.types import enum_type

if TYPE_CHECKING:
    from tracker.models.appearance import Appearance
    from tracker.models.user import User
    from tracker.models.verdict import Verdict

TEXT_LIMIT = 10_000
SUMMARY_LIMIT = 2_000
RATIONALE_LIMIT = 20_000
CLAIMANT_LIMIT = 500


class Claim(Base):
    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("length(text) > 0", name="text_not_empty"),
        CheckConstraint("version > 0", name="version_positive"),
        # The review queue and public listings filter by status and sort by time.
        Index("ix_claims_status_published_at", "status", "published_at"),
        Index("ix_claims_language_fingerprint", "language", "fingerprint"),
        # Public lists are newest first by first appearance, paged by (first_seen, id).
        Index("ix_claims_first_seen_id", "first_seen", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(8))
    summary_en: Mapped[str | None] = mapped_column(Text)
    # Normalised text hash: finds near-identical claims in the same language at entry.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[ClaimStatus] = mapped_column(
        enum_type(ClaimStatus, "claim_status"), default=ClaimStatus.DRAFT
    )
    rating: Mapped[Rating | None] = mapped_column(enum_type(Rating, "claim_rating"))
    rationale: Mapped[str | None] = mapped_column(Text)
    correction_note: Mapped[str | None] = mapped_column(Text)
    first_seen: Mapped[date | None]
    # Who made the claim as the source names them: a person, an account, "social media
    # users". Outlets are where it appeared; a claimant need not be one.
    claimant: Mapped[str | None] = mapped_column(String(CLAIMANT_LIMIT))
    external_id: Mapped[str | None] = mapped_column(String(500), unique=True)

    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Incremented on every save; a save based on an older version is a conflict.
    version: Mapped[int] = mapped_column(default=1)

    appearances: Mapped[list[Appearance]] = relationship(
        back_populates="claim",
        cascade="all, delete-orphan",
        # Dated first, then the undated (SQLite sorts NULL first, PostgreSQL last: an
        # undated link headed the public page's list on one of them).
        order_by="(Appearance.appeared_on.asc().nulls_last(), Appearance.id)",
    )
    narratives: Mapped[list[Narrative]] = relationship(
        secondary=claim_narratives, order_by="Narrative.name"
    )
    countries: Mapped[list[Country]] = relationship(
        secondary=claim_countries, order_by="Country.name"
    )
    verdicts: Mapped[list[Verdict]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="Verdict.id"
    )
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_public(self) -> bool:
        """Published claims, and retracted ones that had been published, are public."""
        return self.deleted_at is None and (
            self.status == ClaimStatus.PUBLISHED
            or (self.status == ClaimStatus.RETRACTED and self.published_at is not None)
        )

    @property
    def first_appearance(self) -> Appearance | None:
        dated = [a for a in self.appearances if a.appeared_on is not None]
        if dated:
            return min(dated, key=lambda a: (a.appeared_on, a.id))
        return self.appearances[0] if self.appearances else None

    def __repr__(self) -> str:
        return f"<Claim {self.id} {self.status} {self.language}>"
