"""One claim in the desk: everything about it, and the steps people take on it."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import and_, or_, select
from werkzeug.wrappers import Response

from tracker import jobs
from tracker.desk import bp
from tracker.desk.forms.fields import options
from tracker.desk.forms.workflow import AssignForm, CommentForm, EmptyForm, WorkflowForm
from tracker.desk.helpers import actor, refuse
from tracker.errors import DomainError, ValidationFailed
from tracker.extensions import db
from tracker.models import (
    Appearance,
    AuditEvent,
    Claim,
    ClaimArticleLink,
    ClaimFigureLink,
    ClaimLink,
    Comment,
    Job,
    LinkStatus,
    Rating,
    Role,
    Snapshot,
    User,
)
from tracker.services import claims as claim_service
from tracker.services import comments as comment_service
from tracker.services import links as link_service
from tracker.services import permissions, workflow
from tracker.services.snapshots import can_view_snapshot
from tracker.services.validation import row_id


def load_claim(claim_id: int) -> Claim:
    return permissions.require_view(current_user, db.session.get(Claim, claim_id), claim_id)


def claim_history(claim_id: int) -> list[AuditEvent]:
    """The claim's own audit events and those of its cross-references (confirmed, rejected),
    which the trail records against the link."""
    links = {
        "article_link": select(ClaimArticleLink.id).where(ClaimArticleLink.claim_id == claim_id),
        "figure_link": select(ClaimFigureLink.id).where(ClaimFigureLink.claim_id == claim_id),
        "claim_link": select(ClaimLink.id).where(
            or_(ClaimLink.claim_id == claim_id, ClaimLink.other_claim_id == claim_id)
        ),
    }
    about_claim = [and_(AuditEvent.entity_type == "claim", AuditEvent.entity_id == claim_id)]
    about_claim += [
        and_(AuditEvent.entity_type == kind, AuditEvent.entity_id.in_(ids))
        for kind, ids in links.items()
    ]
    return list(
        db.session.scalars(
            select(AuditEvent).where(or_(*about_claim)).order_by(AuditEvent.at, AuditEvent.id)
        )
    )


def editors() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.active, User.role.in_([Role.EDITOR, Role.ADMIN]))
            .order_by(User.name)
        )
    )


def visible_claim_links(claim: Claim) -> list[ClaimLink]:
    """Links to other claims, leaving out those whose other claim this user may not see
    (another analyst's draft would otherwise show its text and id here)."""
    links = db.session.scalars(
        select(ClaimLink).where(
            or_(ClaimLink.claim_id == claim.id, ClaimLink.other_claim_id == claim.id)
        )
    ).all()
    return [
        link
        for link in links
        if permissions.can_view(
            current_user, link.other_claim if link.claim_id == claim.id else link.claim
        )
    ]


@bp.get("/claims/<int:claim_id>")
def claim(claim_id: int) -> str:
    return claim_page(load_claim(claim_id))


def claim_page(
    claim: Claim,
    *,
    failed_step: tuple[workflow.Action, WorkflowForm] | None = None,
    comment_form: CommentForm | None = None,
) -> str:
    """The claim's desk page; a refused workflow step or comment is shown again in its
    form, with what was typed and why it was refused."""
    four_eyes = current_app.config["FOUR_EYES"]
    assign_form = AssignForm()
    assign_form.assignee.choices = options(
        [("", "Nobody")] + [(str(u.id), u.name) for u in editors()]
    )
    assign_form.assignee.data = str(claim.assignee_id or "")
    links = {
        "articles": db.session.scalars(
            select(ClaimArticleLink)
            .where(ClaimArticleLink.claim_id == claim.id)
            .order_by(ClaimArticleLink.status, ClaimArticleLink.score.desc())
        ).all(),
        "figures": db.session.scalars(
            select(ClaimFigureLink)
            .where(ClaimFigureLink.claim_id == claim.id)
            .order_by(ClaimFigureLink.status)
        ).all(),
        "claims": visible_claim_links(claim),
    }
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.claim_id == claim.id, Comment.deleted_at.is_(None))
        .order_by(Comment.created_at)
    ).all()
    return render_template(
        "desk/claim.html",
        claim=claim,
        actions=workflow.available_actions(db.session, claim, current_user, four_eyes=four_eyes),
        blocked=workflow.blocked_actions(db.session, claim, current_user, four_eyes=four_eyes),
        transitions=workflow.TRANSITIONS,
        Action=workflow.Action,
        # An update of the verdict starts from the verdict the claim has.
        workflow_form=WorkflowForm(
            formdata=None, rating=claim.rating.value if claim.rating else ""
        ),
        failed_step=failed_step,
        comment_form=comment_form or CommentForm(formdata=None),
        assign_form=assign_form,
        button_form=EmptyForm(),
        can_edit=permissions.can_edit(current_user, claim),
        is_editor=permissions.is_editor(current_user),
        links=links,
        comments=comments,
        history=claim_history(claim.id),
        LinkStatus=LinkStatus,
    )


