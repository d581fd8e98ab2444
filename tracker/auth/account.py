"""A user's own account: change password or email, after typing the current password again."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response
from wtforms import EmailField, Field, PasswordField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.audit import Actor
from tracker.auth import services
from tracker.auth.passwords import password_problem, verify_password
from tracker.auth.sessions import start_session
from tracker.errors import ValidationFailed
from tracker.extensions import db, limiter
from tracker.security import log_security_event

bp = Blueprint("account", __name__, url_prefix="/account")

REAUTH_FAILED_MESSAGE = "Your current password is not right."


# autocomplete tells password managers which password a box wants (and offers a new one).
CURRENT = {"autocomplete": "current-password"}
NEW = {"autocomplete": "new-password"}


class PasswordChangeForm(FlaskForm):
    current = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=1024)], render_kw=CURRENT
    )
    new = PasswordField(
        "New password", validators=[DataRequired(), Length(max=1024)], render_kw=NEW
    )
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("new", "The two do not match.")],
        render_kw=NEW,
    )


class EmailChangeForm(FlaskForm):
    current = PasswordField(
        "Current password", validators=[DataRequired(), Length(max=1024)], render_kw=CURRENT
    )
    email = EmailField(
        "New email",
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )


def _render(password_form: FlaskForm, email_form: FlaskForm, status: int = 200) -> tuple[str, int]:
    return render_template(
        "auth/account.html", password_form=password_form, email_form=email_form
    ), status


def _current_password_is_right(form: FlaskForm, user, purpose: str) -> bool:
    """Check the current password even when other fields have errors, so that every
    problem is shown at once (its own error joins the others)."""
    typed = form.current.data or ""
    if not typed:
        return False
    if verify_password(user.password_hash, typed):
        return True
    form.current.errors = [*form.current.errors, REAUTH_FAILED_MESSAGE]
    log_security_event("reauth_failed", purpose=purpose)
    return False


def _stay_signed_in(user) -> None:
    """Other sessions ended with the change; this one continues with a fresh session, with
    the same absolute limit (typing the password again here does not extend it)."""
    start_session(user, remember=bool(session.get("_remember_me")), started=session["_started"])


def _save_change(
    user, change: Callable[[], object], field: Field, key: str, event: str, done: str
) -> Response | None:
    """Make the change and sign this session in again; None when the service refused it
    (its reason is added to FIELD, from the service's errors under KEY)."""
    try:
        change()
    except ValidationFailed as exc:
        db.session.rollback()
        field.errors = exc.errors.get(key, [exc.message])
        return None
    db.session.commit()
    _stay_signed_in(user)
    log_security_event(event)
    flash(done, "success")
    return redirect(url_for("account.account"))


@bp.get("/")
def account() -> tuple[str, int]:
    return _render(PasswordChangeForm(prefix="pw"), EmailChangeForm(prefix="em"))


@bp.post("/password")
@limiter.limit("10 per hour")
def change_password() -> Response | tuple[str, int]:
    form = PasswordChangeForm(prefix="pw")
    user = current_user._get_current_object()
    valid = form.validate()
    right = _current_password_is_right(form, user, "password")
    problem = form.new.data and password_problem(form.new.data, [user.email, user.name])
    if problem:
        form.new.errors = [*form.new.errors, problem]
    if valid and right and not problem:
        saved = _save_change(
            user,
            lambda: services.set_password(
                db.session, user, form.new.data or "", by=Actor(user, request.remote_addr)
            ),
            form.new,
            "password",
            "password_changed",
            "Password changed. Other sessions have been signed out.",
        )
        if saved is not None:
            return saved
    return _render(form, EmailChangeForm(prefix="em"), 400)


@bp.post("/email")
@limiter.limit("10 per hour")
def change_email() -> Response | tuple[str, int]:
    form = EmailChangeForm(prefix="em")
    user = current_user._get_current_object()
    valid = form.validate()
    right = _current_password_is_right(form, user, "email")
    problem = form.email.data and services.email_problem(services.normalise_email(form.email.data))
    if problem:
        form.email.errors = [*form.email.errors, problem]
    if valid and right and not problem:
        saved = _save_change(
            user,
            lambda: services.change_email(
                db.session, user, form.email.data or "", by=Actor(user, request.remote_addr)
            ),
            form.email,
            "email",
            "email_changed",
            "Email changed. Other sessions have been signed out.",
        )
        if saved is not None:
            return saved
    return _render(PasswordChangeForm(prefix="pw"), form, 400)
