"""Background jobs: inline without Redis; on a real RQ worker with Redis; visible and retryable."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import select

from tests.capture_support import standard_server
from tests.factories import make_claim
from tracker import jobs
from tracker.extensions import db as database
from tracker.models import Appearance, Job, JobStatus, Role


@pytest.fixture(scope="module")
def server():
    fixture = standard_server()
    yield fixture
    fixture.stop()


def redis_url() -> str:
    import redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running here")
    return url


def test_without_redis_a_capture_job_runs_inline(app, db, server):
    app.config["CAPTURE_ALLOW_PRIVATE"] = True
    claim = make_claim(db, url=server.url("/russian"))
    db.commit()
    with app.app_context():
        [job_id] = jobs.queue_captures(database.session, claim.appearances, by=None)
        database.session.commit()
        assert jobs.dispatch(job_id) == "done"
    db.expire_all()
    job = db.get(Job, job_id)
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)
    assert db.get(Appearance, claim.appearances[0].id).snapshot.ok


def test_a_job_is_idempotent(app, db, server):
    app.config["CAPTURE_ALLOW_PRIVATE"] = True
    claim = make_claim(db, url=server.url("/russian"))
    db.commit()
    fetched_before = server.paths().count("/russian")
    with app.app_context():
        for _ in range(2):
            [job_id] = jobs.queue_captures(
                database.session, claim.appearances, by=None, force=False
            )
            database.session.commit()
            jobs.dispatch(job_id)
    assert server.paths().count("/russian") == fetched_before + 1
    last = db.scalars(select(Job).order_by(Job.id.desc())).first()
    assert last.result["skipped"] == "already archived"


def test_a_job_that_raises_is_retried_then_failed_with_the_reason(app, db, monkeypatch):
    from tracker.jobs import handlers

    calls = []

    def broken(session, payload, config):
        calls.append(payload)
        raise RuntimeError("the archive service is down")

    monkeypatch.setitem(handlers.HANDLERS, "capture_appearance", broken)
    with app.app_context():
        job = jobs.create(database.session, "capture_appearance", {"appearance_id": 1})
        database.session.commit()
        assert jobs.dispatch(job.id) == "failed"
    db.expire_all()
    job = db.get(Job, job.id)
    assert len(calls) == 3 and job.attempts == 3
    assert job.status == JobStatus.FAILED
    assert job.error == "RuntimeError: the archive service is down"


def test_failed_jobs_are_listed_and_retried_by_a_click(app, client, db, login_as, server):
    login_as(Role.ANALYST)
    app.config["CAPTURE_ALLOW_PRIVATE"] = True
    claim = make_claim(db, url=server.url("/russian"))
    job = Job(
        kind="capture_appearance",
        payload={"appearance_id": claim.appearances[0].id},
        status=JobStatus.FAILED,
        attempts=3,
        error="ConnectionError: refused",
        entity_type="claim",
        entity_id=claim.id,
    )
    db.add(job)
    db.commit()
    page = client.get("/desk/jobs?status=failed").get_data(as_text=True)
    assert "ConnectionError: refused" in page and "Retry" in page
    client.post(f"/desk/jobs/{job.id}/retry")
    db.expire_all()
    assert db.get(Job, job.id).status == JobStatus.DONE


def test_with_redis_jobs_are_queued_and_a_real_worker_runs_them(app, db, server):
    url = redis_url()
    from redis import Redis
    from rq import Queue, SimpleWorker

    app.config.update(REDIS_URL=url, CAPTURE_ALLOW_PRIVATE=True)
    claim = make_claim(db, url=server.url("/ukrainian"))
    db.commit()
    queue_name = f"tracker-test-{uuid.uuid4().hex}"
    import tracker.jobs as jobs_module

    original, jobs_module.QUEUE_NAME = jobs_module.QUEUE_NAME, queue_name
    try:
        with app.app_context():
            [job_id] = jobs.queue_captures(database.session, claim.appearances, by=None)
            database.session.commit()
            assert jobs.dispatch(job_id) == "queued"
        assert db.get(Job, job_id).status == JobStatus.QUEUED
        connection = Redis.from_url(url)
        queue = Queue(queue_name, connection=connection)
        assert queue.count == 1
        # A real worker (in this process, so it uses this test's database) drains the queue.
        import tracker.jobs.runner as runner

        runner._worker_app.cache_clear()
        runner._worker_app = lambda: app  # type: ignore[assignment]
        SimpleWorker([queue], connection=connection).work(burst=True)
    finally:
        jobs_module.QUEUE_NAME = original
        from importlib import reload

        reload(runner)
    db.expire_all()
    assert db.get(Job, job_id).status == JobStatus.DONE
    assert db.get(Appearance, claim.appearances[0].id).snapshot.ok


def test_the_worker_command_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 1
    assert "REDIS_URL is not set" in result.output


def test_with_redis_unreachable_a_save_succeeds_and_its_jobs_are_not_lost(app, client, db):
    # The save answered 500 though the claim was stored (so it was saved again by hand),
    # and its jobs stayed "queued" for good.
    from tests.desk_support import claim_form
    from tests.factories import make_user, put_in_session
    from tracker.models import Claim

    app.config["REDIS_URL"] = "redis://127.0.0.1:9/0"  # the discard port: nothing listens
    user = make_user(db, Role.ANALYST)
    db.commit()
    with client.session_transaction() as session:
        put_in_session(session, user)
    data = claim_form(appearances=[{"url": "https://news.example/1"}])
    response = client.post("/desk/claims/new", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    claim = db.scalar(select(Claim))
    db.expire_all()
    kinds = {job.kind: job for job in db.scalars(select(Job).where(Job.entity_id == claim.id))}
    # Suggestions are computed right away; the page fetch waits for a retry, saying why.
    assert kinds["xref_claim"].status == JobStatus.DONE
    capture = kinds["capture_appearance"]
    assert capture.status == JobStatus.FAILED and capture.can_retry
    assert "the job queue (Redis) could not be reached" in capture.error


def test_a_capture_that_was_refused_says_why_on_the_jobs_page(app, client, db, login_as):
    # A loopback address (refused outside tests) was listed as plainly "done".
    login_as(Role.ADMIN)
    claim = make_claim(db, url="http://127.0.0.1:9/private")
    db.commit()
    with app.app_context():
        [job_id] = jobs.queue_captures(database.session, claim.appearances, by=None)
        database.session.commit()
        assert jobs.dispatch(job_id) == "done"
    page = client.get("/desk/jobs").get_data(as_text=True)
    assert "Not archived: " in page