@bp.post("/claims/<int:claim_id>/workflow")
def claim_workflow(claim_id: int) -> Response | tuple[str, int]:
    claim = load_claim(claim_id)
    form = WorkflowForm()
    try:
        action = workflow.Action(form.action.data)
    except ValueError:
        step = (form.action.data or "").strip()
        known = ", ".join(a.value for a in workflow.Action)
        message = f"Unknown workflow step “{step[:40]}”" if step else "No workflow step was chosen"
        flash(f"{message} (the steps: {known}).", "error")
        return redirect(url_for("desk.claim", claim_id=claim.id))
    if not form.validate():
        problems = [error for errors in form.errors.values() for error in errors]
        flash(" ".join(map(str, problems)) or "The request could not be read.", "error")
        return claim_page(claim, failed_step=(action, form)), 422
    try:
        workflow.apply(
            db.session,
            claim,
            action,
            by=actor(),
            comment=form.comment.data,
            note=form.note.data,
            rating=Rating(form.rating.data) if form.rating.data else None,
            rationale=form.rationale.data,
            four_eyes=current_app.config["FOUR_EYES"],
        )
        db.session.commit()
        flash(workflow.TRANSITIONS[action].done, "success")
    except ValidationFailed as exc:
        db.session.rollback()
        for name, errors in exc.errors.items():
            if name in form:
                form[name].errors = list(errors)
            else:  # shown beside its field otherwise, not twice
                flash(" ".join(errors), "error")
        return claim_page(claim, failed_step=(action, form)), 422
    except DomainError as exc:
        refuse(claim.id, action.value, exc)
    return redirect(url_for("desk.claim", claim_id=claim.id))


@bp.post("/claims/<int:claim_id>/comments")
def claim_comment(claim_id: int) -> Response | tuple[str, int]:
    claim = load_claim(claim_id)
    form = CommentForm()
    if not form.validate():
        flash(" ".join(form.body.errors) or "The comment could not be saved.", "error")
        return claim_page(claim, comment_form=form), 422
    comment_service.add_comment(db.session, claim, form.body.data or "", by=actor())
    db.session.commit()
    flash("Comment added.", "success")
    return redirect(url_for("desk.claim", claim_id=claim.id, _anchor="comments"))


@bp.post("/claims/<int:claim_id>/assign")
def claim_assign(claim_id: int) -> Response:
    claim = load_claim(claim_id)
    form = AssignForm()
    assignee = None
    if (assignee_id := row_id(form.assignee.data)) is not None:
        assignee = db.session.get(User, assignee_id)
    try:
        if (form.assignee.data or "").strip() and assignee is None:
            # A stale or edited form: clearing the assignment instead would hide the mistake.
            raise ValidationFailed(
                {"assignee": ["There is no such editor; choose one from the list."]}
            )
        workflow.assign(db.session, claim, assignee, by=actor())
        db.session.commit()
        flash(f"Assigned to {assignee.name}." if assignee else "Assignment cleared.", "success")
    except DomainError as exc:
        refuse(claim.id, "assign", exc)
    return redirect(url_for("desk.claim", claim_id=claim.id))


