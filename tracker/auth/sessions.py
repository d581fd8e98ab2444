"""Signed-in sessions: when they start and end, and the remember-me cookie.

Sessions are signed cookies, so the server keeps no list of them; what limits a session is
written inside it, under the app's signature: `_started` (when the password was typed) and
`_seen` (the last request, refreshed at most once a minute). A session without them is
treated as expired, so a cookie from before this rule, or one made by hand, cannot live on.

The remember-me cookie ("Keep me signed in on this device") lets a browser that was closed
come back without the password. It is the app's own signed cookie carrying the same two
times, so it obeys the same idle and absolute limits as the session it came from: it is
refused once either has passed, even when replayed on its own. Flask-Login's own remember
cookie is not used because it carries no time the server could check.
"""

from __future__ import annotations

import hmac
import time
from typing import Any

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from tracker.extensions import db
from tracker.models import User
from tracker.security import log_security_event

REMEMBER_COOKIE = "tracker_remember"
# How often `_seen` is rewritten: idle pages should not rewrite the cookie on every request.
SEEN_RESOLUTION_SECONDS = 60


def now() -> float:
    """The clock of session lifetimes (tests move it forward)."""
    return time.time()


def load_user(cookie_id: str) -> User | None:
    """Flask-Login's loader: the cookie carries the user id and their current session token."""
    user_id, _, token = cookie_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active:
        return None
    if not hmac.compare_digest(user.session_token.encode(), token.encode()):
        return None
    return user


def _limits() -> tuple[float, float]:
    config = current_app.config
    return config["SESSION_IDLE_MINUTES"] * 60, config["SESSION_ABSOLUTE_HOURS"] * 3600


def _expired(started: Any, seen: Any, at: float) -> str | None:
    """Why a session that started and was last seen at these times is over, or None."""
    if not isinstance(started, int | float) or not isinstance(seen, int | float):
        return "no_start_time"
    idle, absolute = _limits()
    if at - started > absolute:
        return "absolute"
    if at - seen > idle:
        return "idle"
    return None


def start_session(user: User, *, remember: bool, started: float | None = None) -> None:
    """Sign `user` in on a new session; `started` keeps an earlier start (re-authentication
    inside a session does not extend its absolute limit)."""
    session.clear()  # nothing from before survives (no session fixation)
    login_user(user)
    at = now()
    session["_started"] = started if started is not None else at
    session["_seen"] = at
    if remember:
        session["_remember_me"] = True
    g.write_remember_cookie = True


def end_session() -> None:
    """Sign out this browser: the session and its remember-me cookie."""
    logout_user()
    # Flask-Login's note to delete its own remember cookie (one from before this app used
    # its own) must survive the clearing, or that cookie would be tried on every request.
    flask_login_note = session.get("_remember")
    session.clear()
    if flask_login_note:
        session["_remember"] = flask_login_note
    g.forget_remember_cookie = True


def _serializer() -> URLSafeSerializer:
    key = current_app.secret_key
    if key is None:  # never: create_app sets SECRET_KEY or refuses to start
        raise RuntimeError("SECRET_KEY is not set")
    return URLSafeSerializer(key, salt="tracker.remember-me")


def user_from_remember_cookie(_request: Any) -> User | None:
    """Flask-Login's request loader: sign in from the remember-me cookie when its session
    has gone (browser closed), within the session's idle and absolute limits."""
    raw = request.cookies.get(REMEMBER_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw)
        user_id, started, seen = data["user"], data["started"], data["seen"]
    except (BadSignature, KeyError, TypeError):
        _refuse_remember_cookie("bad_signature")
        return None
    reason = _expired(started, seen, now())
    if reason:
        _refuse_remember_cookie(reason)
        return None
    user = load_user(str(user_id))
    if user is None:
        _refuse_remember_cookie("signed_out")
        return None
    session.clear()
    session["_user_id"] = user.get_id()
    session["_fresh"] = False
    session["_started"] = started
    session["_seen"] = now()
    session["_remember_me"] = True
    g.write_remember_cookie = True
    log_security_event("login_remembered", actor=user.email)
    return user


def _refuse_remember_cookie(reason: str) -> None:
    # An explicit actor: asking for current_user here would run this loader again.
    log_security_event("remember_refused", actor="-", reason=reason)
    g.forget_remember_cookie = True
    return None


def enforce_session_lifetime() -> Response | None:
    """before_request: end sessions past the idle or absolute limit (configurable)."""
    if not getattr(current_user, "is_authenticated", False):
        return None
    at = now()
    reason = _expired(session.get("_started"), session.get("_seen"), at)
    if reason:
        log_security_event("session_expired", reason=reason)
        end_session()
        if request.path.startswith("/api/"):
            return None
        flash("Your session has expired. Please sign in again.", "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if at - session["_seen"] > SEEN_RESOLUTION_SECONDS:
        session["_seen"] = at
        g.write_remember_cookie = True
    return None


def update_remember_cookie(response: Response) -> Response:
    """after_request: write the remember-me cookie with the session's times, or delete it."""
    has_cookie = REMEMBER_COOKIE in request.cookies
    config = current_app.config
    if g.get("forget_remember_cookie") or (has_cookie and not session.get("_remember_me")):
        if has_cookie or g.get("forget_remember_cookie"):
            response.delete_cookie(
                REMEMBER_COOKIE,
                secure=config["REMEMBER_COOKIE_SECURE"],
                httponly=True,
                samesite=config["REMEMBER_COOKIE_SAMESITE"],
            )
        return response
    if g.get("write_remember_cookie") and session.get("_remember_me") and "_user_id" in session:
        started, seen = session["_started"], session["_seen"]
        _, absolute = _limits()
        value = _serializer().dumps({"user": session["_user_id"], "started": started, "seen": seen})
        response.set_cookie(
            REMEMBER_COOKIE,
            value,
            max_age=max(1, round(started + absolute - now())),
            secure=config["REMEMBER_COOKIE_SECURE"],
            httponly=True,
            samesite=config["REMEMBER_COOKIE_SAMESITE"],
        )
    return response
