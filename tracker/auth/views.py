"""Signing in and out."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.audit import Actor, record_event
from tracker.auth.forms import LoginForm
from tracker.auth.redirects import safe_next
from tracker.auth.services import authenticate, end_all_sessions, typed_account
from tracker.auth.sessions import end_session, start_session
from tracker.extensions import db, limiter
from tracker.security import log_security_event

bp = Blueprint("auth", __name__)

GENERIC_FAILURE = "The email or password is not right, or the account is not active."


def _account_key() -> str:
    """Failed attempts are also counted per account (the email typed), whoever sends them."""
    return "account:" + (request.form.get("email") or "").strip().lower()[:254]


def _locked_out(limit) -> None:
    log_security_event(
        "lockout", actor=typed_account(request.form.get("email")), limit=str(limit.limit)
    )


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"], on_breach=_locked_out
)
@limiter.limit(
    lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
    methods=["POST"],
    key_func=_account_key,
    deduct_when=lambda response: response.status_code != 302,
    on_breach=_locked_out,
)
def login() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), url_for("desk.home")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(
            db.session, form.email.data or "", form.password.data or "", ip=request.remote_addr
        )
        db.session.commit()
        if user is not None:
            start_session(user, remember=bool(form.remember.data))
            log_security_event("login", actor=user.email)
            return redirect(safe_next(request.args.get("next"), url_for("desk.home")))
        log_security_event("login_failed", actor=typed_account(form.email.data))
        form.password.errors.append(GENERIC_FAILURE)
    status = 200 if not form.errors else 400
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        end_all_sessions(user)
        record_event(db.session, "logout", "user", user.id, by=Actor(user, request.remote_addr))
        db.session.commit()
        log_security_event("logout", actor=user.email)
    end_session()
    flash("You are signed out.", "info")
    return redirect(url_for("public.home"))
