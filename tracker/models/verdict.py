"""Verdict history: every rating a claim was given, by whom, when and at which step."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.models.base import Base, utcnow
from tracker.models.enums import Rating
from tracker.models.types import enum_type

if TYPE_CHECKING:
    from tracker.models.claim import Claim
    from tracker.models.user import User


class VerdictEvent(StrEnum):
    PROPOSED = "proposed"
    PUBLISHED = "published"
    UPDATED = "updated"
    # The wording of a public claim (its text or English summary) was corrected; the verdict
    # stays. Public, dated and with a note, like an update.
    CORRECTED = "corrected"
    RETRACTED = "retracted"


#: Changes to a public claim after its publication that readers see as dated updates.
CHANGE_EVENTS = (VerdictEvent.UPDATED, VerdictEvent.CORRECTED)


class Verdict(Base):
    __tablename__ = "verdicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    rating: Mapped[Rating | None] = mapped_column(enum_type(Rating, "verdict_rating"))
    rationale: Mapped[str | None] = mapped_column(Text)
    event: Mapped[VerdictEvent] = mapped_column(enum_type(VerdictEvent, "verdict_event"))
    # The public correction or update note that goes with a published change.
    note: Mapped[str | None] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="verdicts")
    by: Mapped[User | None] = relationship()

    @property
    def is_public(self) -> bool:
        return self.event != VerdictEvent.PROPOSED
