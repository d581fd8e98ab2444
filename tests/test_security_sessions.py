"""Sessions and sign-in (ASVS level 2 for accounts and sessions)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, make_user
from tracker.auth.sessions import REMEMBER_COOKIE as REMEMBER
from tracker.models import Role, User


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_signing_in_starts_a_new_session(client, db):
    user = make_user(db)
    db.commit()
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = session_cookie(client)
    sign_in(client, user.email)
    assert session_cookie(client) != before
    with client.session_transaction() as session:
        assert "planted" not in session


def test_a_cookie_replayed_after_sign_out_is_signed_out(app, client, db):
    user = make_user(db)
    db.commit()
    sign_in(client, user.email, remember="y")
    stolen_session = session_cookie(client)
    stolen_remember = client.get_cookie(REMEMBER).value
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie("session", stolen_session)
    thief.set_cookie(REMEMBER, stolen_remember)
    assert thief.get("/desk/").status_code == 302


def test_a_password_change_ends_other_sessions_but_not_this_one(app, client, db):
    user = make_user(db, email="me@example.org")
    db.commit()
    other_device = app.test_client()
    sign_in(client, user.email)
    sign_in(other_device, user.email)
    response = client.post(
        "/account/password",
        data={
            "pw-current": PASSWORD,
            "pw-new": "a completely new passphrase 77",
            "pw-confirm": "a completely new passphrase 77",
        },
    )
    assert response.status_code == 302
    assert client.get("/desk/").status_code == 200
    assert other_device.get("/desk/").status_code == 302


def test_changing_the_password_needs_the_current_password(client, db):
    user = make_user(db)
    db.commit()
    sign_in(client, user.email)
    response = client.post(
        "/account/password",
        data={
            "pw-current": "not my password at all",
            "pw-new": "a completely new passphrase 77",
            "pw-confirm": "a completely new passphrase 77",
        },
    )
    assert response.status_code == 400
    assert "Your current password is not right." in response.get_data(as_text=True)


def test_changing_the_email_needs_the_current_password(client, db):
    user = make_user(db, email="old@example.org")
    db.commit()
    sign_in(client, user.email)
    refused = client.post(
        "/account/email", data={"em-current": "wrong password here", "em-email": "new@example.org"}
    )
    assert refused.status_code == 400
    assert (
        client.post(
            "/account/email", data={"em-current": PASSWORD, "em-email": "new@example.org"}
        ).status_code
        == 302
    )
    assert db.scalar(select(User.email).where(User.id == user.id)) == "new@example.org"


def test_every_problem_of_a_password_change_is_shown_at_once(client, db):
    # A new user fixed "do not match", then learnt the password was wrong, then too short.
    user = make_user(db)
    db.commit()
    sign_in(client, user.email)
    response = client.post(
        "/account/password",
        data={"pw-current": "not my password", "pw-new": "short", "pw-confirm": "shorter"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your current password is not right." in page
    assert "at least 12 characters" in page
    assert "The two do not match." in page


def test_every_problem_of_an_email_change_is_shown_at_once(client, db):
    user = make_user(db)
    db.commit()
    sign_in(client, user.email)
    response = client.post(
        "/account/email", data={"em-current": "not my password", "em-email": "not-an-email"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your current password is not right." in page
    assert 'id="em-email-error"' in page


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short", "at least 12 characters"),
        ("x" * 129, "at most 128 characters"),
        ("password1234", "too easy to guess"),
        ("qwertyuiop123", "too easy to guess"),
        ("iloveyou2024!", "too easy to guess"),
        ("me@example.org1", "too easy to guess"),
    ],
)
def test_weak_passwords_are_refused(client, db, password, reason):
    user = make_user(db, email="me@example.org", name="Me Myself")
    db.commit()
    sign_in(client, user.email)
    response = client.post(
        "/account/password",
        data={"pw-current": PASSWORD, "pw-new": password, "pw-confirm": password},
    )
    assert response.status_code == 400
    assert reason in response.get_data(as_text=True)


def test_a_long_passphrase_is_accepted(client, db):
    user = make_user(db)
    db.commit()
    sign_in(client, user.email)
    long_one = (
        "the quiet river runs past seven orange lanterns while a tired heron "
        "counts pebbles beside forty crooked fence posts today"
    )
    assert 100 < len(long_one) <= 128
    response = client.post(
        "/account/password",
        data={"pw-current": PASSWORD, "pw-new": long_one, "pw-confirm": long_one},
    )
    assert response.status_code == 302


def test_session_cookies_are_httponly_and_samesite_lax(client, db):
    user = make_user(db)
    db.commit()
    response = sign_in(client, user.email, remember="y")
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session=", REMEMBER + "="):
        [cookie] = [c for c in cookies if c.startswith(name)]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_cookies_are_secure_in_production(tmp_path, monkeypatch):
    from tracker import create_app

    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {
            "ENV_NAME": "production",
            "SECRET_KEY": "x" * 48,
            "DATABASE_URL": f"sqlite:///{tmp_path}/p.sqlite3",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_sign_in_is_rate_limited_per_account(app, db):
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "3 per 15 minutes"
    user = make_user(db)
    db.commit()
    codes = [
        sign_in(app.test_client(), user.email, "wrong password " + str(n)).status_code
        for n in range(4)
    ]
    assert codes == [400, 400, 400, 429]
    # Even the right password is refused while the account is locked out.
    assert sign_in(app.test_client(), user.email).status_code == 429


def test_sign_in_is_rate_limited_per_client_address(app, db):
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    client = app.test_client()
    codes = [
        sign_in(client, f"person{n}@example.org", "whatever it is").status_code for n in range(4)
    ]
    assert codes == [400, 400, 400, 429]


def test_the_lockout_does_not_tell_whether_the_account_exists(app, db):
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "2 per 15 minutes"
    make_user(db, email="real@example.org")
    db.commit()
    pages = {}
    for email in ("real@example.org", "ghost@example.org"):
        for _ in range(3):
            response = sign_in(app.test_client(), email, "wrong password guess")
        pages[email] = (response.status_code, response.get_data(as_text=True))
    assert pages["real@example.org"] == pages["ghost@example.org"]


def test_successful_sign_ins_do_not_count_towards_the_account_lockout(app, db):
    app.config["LOGIN_ACCOUNT_RATE_LIMIT"] = "2 per 15 minutes"
    user = make_user(db)
    db.commit()
    codes = [sign_in(app.test_client(), user.email).status_code for _ in range(4)]
    assert codes == [302, 302, 302, 302]


def test_the_rate_limit_is_shared_through_redis_when_configured(database, tmp_path, monkeypatch):
    """Two app instances (two workers) with REDIS_URL share one count."""
    import os
    import uuid

    import redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    try:
        redis.Redis.from_url(url, socket_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running here")
    from tests.conftest import app_config
    from tracker import create_app

    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    config = app_config(database, tmp_path) | {
        "REDIS_URL": url,
        "LOGIN_RATE_LIMIT": "3 per minute",
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}",
    }
    first, second = create_app(config), create_app(config)
    # The limiter is one object per process and keeps the key prefix of the first app it
    # served, so this run's counts are kept apart by a client address and account of its own.
    run = uuid.uuid4()
    address = f"10.{run.bytes[0]}.{run.bytes[1]}.{run.bytes[2]}"

    def attempt(app):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        return sign_in(client, f"{run.hex}@example.org", "nope nope nope").status_code

    codes = [attempt(app) for app in (first, second, first, second)]
    assert codes == [400, 400, 400, 429]
    for app in (first, second):
        with app.app_context():
            from tracker.extensions import db as database_extension

            database_extension.engine.dispose()


def test_a_deactivated_user_cannot_use_an_old_remember_cookie(app, client, db):
    from tracker.audit import SYSTEM
    from tracker.auth.services import deactivate

    user = make_user(db, Role.ANALYST)
    make_user(db, Role.ADMIN)
    db.commit()
    sign_in(client, user.email, remember="y")
    remember = client.get_cookie(REMEMBER).value
    deactivate(db, user, by=SYSTEM)
    db.commit()
    fresh = app.test_client()
    fresh.set_cookie(REMEMBER, remember)
    assert fresh.get("/desk/").status_code == 302
