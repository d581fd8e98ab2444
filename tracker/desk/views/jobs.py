"""Background jobs in the desk: what is queued, running or failed, and a retry button."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from tracker import jobs as job_service
from tracker.desk import bp
from tracker.desk.forms.workflow import EmptyForm
from tracker.extensions import db
from tracker.models import Job, JobStatus


@bp.get("/jobs")
def jobs() -> str:
    query = select(Job)
    status = request.args.get("status", "")
    if status in {s.value for s in JobStatus}:
        query = query.where(Job.status == status)
    rows = db.session.scalars(query.order_by(Job.id.desc()).limit(200)).all()
    counts = dict(db.session.execute(select(Job.status, func.count()).group_by(Job.status)).all())
    return render_template(
        "desk/jobs.html",
        jobs=rows,
        counts=counts,
        statuses=list(JobStatus),
        button_form=EmptyForm(),
    )


@bp.post("/jobs/<int:job_id>/retry")
def job_retry(job_id: int) -> Response:
    job = db.session.get(Job, job_id)
    if job is None or not job.can_retry:
        flash("Only failed jobs can be retried.", "error")
        return redirect(url_for("desk.jobs"))
    job_service.retry(db.session, job)
    db.session.commit()
    status = job_service.dispatch(job.id)
    flash(f"Job {job.id} is {status}.", "success" if status in ("queued", "done") else "error")
    return redirect(
        request.referrer
        if request.referrer and request.referrer.startswith(request.host_url)
        else url_for("desk.jobs")
    )
