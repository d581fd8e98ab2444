"""Admin pages: the audit log and user accounts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired

from tracker.auth import services as user_service
from tracker.desk import bp
from tracker.desk.forms.fields import MaxChars, options
from tracker.desk.forms.workflow import EmptyForm
from tracker.desk.helpers import actor, attach_errors, has_errors
from tracker.errors import DomainError, ValidationFailed
from tracker.extensions import db
from tracker.models import AuditEvent, Role, User
from tracker.security import log_security_event
from tracker.services.validation import row_id, without_nul

AUDIT_PAGE = 50


def _date(name: str, notices: dict[str, str]) -> date | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        notices[name] = f"“{raw[:30]}” is not a date (write it as 2024-05-31); ignored."
        return None


def _number(name: str, label: str, notices: dict[str, str]) -> int | None:
    # A number too large for an id would make the database fail: it is no id of anything.
    raw = without_nul(request.args.get(name, "")).strip()
    found = row_id(raw)
    if raw and found is None:
        notices[name] = f"Unknown {label} “{raw[:30]}” ignored."
    return found


@bp.get("/audit")
def audit() -> str:
    """The audit log (read-only: nothing in the app changes or deletes audit events)."""
    notices: dict[str, str] = {}
    query = select(AuditEvent)
    actor_id = _number("actor", "person", notices)
    if actor_id is not None:
        query = query.where(AuditEvent.actor_id == actor_id)
    entity = without_nul(request.args.get("entity", "")).strip()
    if entity:
        query = query.where(AuditEvent.entity_type == entity[:50])
    entity_id = _number("entity_id", "record number", notices)
    if entity_id is not None:
        query = query.where(AuditEvent.entity_id == entity_id)
    action = without_nul(request.args.get("action", "")).strip()
    if action:
        query = query.where(AuditEvent.action == action[:50])
    start, end = _date("from", notices), _date("to", notices)
    if start and end and end < start:
        notices["to"] = "The end date is before the start date, so no event can match."
    if start:
        query = query.where(AuditEvent.at >= datetime.combine(start, time(), tzinfo=UTC))
    if end:
        query = query.where(
            AuditEvent.at < datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC)
        )
    before = row_id(request.args.get("before", ""))
    newer: dict[str, int | None] | None = None
    if before is not None:  # keyset pagination: newest first, page by id
        above = db.session.scalars(
            query.with_only_columns(AuditEvent.id)
            .where(AuditEvent.id >= before)
            .order_by(AuditEvent.id)
            .limit(AUDIT_PAGE + 1)
        ).all()
        if above:  # the page before this one: the newest, or the AUDIT_PAGE just above
            newer = {"before": above[AUDIT_PAGE - 1] + 1 if len(above) > AUDIT_PAGE else None}
        query = query.where(AuditEvent.id < before)
    events = db.session.scalars(query.order_by(AuditEvent.id.desc()).limit(AUDIT_PAGE + 1)).all()
    users = db.session.scalars(select(User).order_by(User.name)).all()
    actions = db.session.scalars(
        select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    ).all()
    entities = db.session.scalars(
        select(AuditEvent.entity_type).distinct().order_by(AuditEvent.entity_type)
    ).all()
    return render_template(
        "desk/audit.html",
        events=events[:AUDIT_PAGE],
        next_before=events[AUDIT_PAGE - 1].id if len(events) > AUDIT_PAGE else None,
        newer=newer,
        users=users,
        actions=actions,
        entities=entities,
        notices=notices,
    )


class UserForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), MaxChars(254)])
    name = StringField(
        "Name",
        validators=[DataRequired(), MaxChars(120)],
        filters=[lambda v: " ".join(v.split()) if v else v],  # one line, trimmed
    )
    role = SelectField(
        "Role", choices=options((r.value, r.value.title()) for r in Role), default="analyst"
    )
    password = PasswordField(
        "Initial password",
        validators=[DataRequired()],
        description="At least 12 characters; tell the person privately.",
        # Not the admin's own password, which a password manager would fill in here.
        render_kw={"autocomplete": "new-password"},
    )
    save = SubmitField("Add user")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=options((r.value, r.value.title()) for r in Role))


@bp.route("/users", methods=["GET", "POST"])
def users() -> str | Response | tuple[str, int]:
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = user_service.create_user(
                db.session,
                email=form.email.data or "",
                name=form.name.data or "",
                password=form.password.data or "",
                role=form.role.data,
                by=actor(),
            )
            db.session.commit()
            log_security_event("user_created", target=user.email, role=user.role)
            flash(f"Created {user.role} {user.email}.", "success")
            return redirect(url_for("desk.users"))
        except ValidationFailed as exc:
            db.session.rollback()
            attach_errors(form, exc)
    people = db.session.scalars(select(User).order_by(User.active.desc(), User.name)).all()
    status = 400 if form.is_submitted() and has_errors(form) else 200
    return render_template(
        "desk/users.html",
        form=form,
        people=people,
        role_form=RoleForm(),
        button_form=EmptyForm(),
        roles=list(Role),
    ), status


def _change_user(user_id: int, change: str) -> Response:
    user = db.session.get(User, user_id)
    if user is None:
        flash("There is no such user.", "error")
        return redirect(url_for("desk.users"))
    waiting = len(user_service.assigned_reviews(db.session, user))
    released = (
        f" The {waiting} {'review' if waiting == 1 else 'reviews'} assigned to them "
        f"{'is' if waiting == 1 else 'are'} unassigned now."
        if waiting
        else ""
    )
    try:
        if change == "role":
            form = RoleForm()
            if not form.validate():
                raise DomainError("Choose a role.")
            if form.role.data == user.role.value:
                flash(f"{user.name} already is {user.role}; nothing changed.", "success")
                return redirect(url_for("desk.users"))
            user_service.set_role(db.session, user, form.role.data, by=actor())
            message = f"{user.name} is now {user.role}."
            message += released if not user.has_role(Role.EDITOR) else ""
        elif change == "deactivate":
            user_service.deactivate(db.session, user, by=actor())
            message = (
                f"{user.name} is deactivated; their sessions have ended and their API tokens "
                f"are revoked.{released}"
            )
        else:
            user_service.reactivate(db.session, user, by=actor())
            message = f"{user.name} is active again; they make new API tokens if they need them."
        db.session.commit()
        log_security_event(f"user_{change}", target=user.email, role=user.role, active=user.active)
        flash(message, "success")
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(url_for("desk.users"))


@bp.post("/users/<int:user_id>/role")
def user_role(user_id: int) -> Response:
    return _change_user(user_id, "role")


@bp.post("/users/<int:user_id>/deactivate")
def user_deactivate(user_id: int) -> Response:
    if not EmptyForm().validate():
        flash("The request could not be read; please try again.", "error")
        return redirect(url_for("desk.users"))
    return _change_user(user_id, "deactivate")


@bp.post("/users/<int:user_id>/reactivate")
def user_reactivate(user_id: int) -> Response:
    if not EmptyForm().validate():
        flash("The request could not be read; please try again.", "error")
        return redirect(url_for("desk.users"))
    return _change_user(user_id, "reactivate")
