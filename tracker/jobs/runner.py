"""Running one job: in an RQ worker process, or inline in the web process."""

from __future__ import annotations

import logging
import traceback
from functools import cache

from flask import Flask, current_app

from tracker.extensions import db
from tracker.models import Job, JobStatus, utcnow

log = logging.getLogger("tracker.jobs")


@cache
def _worker_app() -> Flask:
    """The app for a worker process, built once (settings come from the environment)."""
    from tracker import create_app

    return create_app()


def _execute(job_id: int) -> str:
    """Run the job in the current app context; record the outcome; re-raise on failure."""
    from tracker.jobs.handlers import HANDLERS

    session = db.sessionmaker()
    try:
        job = session.get(Job, job_id)
        if job is None:
            log.warning("job %s no longer exists", job_id)
            return "missing"
        if job.status == JobStatus.DONE:
            return job.status.value
        job.status = JobStatus.RUNNING
        job.attempts += 1
        job.started_at = utcnow()
        session.commit()
        try:
            result = HANDLERS[job.kind](session, job.payload, current_app.config)
            session.commit()
        except Exception as exc:
            session.rollback()
            job = session.get_one(Job, job_id)
            job.error = f"{type(exc).__name__}: {exc}"[:2000]
            job.status = JobStatus.RETRYING if job.attempts < job.max_attempts else JobStatus.FAILED
            job.finished_at = utcnow()
            session.commit()
            log.error(
                "job %s (%s) failed: %s\n%s", job.id, job.kind, job.error, traceback.format_exc()
            )
            raise
        job.status = JobStatus.DONE
        job.result = result
        job.error = None
        job.finished_at = utcnow()
        session.commit()
        return job.status.value
    finally:
        session.close()


def run_job(job_id: int) -> str:
    """The RQ entry point (`tracker worker` imports it by name)."""
    app = _worker_app()
    with app.app_context():
        return _execute(job_id)


def run_inline(job_id: int) -> str:
    """Without Redis: run now, in this process, and retry right away on failure."""
    status = "failed"
    for _attempt in range(3):
        try:
            return _execute(job_id)
        except Exception:
            session = db.sessionmaker()
            job = session.get(Job, job_id)
            status = job.status.value if job else "missing"
            session.close()
            if status == JobStatus.FAILED.value:
                break
    return status
