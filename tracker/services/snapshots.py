"""Archiving URLs as snapshots; a failed fetch is kept too, so it can be shown and retried."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from tracker.capture import Capture, CaptureError, CaptureSettings, capture_url
from tracker.models import Appearance, Snapshot, utcnow


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


def snapshot_from_capture(capture: Capture) -> Snapshot:
    return Snapshot(
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
        raw_compressed=capture.html_gzip,
        raw_size=capture.html_size,
    )


def snapshot_from_error(url: str, error: CaptureError) -> Snapshot:
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
        snapshot.raw_compressed = gzip.compress(fetched.body, compresslevel=6, mtime=0)
        snapshot.raw_size = len(fetched.body)
    return snapshot


def capture_snapshot(session: Session, url: str, settings: CaptureSettings) -> CaptureOutcome:
    """Fetch `url` and store its snapshot (or the failure). Never raises CaptureError."""
    try:
        capture = capture_url(url, settings=settings)
    except CaptureError as error:
        snapshot = snapshot_from_error(url, error)
        session.add(snapshot)
        session.flush()
        return CaptureOutcome(snapshot, None, error)
    snapshot = snapshot_from_capture(capture)
    session.add(snapshot)
    session.flush()
    return CaptureOutcome(snapshot, capture, None)


def raw_html(snapshot: Snapshot) -> bytes | None:
    if snapshot.raw_compressed is None:
        return None
    return gzip.decompress(snapshot.raw_compressed)


def recapture(
    session: Session, appearance: Appearance, settings: CaptureSettings
) -> CaptureOutcome:
    """Fetch an appearance's URL again (after a failure, or to archive a newer version)."""
    outcome = capture_snapshot(session, appearance.url, settings)
    appearance.snapshot = outcome.snapshot
    if outcome.capture is not None and not appearance.title:
        appearance.title = outcome.capture.title
    session.flush()
    return outcome
