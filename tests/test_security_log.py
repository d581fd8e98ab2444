"""The security log: token use, remembered sign-ins, command-line changes, safe formatting."""

from __future__ import annotations

import logging

import pytest
from flask_login.utils import encode_cookie

from tests.factories import make_user
from tests.test_security_web import parse_logfmt
from tracker.audit import Actor
from tracker.models import Role
from tracker.security import format_event
from tracker.services import tokens


@pytest.fixture
def security_lines(caplog):
    """The security log's lines as parsed fields, collected while the test runs."""
    caplog.set_level(logging.INFO, logger="tracker.security")

    def lines(event: str | None = None) -> list[dict[str, str]]:
        parsed = [
            dict(parse_logfmt(r.getMessage()))
            for r in caplog.records
            if r.name == "tracker.security"
        ]
        return [fields for fields in parsed if event is None or fields["event"] == event]

    return lines


@pytest.fixture(autouse=True)
def no_capture(monkeypatch):
    monkeypatch.setattr("tracker.jobs.dispatch", lambda job_id: "queued")


def write_with(client, token: str):
    return client.post(
        "/api/v1/claims",
        json={"text": "A claim sent with a token.", "language": "en"},
        headers={"Authorization": f"Bearer {token}"},
    )


def test_an_unknown_bearer_token_is_logged_as_refused(client, security_lines):
    assert write_with(client, "tdt_not-a-real-token").status_code == 401
    [line] = security_lines("token_refused")
    assert line["reason"] == "unknown_or_revoked" and line["ip"] == "127.0.0.1"
    assert line["endpoint"] == "api.claim_create"
    assert "tdt_not-a-real-token" not in str(security_lines())


def test_a_malformed_authorization_header_is_logged_as_refused(client, security_lines):
    response = client.post("/api/v1/claims", json={}, headers={"Authorization": "Basic eDp5"})
    assert response.status_code == 401
    [line] = security_lines("token_refused")
    assert line["reason"] == "malformed_header"


def test_an_accepted_token_is_logged_with_its_owner_and_prefix_only(client, db, security_lines):
    user = make_user(db, Role.ANALYST, email="writer@example.org")
    record, token = tokens.create_token(db, user, "import", "write", by=Actor(user))
    db.commit()
    assert write_with(client, token).status_code == 201
    [line] = security_lines("token_used")
    assert line["actor"] == "writer@example.org"
    assert line["token"] == record.prefix and line["scope"] == "write"
    assert token not in str(security_lines())


def test_a_read_token_used_for_writing_is_logged_as_refused(client, db, security_lines):
    user = make_user(db, Role.ANALYST, email="reader@example.org")
    _, token = tokens.create_token(db, user, "read only", "read", by=Actor(user))
    db.commit()
    assert write_with(client, token).status_code == 403
    [line] = security_lines("token_refused")
    assert line["reason"] == "read_only" and line["actor"] == "reader@example.org"


def test_role_changes_and_deactivations_from_the_command_line_are_logged(app, db, security_lines):
    make_user(db, Role.ADMIN)
    make_user(db, Role.ANALYST, email="someone@example.org")
    db.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "set-role", "someone@example.org", "editor"]).exit_code == 0
    assert runner.invoke(args=["users", "deactivate", "someone@example.org"]).exit_code == 0
    [role] = security_lines("user_role")
    assert role["target"] == "someone@example.org"
    assert (role["before"], role["role"]) == ("analyst", "editor")
    assert role["actor"].startswith("cli:")
    [deactivated] = security_lines("user_deactivate")
    assert deactivated["target"] == "someone@example.org" and deactivated["active"] == "False"


def test_a_user_created_on_the_command_line_is_logged(app, db, security_lines):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "new@example.org", "--role", "editor"],
        input="a long enough passphrase 9\n",
    )
    assert result.exit_code == 0, result.output
    [line] = security_lines("user_created")
    assert line["target"] == "new@example.org" and line["role"] == "editor"


def test_an_old_flask_login_remember_cookie_is_refused_and_deleted(app, db, security_lines):
    user = make_user(db)
    db.commit()
    with app.test_request_context():
        legacy = encode_cookie(user.get_id())
    browser = app.test_client()
    browser.set_cookie("remember_token", legacy)
    assert browser.get("/desk/").status_code == 302
    assert browser.get_cookie("remember_token") is None
    assert [line["reason"] for line in security_lines("session_expired")] == ["no_start_time"]


@pytest.mark.parametrize(
    "value",
    [
        'quote " and backslash \\',
        "line\u2028separator and paragraph\u2029",
        "\x1b[31mred\x1b[0m",
        "x ip=10.0.0.1 event=login",
        "tab\tand nul\x00",
        "",
    ],
)
def test_every_value_reads_back_as_itself_in_one_field(value):
    line = format_event("login_failed", value, "127.0.0.1", {"note": value})
    assert line.isprintable()
    fields = parse_logfmt(line)
    assert [key for key, _ in fields] == ["event", "actor", "ip", "note"]
    assert dict(fields)["note"] == value


def test_a_password_typed_into_the_email_box_is_not_logged(client, db, security_lines):
    from sqlalchemy import select

    from tracker.models import AuditEvent

    client.post("/login", data={"email": "MySecretPassw0rd!", "password": "anything"})
    client.post("/login", data={"email": "Someone@Example.org", "password": "anything"})
    actors = [line["actor"] for line in security_lines("login_failed")]
    assert actors == ["(not an email address)", "someone@example.org"]
    details = db.scalars(select(AuditEvent.detail).where(AuditEvent.action == "login_failed"))
    assert "MySecretPassw0rd" not in " ".join(d or "" for d in details)
