"""Idle and absolute session limits, for session cookies and remember-me cookies alike.

The tests move the sessions' clock instead of sleeping. Cookies are taken from a response
and replayed in a fresh client, as someone who copied them would.
"""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from tests.factories import PASSWORD, make_user
from tracker import create_app
from tracker.auth import sessions
from tracker.auth.sessions import REMEMBER_COOKIE
from tracker.config import ConfigError, load_settings

MINUTE = 60.0


class Clock:
    def __init__(self) -> None:
        self.at = 1_800_000_000.0

    def __call__(self) -> float:
        return self.at

    def advance(self, minutes: float) -> None:
        self.at += minutes * MINUTE


@pytest.fixture
def clock(app, monkeypatch) -> Clock:
    app.config["SESSION_IDLE_MINUTES"] = 30
    app.config["SESSION_ABSOLUTE_HOURS"] = 2
    clock = Clock()
    monkeypatch.setattr(sessions, "now", clock)
    return clock


@pytest.fixture
def user(db):
    account = make_user(db)
    db.commit()
    return account


def sign_in(client, user, **extra):
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, **extra})
    assert response.status_code == 302
    return response


def replay(app, **cookies):
    """A new browser holding only the given cookies."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def signed_in(client) -> bool:
    return client.get("/desk/").status_code == 200


def test_the_sign_in_cookie_replayed_after_the_idle_limit_is_signed_out(app, client, clock, user):
    sign_in(client, user)
    cookie = client.get_cookie("session").value  # as the sign-in response set it
    clock.advance(29)
    assert signed_in(replay(app, session=cookie))
    clock.advance(2)
    response = replay(app, session=cookie).get("/desk/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_active_session_ends_at_the_absolute_limit_from_sign_in(app, client, clock, user):
    sign_in(client, user)
    thief = replay(app, session=client.get_cookie("session").value)
    for _ in range(5):  # active every 20 minutes: never idle
        clock.advance(20)
        assert signed_in(thief)
    clock.advance(19)  # 1 h 59 min after sign-in
    assert signed_in(thief)
    clock.advance(2)
    assert not signed_in(thief)


def test_a_session_without_start_times_is_expired(app, client, db, user):
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    assert not signed_in(client)


def test_idle_expiry_also_forgets_the_remember_me_cookie(app, client, clock, user):
    sign_in(client, user, remember="y")
    assert client.get_cookie(REMEMBER_COOKIE) is not None
    clock.advance(31)
    assert not signed_in(client)
    assert client.get_cookie(REMEMBER_COOKIE) is None
    assert not signed_in(client)  # and the next request does not sign in again silently


def test_a_remember_me_cookie_alone_signs_in_within_the_limits_and_is_logged(
    app, client, clock, user, caplog
):
    sign_in(client, user, remember="y")
    remember = client.get_cookie(REMEMBER_COOKIE).value
    clock.advance(10)
    with caplog.at_level(logging.INFO, logger="tracker.security"):
        assert signed_in(replay(app, **{REMEMBER_COOKIE: remember}))
    assert any(
        "event=login_remembered" in r.getMessage() and user.email in r.getMessage()
        for r in caplog.records
    )


def test_a_remember_me_cookie_alone_is_refused_after_the_idle_limit(
    app, client, clock, user, caplog
):
    sign_in(client, user, remember="y")
    remember = client.get_cookie(REMEMBER_COOKIE).value
    clock.advance(31)
    with caplog.at_level(logging.INFO, logger="tracker.security"):
        assert not signed_in(replay(app, **{REMEMBER_COOKIE: remember}))
    assert [r.getMessage() for r in caplog.records if "remember_refused" in r.getMessage()] == [
        "event=remember_refused actor=- ip=127.0.0.1 reason=idle"
    ]


def test_a_remember_me_cookie_is_refused_after_the_absolute_limit(app, client, clock, user):
    sign_in(client, user, remember="y")
    for _ in range(6):  # active every 20 minutes; the cookie is renewed with each visit
        clock.advance(20)
        assert signed_in(client)
    newest = client.get_cookie(REMEMBER_COOKIE).value
    clock.advance(1)  # 2 h 1 min after sign-in, 1 min after the last visit
    assert not signed_in(replay(app, **{REMEMBER_COOKIE: newest}))


def test_a_tampered_remember_me_cookie_is_refused(app, client, clock, user):
    sign_in(client, user, remember="y")
    remember = client.get_cookie(REMEMBER_COOKIE).value
    assert not signed_in(replay(app, **{REMEMBER_COOKIE: remember[:-2] + "xx"}))


def test_a_password_change_keeps_the_absolute_limit_of_the_session(app, client, clock, user):
    sign_in(client, user)
    clock.advance(100)
    new = "a completely new passphrase 77"
    changed = client.post(
        "/account/password", data={"pw-current": PASSWORD, "pw-new": new, "pw-confirm": new}
    )
    assert changed.status_code == 302
    clock.advance(21)  # 2 h 1 min after the first sign-in
    assert not signed_in(client)


@pytest.fixture
def own_app(database, tmp_path, monkeypatch):
    """An app made with settings of the test's choosing (they are read at start-up)."""
    from tests.conftest import app_config

    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    made = []

    def make(**overrides):
        made.append(create_app(app_config(database, tmp_path) | overrides))
        return made[-1]

    yield make
    for application in made:
        engine = application.extensions["tracker.db"]["engine"]
        database.clean(engine)
        engine.dispose()


