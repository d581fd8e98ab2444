"""Archiving URLs as snapshots; a failed fetch is kept too, so it can be shown and retried."""

from __future__ import annotations

import gzip
import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from tracker.capture import Capture, CaptureError, CaptureSettings, capture_url
from tracker.capture.store import BodyStore, DatabaseStore, StoreError, read_body
from tracker.models import Appearance, Snapshot, utcnow

log = logging.getLogger(__name__)


@dataclass
class CaptureOutcome:
    """The stored snapshot, and the capture itself when the page could be read."""

    snapshot: Snapshot
    capture: Capture | None
    error: CaptureError | None

    @property
    def ok(self) -> bool:
        return self.capture is not None


def _day(value: date | datetime | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def keep_body(snapshot: Snapshot, compressed: bytes, size: int, store: BodyStore) -> None:
    """Put the gzip body where the store says; in the row itself when the store fails,
    so that a page is never lost because the bucket was unreachable."""
    snapshot.raw_size = size
    try:
        snapshot.raw_location = store.put(snapshot.sha256 or "unknown", compressed)
    except StoreError as error:
        log.warning("snapshot body kept in the database instead: %s", error)
        snapshot.raw_location = None
    if snapshot.raw_location is None:
        snapshot.raw_compressed = compressed


def snapshot_from_capture(capture: Capture, store: BodyStore) -> Snapshot:
    snapshot = Snapshot(
        original_url=capture.url,
        final_url=capture.final_url,
        fetched_at=capture.fetched_at,
        http_status=capture.status,
        content_type=capture.content_type,
        sha256=capture.sha256,
        title=capture.title,
        byline=capture.byline,
        site_name=capture.site_name,
        published_date=_day(capture.published),
        language=capture.language,
        text=capture.text,
    )
    keep_body(snapshot, capture.html_gzip, capture.html_size, store)
    return snapshot


def snapshot_from_error(url: str, error: CaptureError, store: BodyStore) -> Snapshot:
    fetched = error.fetched
    snapshot = Snapshot(
        original_url=url,
        final_url=fetched.final_url if fetched else None,
        fetched_at=fetched.fetched_at if fetched else utcnow(),
        http_status=fetched.status if fetched else getattr(error, "status", None),
        content_type=fetched.content_type if fetched else None,
        sha256=fetched.sha256 if fetched else None,
        error_code=error.code,
        error_message=str(error)[:2000],
    )
    if fetched is not None and fetched.body:
        # Keep the evidence (a PDF, an image, an unreadable page) even without text.
        compressed = gzip.compress(fetched.body, compresslevel=6, mtime=0)
        keep_body(snapshot, compressed, len(fetched.body), store)
    return snapshot


def capture_snapshot(
    session: Session, url: str, settings: CaptureSettings, store: BodyStore | None = None
) -> CaptureOutcome:
    """Fetch `url` and store its snapshot (or the failure). Never raises CaptureError."""
    store = store or DatabaseStore()
    try:
        capture = capture_url(url, settings=settings)
    except CaptureError as error:
        snapshot = snapshot_from_error(url, error, store)
        session.add(snapshot)
        session.flush()
        return CaptureOutcome(snapshot, None, error)
    snapshot = snapshot_from_capture(capture, store)
    session.add(snapshot)
    session.flush()
    return CaptureOutcome(snapshot, capture, None)


def raw_html(snapshot: Snapshot, s3_options: dict[str, object] | None = None) -> bytes | None:
    """The archived body, from the row or from the store it was written to."""
    if snapshot.raw_compressed is not None:
        return gzip.decompress(snapshot.raw_compressed)
    if snapshot.raw_location:
        return gzip.decompress(read_body(snapshot.raw_location, s3_options))
    return None


def recapture(
    session: Session,
    appearance: Appearance,
    settings: CaptureSettings,
    store: BodyStore | None = None,
) -> CaptureOutcome:
    """Fetch an appearance's URL again (after a failure, or to archive a newer version)."""
    outcome = capture_snapshot(session, appearance.url, settings, store)
    appearance.snapshot = outcome.snapshot
    if outcome.capture is not None and not appearance.title:
        appearance.title = outcome.capture.title
    session.flush()
    return outcome
