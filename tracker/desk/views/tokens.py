"""Personal API tokens in the desk: create (shown once), list, revoke."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired

from tracker.desk import bp
from tracker.desk.forms.fields import MaxChars, options
from tracker.desk.forms.workflow import EmptyForm
from tracker.desk.helpers import actor, attach_errors, has_errors
from tracker.errors import DomainError, ValidationFailed
from tracker.extensions import db
from tracker.models import Role
from tracker.security import log_security_event
from tracker.services import tokens as token_service


class TokenForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired(), MaxChars(100)],
        description="What it is for, e.g. “newsroom spreadsheet import”.",
    )
    scope = SelectField(
        "Access",
        choices=options(
            [
                ("read", "Read: published and desk records through the API"),
                ("write", "Write: create and change records through the API"),
            ]
        ),
        default="read",
    )


@bp.route("/tokens", methods=["GET", "POST"])
def tokens() -> str | tuple[str, int]:
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        try:
            record, new_token = token_service.create_token(
                db.session, current_user, form.name.data or "", form.scope.data, by=actor()
            )
            db.session.commit()
            log_security_event("token_created", token=record.prefix, scope=record.scope)
            form = TokenForm(formdata=None)
        except ValidationFailed as exc:
            db.session.rollback()
            attach_errors(form, exc)
    rows = token_service.tokens_of(db.session, current_user)
    # An admin also sees everyone else's tokens in use, to revoke one that leaked.
    others = (
        token_service.tokens_of_others(db.session, current_user)
        if current_user.role == Role.ADMIN
        else None
    )
    status = 400 if form.is_submitted() and has_errors(form) else 200
    return render_template(
        "desk/tokens.html",
        form=form,
        tokens=rows,
        others=others,
        new_token=new_token,
        button_form=EmptyForm(),
    ), status


@bp.post("/tokens/<int:token_id>/revoke")
def token_revoke(token_id: int) -> Response:
    try:
        record = token_service.revoke_token(db.session, token_id, by=actor())
        db.session.commit()
        log_security_event("token_revoked", token=record.prefix)
        whose = "" if record.user_id == current_user.id else f" of {record.user.name}"
        flash(f"Token “{record.name}”{whose} revoked; it no longer works.", "success")
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
    return redirect(url_for("desk.tokens"))
