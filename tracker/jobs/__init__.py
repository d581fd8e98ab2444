"""Background jobs: run by RQ workers on Redis when REDIS_URL is set, inline otherwise.

Every job is also a row in the `jobs` table, so people see it in the desk (queued, running,
failed with the reason) and can retry a failed one. Handlers are idempotent: running a job
twice does no harm (a capture that already succeeded is not repeated).

    job = jobs.create(db.session, "capture_appearance", {"appearance_id": 7}, by=actor)
    db.session.commit()
    jobs.dispatch(job.id)          # enqueue on Redis, or run it now
"""

from __future__ import annotations

import logging
import time
from typing import Any

from sqlalchemy.orm import Session

from tracker.audit import Actor
from tracker.models import Job, JobStatus

log = logging.getLogger(__name__)

QUEUE_NAME = "tracker"
# Seconds to wait before each retry: RQ's scheduler applies them (backoff).
RETRY_INTERVALS = [10, 60, 300]


def create(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    by: Actor | None = None,
    entity: tuple[str, int] | None = None,
    max_attempts: int = 3,
) -> Job:
    """Record a job (flushed, not committed); dispatch it after the caller commits."""
    from tracker.jobs.handlers import HANDLERS

    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job(
        kind=kind,
        payload=payload,
        max_attempts=max_attempts,
        created_by_id=by.user_id if by else None,
        entity_type=entity[0] if entity else None,
        entity_id=entity[1] if entity else None,
    )
    session.add(job)
    session.flush()
    return job


def dispatch(job_id: int, *, inline_when_unreachable: bool = True) -> str:
    """Send a committed job to the workers, or run it here when there is no Redis.

    Returns "queued" or the job's final status after an inline run. When Redis is set but
    cannot be reached, the job runs here too (INLINE_WHEN_UNREACHABLE), else it is marked
    failed with the reason, for a retry from the desk's Jobs page: the record it is about
    is saved already, and a save that answered with an error was saved again by hand.
    """
    from flask import current_app

    from tracker.jobs.runner import run_inline

    redis_url = current_app.config.get("REDIS_URL")
    if not redis_url:
        return run_inline(job_id)
    from redis import Redis
    from redis.exceptions import RedisError
    from rq import Queue, Retry

    try:
        queue = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url, socket_timeout=5))
        queue.enqueue(
            "tracker.jobs.runner.run_job",
            job_id,
            job_id=f"tracker-job-{job_id}",
            retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS),
            job_timeout=600,
        )
    except (RedisError, OSError) as exc:
        log.warning("job %s not queued, Redis unreachable: %s", job_id, exc)
        if inline_when_unreachable:
            return run_inline(job_id)
        _not_queued(job_id, exc)
        return "failed"
    return "queued"


def _not_queued(job_id: int, exc: Exception) -> None:
    from tracker.extensions import db

    session = db.sessionmaker()  # as the runner does: the caller's session is not ours
    try:
        job = session.get(Job, job_id)
        if job is not None:
            job.status = JobStatus.FAILED
            job.error = (
                "Not queued: the job queue (Redis) could not be reached "
                f"({type(exc).__name__}). Retry once it is back."
            )
            session.commit()
    finally:
        session.close()


def retry(session: Session, job: Job) -> Job:
    """Put a failed job back in the queue (the caller commits, then dispatches)."""
    if not job.can_retry:
        raise ValueError(f"job {job.id} is {job.status.value}; only failed jobs are retried")
    job.status = JobStatus.QUEUED
    job.error = None
    job.attempts = 0
    return job


def queue_captures(
    session: Session, appearances: list[Any], *, by: Actor | None, force: bool = False
) -> list[int]:
    """Create a capture job for each appearance that needs one; returns their ids.

    A forced capture is someone pressing "Fetch again": it names them for the history.
    """
    user_id = by.user_id if by is not None and force else None
    return [
        create(
            session,
            "capture_appearance",
            {"appearance_id": appearance.id, "force": force, "user_id": user_id},
            by=by,
            entity=("claim", appearance.claim_id),
        ).id
        for appearance in appearances
        if force or appearance.snapshot_id is None
    ]


def after_claim_saved(
    session: Session, claim: Any, *, by: Actor | None, appearances: list[Any] | None = None
) -> list[str]:
    """After a claim is created or edited (desk, API, import): commit, then archive its new
    links and recompute its cross-reference suggestions, in the background or right away."""
    capture_ids = queue_captures(
        session, claim.appearances if appearances is None else appearances, by=by
    )
    xref_id = create(
        session, "xref_claim", {"claim_id": claim.id}, by=by, entity=("claim", claim.id)
    ).id
    session.commit()
    return [*dispatch_captures(session, capture_ids), dispatch(xref_id)]


# Below this many seconds a fetch is not worth starting inside a save.
MIN_INLINE_CAPTURE_SECONDS = 0.5


def dispatch_captures(session: Session, job_ids: list[int]) -> list[str]:
    """Send capture jobs to the workers; without Redis, fetch inline within a time budget.

    A save must not wait for slow pages (up to the capture time limit each): inline
    captures share CAPTURE_INLINE_BUDGET_SECONDS, each fetch is cut to what is left, and
    links not reached are left "not archived yet" for "Archive now" or a retry of the job.
    """
    from flask import current_app

    if current_app.config.get("REDIS_URL"):
        # Fetching pages inside the save when Redis is down could take minutes.
        return [dispatch(job_id, inline_when_unreachable=False) for job_id in job_ids]
    budget = float(current_app.config.get("CAPTURE_INLINE_BUDGET_SECONDS", 4.0))
    deadline = time.monotonic() + budget
    statuses = []
    for job_id in job_ids:
        left = deadline - time.monotonic()
        job = session.get(Job, job_id)
        if job is None:
            continue
        if left < MIN_INLINE_CAPTURE_SECONDS:
            job.status = JobStatus.FAILED
            job.error = (
                f"Not fetched while saving: the {budget:g} s allowed for archiving links "
                "during a save were used up. Press “Archive now” beside the link, or retry."
            )
            session.commit()
            statuses.append("deferred")
            continue
        job.payload = {**job.payload, "timeout_seconds": round(left, 2)}
        session.commit()
        statuses.append(dispatch(job_id))
    return statuses


def after_record_saved(session: Session, kind: str, record_id: int, *, by: Actor | None) -> str:
    """After a debunk article or figure is saved: its vector, and the suggestions it brings."""
    job_kind = {"article": "xref_article", "figure": "embed_figure"}[kind]
    job = create(session, job_kind, {f"{kind}_id": record_id}, by=by)
    session.commit()
    return dispatch(job.id)