@bp.post("/claims/<int:claim_id>/delete")
def claim_delete(claim_id: int) -> Response:
    claim = load_claim(claim_id)
    try:
        claim_service.soft_delete(db.session, claim, by=actor())
        db.session.commit()
        flash("Claim deleted. An editor can restore it.", "success")
    except DomainError as exc:
        refuse(claim.id, "delete", exc)
    return redirect(
        url_for("desk.claim", claim_id=claim.id)
        if permissions.is_editor(current_user)
        else url_for("desk.home")
    )


@bp.post("/claims/<int:claim_id>/restore")
def claim_restore(claim_id: int) -> Response:
    claim = load_claim(claim_id)
    try:
        claim_service.restore(db.session, claim, by=actor())
        db.session.commit()
        flash("Claim restored.", "success")
    except DomainError as exc:
        refuse(claim.id, "restore", exc)
    return redirect(url_for("desk.claim", claim_id=claim.id))


@bp.post("/links/<kind>/<int:link_id>/<decision>")
def link_decide(kind: str, link_id: int, decision: str) -> Response:
    """Confirm or reject a suggested cross-reference."""
    statuses = {"confirm": LinkStatus.CONFIRMED, "reject": LinkStatus.REJECTED}
    if decision not in statuses or kind not in link_service.LINK_TYPES:
        flash("Unknown cross-reference decision.", "error")
        return redirect(url_for("desk.home"))
    link = db.session.get(link_service.LINK_TYPES[kind], link_id)
    if link is None:
        flash("That cross-reference no longer exists.", "error")
        return redirect(url_for("desk.home"))
    load_claim(link.claim_id)
    if isinstance(link, ClaimLink):  # both claims must be visible, or neither is touched
        load_claim(link.other_claim_id)
    link_service.decide(db.session, kind, link_id, statuses[decision], by=actor())
    db.session.commit()
    flash("Cross-reference " + ("confirmed." if decision == "confirm" else "rejected."), "success")
    return redirect(url_for("desk.claim", claim_id=link.claim_id, _anchor="xrefs"))


@bp.post("/appearances/<int:appearance_id>/recapture")
def appearance_recapture(appearance_id: int) -> Response:
    appearance = db.session.get(Appearance, appearance_id)
    if appearance is None:
        flash("That link no longer exists.", "error")
        return redirect(url_for("desk.home"))
    load_claim(appearance.claim_id)
    [job_id] = jobs.queue_captures(db.session, [appearance], by=actor(), force=True)
    db.session.commit()
    status = jobs.dispatch(job_id)
    db.session.expire_all()
    _flash_recapture(db.session.get_one(Appearance, appearance_id), status, job_id)
    return redirect(url_for("desk.claim", claim_id=appearance.claim_id, _anchor="appearances"))


def _flash_recapture(appearance: Appearance, status: str, job_id: int) -> None:
    """Say what "Fetch again" did; a failure never hides the copy archived before."""
    if status == "queued":
        flash(f"Archiving {appearance.url} in the background.", "success")
        return
    job = db.session.get(Job, job_id)
    result = job.result if job is not None and isinstance(job.result, dict) else {}
    attempt = row_id(result.get("attempt_snapshot_id"))
    latest = db.session.get(Snapshot, attempt) if attempt is not None else None
    if latest is not None and latest.ok:
        flash(f"Archived {appearance.url} again.", "success")
        return
    reason = latest.error_message if latest is not None else "the job failed"
    kept = appearance.snapshot
    note = (
        f" The copy archived on {kept.fetched_at:%d %b %Y} is kept."
        if kept is not None and kept.ok
        else ""
    )
    flash(f"Could not fetch {appearance.url}: {reason}{note}", "error")


@bp.get("/snapshots/<int:snapshot_id>")
def snapshot(snapshot_id: int) -> str:
    record = db.session.get(Snapshot, snapshot_id)
    if record is None or not can_view_snapshot(db.session, current_user, record):
        from werkzeug.exceptions import NotFound

        raise NotFound(f"There is no snapshot {snapshot_id}.")
    return render_template("desk/snapshot.html", snapshot=record)