def sign_in_remembered(application, **client_options):
    session = application.extensions["tracker.db"]["sessionmaker"]()
    person = make_user(session)
    session.commit()
    session.close()
    return application.test_client().post(
        "/login",
        data={"email": person.email, "password": PASSWORD, "remember": "y"},
        **client_options,
    )


def test_the_remember_me_cookie_is_secure_in_production(own_app):
    response = sign_in_remembered(
        own_app(ENV_NAME="production"), base_url="https://tracker.example"
    )
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if REMEMBER_COOKIE in c]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_fractional_hours_work_with_remember_me(own_app):
    response = sign_in_remembered(own_app(SESSION_ABSOLUTE_HOURS=0.5))
    assert response.status_code == 302
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if REMEMBER_COOKIE in c]
    assert "Max-Age=1800" in cookie


def test_session_limits_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_SESSION_IDLE_MINUTES", "15")
    monkeypatch.setenv("TRACKER_SESSION_ABSOLUTE_HOURS", "0.5")
    settings = load_settings({"SECRET_KEY": "x"}, tmp_path)
    assert settings["SESSION_IDLE_MINUTES"] == 15
    assert settings["SESSION_ABSOLUTE_HOURS"] == 0.5
    assert settings["REMEMBER_COOKIE_DURATION"] == timedelta(minutes=30)


@pytest.mark.parametrize(
    ("idle", "absolute", "named"),
    [
        ("ten", "12", "TRACKER_SESSION_IDLE_MINUTES"),
        ("0", "12", "TRACKER_SESSION_IDLE_MINUTES"),
        ("30", "-1", "TRACKER_SESSION_ABSOLUTE_HOURS"),
        ("30", "nan", "TRACKER_SESSION_ABSOLUTE_HOURS"),
        ("", "inf", "TRACKER_SESSION_ABSOLUTE_HOURS"),
    ],
)
def test_unworkable_session_limits_are_refused_with_the_variable_named(
    tmp_path, monkeypatch, idle, absolute, named
):
    monkeypatch.setenv("TRACKER_SESSION_IDLE_MINUTES", idle)
    monkeypatch.setenv("TRACKER_SESSION_ABSOLUTE_HOURS", absolute)
    with pytest.raises(ConfigError, match=named):
        load_settings({"SECRET_KEY": "x"}, tmp_path)
