"""Appearances (where a claim appeared) and snapshots (archived copies of fetched pages)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from tracker.models.base import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.claim import Claim
    from tracker.models.outlet import Outlet

URL_LIMIT = 2048


class Snapshot(Base):
    """The archived copy of one fetch of a URL; the original URL is always kept beside it."""

    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    original_url: Mapped[str] = mapped_column(String(URL_LIMIT))
    final_url: Mapped[str | None] = mapped_column(String(URL_LIMIT))
    fetched_at: Mapped[datetime] = mapped_column(default=utcnow)
    http_status: Mapped[int | None]
    content_type: Mapped[str | None] = mapped_column(String(255))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    byline: Mapped[str | None] = mapped_column(Text)
    site_name: Mapped[str | None] = mapped_column(String(255))
    published_date: Mapped[date | None]
    language: Mapped[str | None] = mapped_column(String(8))
    text: Mapped[str | None] = deferred(mapped_column(Text))
    # The raw body, compressed: in this row (kept out of ordinary queries), or in the
    # folder or bucket `raw_location` names (tracker/capture/store.py).
    raw_compressed: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    raw_location: Mapped[str | None] = mapped_column(String(1024))
    raw_size: Mapped[int | None] = mapped_column(Integer)
    # A failed fetch is recorded too, so it can be shown and retried.
    error_code: Mapped[str | None] = mapped_column(String(50))
    error_message: Mapped[str | None] = mapped_column(Text)

    @property
    def ok(self) -> bool:
        return self.error_code is None


class Appearance(Base):
    __tablename__ = "appearances"
    __table_args__ = (UniqueConstraint("claim_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(URL_LIMIT))
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id"), index=True)
    appeared_on: Mapped[date | None] = mapped_column(index=True)
    language: Mapped[str | None] = mapped_column(String(8))
    platform: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str | None] = mapped_column(Text)
    snapshot_id: Mapped[int | None] = mapped_column(ForeignKey("snapshots.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="appearances")
    outlet: Mapped[Outlet | None] = relationship()
    snapshot: Mapped[Snapshot | None] = relationship()
