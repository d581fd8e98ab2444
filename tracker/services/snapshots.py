"""Archiving URLs as snapshots; a failed fetch is kept too, so it can be shown and retried."""

from __future__ import annotations

import gzip
import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.audit import Actor, record_event
from tracker.capture import Capture, CaptureError, CaptureSettings, capture_url
from tracker.capture.store import BodyStore, DatabaseStore, StoreError, read_body
from tracker.models import Appearance, Article, Claim, Snapshot, User, utcnow
from tracker.models.appearance import appearance_snapshots

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


def fill_from_snapshot(appearance: Appearance, snapshot: Snapshot | None) -> None:
    """Take the title and language a good snapshot found, where the appearance has none."""
    if snapshot is None or not snapshot.ok:
        return
    appearance.title = appearance.title or snapshot.title
    appearance.language = appearance.language or snapshot.language


def recapture(
    session: Session,
    appearance: Appearance,
    settings: CaptureSettings,
    store: BodyStore | None = None,
    *,
    by: Actor | None = None,
) -> CaptureOutcome:
    """Fetch an appearance's URL again (after a failure, or to archive a newer version).

    A failed fetch never replaces a good copy: the appearance keeps pointing at its last
    good snapshot and the failure is kept beside it, in the link's list of captures. When
    BY is given (a person pressed "Fetch again") the attempt goes in the claim's history.
    """
    previous = appearance.snapshot
    outcome = capture_snapshot(session, appearance.url, settings, store)
    history = appearance.captures
    if previous is not None and previous not in history:
        history.append(previous)
    history.append(outcome.snapshot)
    if outcome.ok or previous is None or not previous.ok:
        appearance.snapshot = outcome.snapshot
    fill_from_snapshot(appearance, appearance.snapshot)
    session.flush()
    if by is not None:
        record_event(
            session,
            "recapture",
            "claim",
            appearance.claim_id,
            by=by,
            before={"url": appearance.url, "snapshot_id": previous.id if previous else None},
            after={
                "url": appearance.url,
                "snapshot_id": appearance.snapshot_id,
                "attempt_snapshot_id": outcome.snapshot.id,
                "ok": outcome.ok,
                "error": outcome.snapshot.error_code,
            },
            detail=None if outcome.ok else f"fetch failed: {outcome.snapshot.error_code}",
        )
    return outcome


def can_view_snapshot(session: Session, user: User | None, snapshot: Snapshot) -> bool:
    """Editors read every archived copy; others the copies of a debunk article's page or
    of a link of a claim they may see. A copy attached only to someone else's draft says
    what they are working on, so it stays as private as the draft."""
    from tracker.services.permissions import can_view, is_editor

    if is_editor(user):
        return True
    history = select(appearance_snapshots.c.appearance_id).where(
        appearance_snapshots.c.snapshot_id == snapshot.id
    )
    claims = session.scalars(
        select(Claim)
        .join(Appearance, Appearance.claim_id == Claim.id)
        .where(or_(Appearance.snapshot_id == snapshot.id, Appearance.id.in_(history)))
        .distinct()
    )
    if any(can_view(user, claim) for claim in claims):
        return True
    article = select(Article.id).where(
        Article.snapshot_id == snapshot.id, Article.deleted_at.is_(None)
    )
    return session.scalar(article.limit(1)) is not None
