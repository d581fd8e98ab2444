"""Signing in and out, sessions and roles."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, make_user
from tracker.audit import SYSTEM
from tracker.auth.services import deactivate
from tracker.models import AuditEvent, Role


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def test_sign_in_with_the_right_password_opens_the_desk(client, db):
    user = make_user(db, Role.EDITOR)
    db.commit()
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/desk/")
    assert client.get("/desk/").status_code == 200


def test_email_is_matched_case_insensitively(client, db):
    user = make_user(db)
    db.commit()
    assert sign_in(client, user.email.upper()).status_code == 302


def test_wrong_password_gives_a_generic_message_and_keeps_the_email(client, db):
    user = make_user(db)
    db.commit()
    response = sign_in(client, user.email, "wrong password entirely")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The email or password is not right" in page
    assert f'value="{user.email}"' in page


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client, db):
    make_user(db, email="known@example.org")
    db.commit()
    unknown = sign_in(client, "nobody@example.org").get_data(as_text=True)
    wrong = sign_in(client, "known@example.org", "wrong password entirely").get_data(as_text=True)
    assert unknown.replace("nobody@example.org", "X") == wrong.replace("known@example.org", "X")


def test_failed_and_successful_sign_ins_are_audited(client, db):
    user = make_user(db)
    db.commit()
    sign_in(client, user.email, "wrong password entirely")
    sign_in(client, user.email)
    actions = db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["login_failed", "login"]


def test_deactivated_user_cannot_sign_in(client, db):
    user = make_user(db, active=False)
    db.commit()
    assert sign_in(client, user.email).status_code == 400


def test_desk_requires_sign_in(client):
    response = client.get("/desk/")
    assert response.status_code == 302
    assert "/login?next=/desk/" in response.headers["Location"]


def test_sign_in_follows_a_safe_next_path_only(client, db):
    user = make_user(db)
    db.commit()
    response = client.post(
        "/login?next=//evil.example/", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"].endswith("/desk/")


def test_sign_out_ends_the_session_everywhere(app, db):
    user = make_user(db)
    db.commit()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user.email)
    sign_in(phone, user.email, remember="y")
    assert phone.get("/desk/").status_code == 200
    laptop.post("/logout")
    assert laptop.get("/desk/").status_code == 302
    assert phone.get("/desk/").status_code == 302


def test_deactivation_rejects_an_existing_session_on_the_next_request(client, db):
    user = make_user(db)
    db.commit()
    sign_in(client, user.email)
    assert client.get("/desk/").status_code == 200
    deactivate(db, user, by=SYSTEM)
    db.commit()
    assert client.get("/desk/").status_code == 302


@pytest.mark.csrf
def test_sign_in_form_requires_the_csrf_token(client, db):
    user = make_user(db)
    db.commit()
    response = sign_in(client, user.email)
    assert response.status_code == 400
    assert client.get("/desk/").status_code == 302


@pytest.mark.csrf
def test_sign_out_requires_post_with_csrf(client, login_as):
    login_as(Role.ANALYST)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/desk/").status_code == 200
