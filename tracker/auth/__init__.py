"""Accounts, sign-in and access control."""

from __future__ import annotations

import hmac

from flask import Flask

from tracker.auth import account
from tracker.auth.access import enforce_access
from tracker.auth.views import bp
from tracker.extensions import db, login_manager
from tracker.models import User


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


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    app.before_request(enforce_access)
    app.register_blueprint(bp)
    app.register_blueprint(account.bp)
