"""Appearances (where a claim appeared) and snapshots (archived copies of fetched pages)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from tracker.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from tracker.models.claim import Claim
    from tracker.models.outlet import Outlet

URL_LIMIT = 2048

# Where a claim appeared: the code stored in `Appearance.platform` and its name.
PLATFORMS = {
    "web": "Web page",
    "telegram": "Telegram",
    "x": "X / Twitter",
    "facebook": "Facebook",
    "vk": "VKontakte",
    "youtube": "YouTube",
    "tiktok": "TikTok",
    "tv": "TV broadcast",
    "other": "Other",
}


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


# Every capture made of an appearance's link, kept when a later one fails or replaces it:
# the appearance points at its best snapshot, this table remembers all of them.
appearance_snapshots = Table(
    "appearance_snapshots",
    Base.metadata,
    Column("appearance_id", ForeignKey("appearances.id", ondelete="CASCADE"), primary_key=True),
    Column("snapshot_id", ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True),
    Column("added_at", UTCDateTime(), nullable=False, default=utcnow),
)


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
    # Every capture of this link (the current snapshot included once it was re-fetched).
    captures: Mapped[list[Snapshot]] = relationship(
        secondary=appearance_snapshots, order_by="Snapshot.id"
    )

    @property
    def capture_history(self) -> list[Snapshot]:
        """Every snapshot of this link, newest first: good copies and failed attempts."""
        found = {s.id: s for s in self.captures}
        if self.snapshot is not None:
            found.setdefault(self.snapshot.id, self.snapshot)
        return sorted(found.values(), key=lambda s: s.id, reverse=True)

    @property
    def failed_since_archived(self) -> Snapshot | None:
        """The newest failed attempt made after the archived copy, if the last fetch failed."""
        if self.snapshot is None or not self.snapshot.ok:
            return None
        newest = self.capture_history[0]
        return newest if not newest.ok and newest.id > self.snapshot.id else None
