"""Accounts, sign-in and access control."""

from __future__ import annotations

from flask import Flask

from tracker.auth import account
from tracker.auth.access import enforce_access
from tracker.auth.sessions import (
    enforce_session_lifetime,
    load_user,
    update_remember_cookie,
    user_from_remember_cookie,
)
from tracker.auth.views import bp
from tracker.extensions import login_manager


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see this page."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)
    login_manager.request_loader(user_from_remember_cookie)
    # Session lifetimes are checked before the access rules, so an expired session is
    # treated as signed out by them.
    app.before_request(enforce_session_lifetime)
    app.before_request(enforce_access)
    app.after_request(update_remember_cookie)
    app.register_blueprint(bp)
    app.register_blueprint(account.bp)
