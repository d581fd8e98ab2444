"""What each kind of job does. Each handler takes a session, the payload and the settings,
is safe to run twice, and returns a small JSON-able result."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from tracker.capture import CaptureSettings
from tracker.capture.store import BodyStore, open_store
from tracker.models import Appearance, Job, User, utcnow

if TYPE_CHECKING:
    from tracker.xref.engine import XrefEngine


def capture_settings(config: Mapping[str, Any]) -> CaptureSettings:
    return CaptureSettings(
        max_bytes=config["CAPTURE_MAX_BYTES"],
        timeout_seconds=config["CAPTURE_TIMEOUT_SECONDS"],
        max_redirects=config["CAPTURE_MAX_REDIRECTS"],
        allow_private=config["CAPTURE_ALLOW_PRIVATE"],
    )


def s3_options(config: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "endpoint_url": config.get("S3_ENDPOINT_URL"),
        "region_name": config.get("S3_REGION"),
        "aws_access_key_id": config.get("S3_ACCESS_KEY_ID"),
        "aws_secret_access_key": config.get("S3_SECRET_ACCESS_KEY"),
    }


def snapshot_store(config: Mapping[str, Any]) -> BodyStore:
    return open_store(config["SNAPSHOT_STORE"], s3_options(config))


def capture_appearance(
    session: Session, payload: dict[str, Any], config: Mapping[str, Any]
) -> dict[str, Any]:
    """Archive one appearance's page (again, when `force` is set).

    `timeout_seconds` in the payload shortens the fetch (what is left of a save's inline
    time budget); `user_id` is whoever pressed "Fetch again", for the claim's history.
    """
    from tracker.audit import Actor
    from tracker.services.snapshots import recapture

    appearance = session.get(Appearance, payload["appearance_id"])
    if appearance is None:
        return {"skipped": "the appearance no longer exists"}
    if appearance.snapshot is not None and appearance.snapshot.ok and not payload.get("force"):
        return {"skipped": "already archived", "snapshot_id": appearance.snapshot_id}
    settings = capture_settings(config)
    limit = payload.get("timeout_seconds")
    if isinstance(limit, int | float) and 0 < limit < settings.timeout_seconds:
        settings = replace(settings, timeout_seconds=float(limit))
    user = session.get(User, payload["user_id"]) if payload.get("user_id") else None
    outcome = recapture(
        session,
        appearance,
        settings,
        snapshot_store(config),
        by=Actor(user) if user is not None else None,
    )
    snapshot = outcome.snapshot
    return {
        "snapshot_id": appearance.snapshot_id,
        "attempt_snapshot_id": snapshot.id,
        "ok": outcome.ok,
        "error": snapshot.error_code,
        # The job ran (a retry would not help a refused address); the Jobs page says why
        # the page was not archived, which it listed as plainly "done".
        "outcome": None
        if outcome.ok
        else f"Not archived: {snapshot.error_message or snapshot.error_code}",
    }


def import_file(
    session: Session, payload: dict[str, Any], config: Mapping[str, Any]
) -> dict[str, Any]:
    """Run a large import (ClaimReview, CSV, JSONL); progress shows in the job's result.

    Batches are committed as they go, so a failed or retried job resumes: what an earlier
    attempt imported is matched and left alone.
    """
    from tracker.audit import Actor
    from tracker.interop.imports import ImportSpec, run_import

    user = session.get(User, payload["user_id"]) if payload.get("user_id") else None
    if payload.get("user_id") and (user is None or not user.active):
        return {"skipped": "the user who queued the import is no longer active"}
    job = session.get(Job, payload["job_id"]) if payload.get("job_id") else None

    def progress(position: int, total: int | None) -> None:
        if job is not None:
            # Committed with the batch that made the progress.
            job.result = {"progress": {"position": position, "total": total}}

    spec = ImportSpec.from_payload(payload)
    since = utcnow()
    result = run_import(session, spec, by=Actor(user), progress=progress)
    done = result.as_dict()
    if result.imported or result.updated:
        done["cross_referenced"] = cross_reference_import(session, since)
    return done


def cross_reference_import(
    session: Session, since: datetime, progress: Callable[[int], object] | None = None
) -> dict[str, int]:
    """Vectors and suggestions for what an import that began at SINCE created or changed."""
    from tracker.xref.engine import cross_reference_since

    return cross_reference_since(session, _engine(), since, progress=progress)


def queue_import(session: Session, spec: Any, *, by: Any) -> Job:
    """Record an import job for SPEC (an ImportSpec); the caller commits and dispatches."""
    from tracker import jobs

    payload = {**spec.as_payload(), "user_id": by.user_id}
    job = jobs.create(session, "import_file", payload, by=by, max_attempts=2)
    # The handler reports its progress on its own row.
    job.payload = {**payload, "job_id": job.id}
    session.flush()
    return job


def _engine() -> XrefEngine:
    from tracker.extensions import xref_engine

    return xref_engine()


def xref_claim(
    session: Session, payload: dict[str, Any], config: Mapping[str, Any]
) -> dict[str, Any]:
    """Vectors and cross-reference suggestions for one claim (after it was saved)."""
    from tracker.models import Claim

    claim = session.get(Claim, payload["claim_id"])
    if claim is None or claim.deleted_at is not None:
        return {"skipped": "the claim no longer exists"}
    found = _engine().suggest_for_claim(session, claim)
    return {
        "articles": found.articles,
        "claims": found.claims,
        "figures": found.figures,
        "notices": found.notices,
    }


def xref_article(
    session: Session, payload: dict[str, Any], config: Mapping[str, Any]
) -> dict[str, Any]:
    """Vectors for a debunk article, and suggestions on the claims it may refute."""
    from tracker.models import Article

    article = session.get(Article, payload["article_id"])
    if article is None or article.deleted_at is not None:
        return {"skipped": "the article no longer exists"}
    return {"suggested": _engine().suggest_for_article(session, article)}


def embed_figure(
    session: Session, payload: dict[str, Any], config: Mapping[str, Any]
) -> dict[str, Any]:
    return {"encoded": _engine().refresh(session, "figure", [payload["figure_id"]])}


HANDLERS: dict[str, Callable[[Session, dict[str, Any], Mapping[str, Any]], Any]] = {
    "capture_appearance": capture_appearance,
    "xref_claim": xref_claim,
    "xref_article": xref_article,
    "embed_figure": embed_figure,
    "import_file": import_file,
}
