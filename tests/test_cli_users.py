"""The `tracker users` commands and `tracker init`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from tests.db_support import empty_database_url
from tests.factories import make_user
from tracker import cli, cli_users, create_app
from tracker.audit import SYSTEM
from tracker.auth.services import change_email, create_user
from tracker.errors import ValidationFailed
from tracker.extensions import db as database_extension
from tracker.models import Role, User

GOOD_PASSWORD = "a long enough passphrase 9"
UNREACHABLE = [
    "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1",
    "sqlite:////nonexistent/folder/tracker.sqlite3",
]
MALFORMED_EMAILS = ["not an email @", "no-at-sign.example.org", "a@b", "two@@example.org"]


def invoke(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def app_on(url, tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    return create_app({"ENV_NAME": "testing", "DATABASE_URL": url})


def assert_one_line_error(result, *fragments):
    # An exception the command did not handle ends up in result.exception, not SystemExit.
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert result.output.startswith("Error: ")
    for fragment in fragments:
        assert fragment in result.output


@pytest.fixture
def no_password_prompt(monkeypatch):
    def refuse():
        raise AssertionError("the password was asked for")

    monkeypatch.setattr(cli_users, "_read_password", refuse)


def test_create_reads_the_password_from_stdin(app, db):
    result = invoke(
        app,
        "users",
        "create",
        "--email",
        "New@Example.org",
        "--role",
        "editor",
        input=GOOD_PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.email == "new@example.org"))
    assert user is not None and user.role == Role.EDITOR
    assert GOOD_PASSWORD not in user.password_hash


def test_create_has_no_password_option(app):
    result = invoke(
        app,
        "users",
        "create",
        "--email",
        "a@example.org",
        "--role",
        "editor",
        "--password",
        GOOD_PASSWORD,
    )
    assert result.exit_code != 0
    assert "No such option" in result.output


def test_create_refuses_an_unknown_role(app):
    result = invoke(
        app,
        "users",
        "create",
        "--email",
        "a@example.org",
        "--role",
        "boss",
        input=GOOD_PASSWORD + "\n",
    )
    assert result.exit_code == 1
    assert "Unknown role 'boss'" in result.output


def test_create_refuses_a_duplicate_email(app, db):
    make_user(db, email="taken@example.org")
    db.commit()
    result = invoke(
        app,
        "users",
        "create",
        "--email",
        "taken@example.org",
        "--role",
        "analyst",
        input=GOOD_PASSWORD + "\n",
    )
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_create_refuses_a_short_password(app):
    result = invoke(
        app, "users", "create", "--email", "a@example.org", "--role", "analyst", input="short\n"
    )
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output


def test_create_refuses_a_name_over_the_limit(app, db):
    # Stored as it was on SQLite; a traceback on PostgreSQL (varchar(120)).
    result = invoke(
        app, "users", "create", "--email", "a@example.org", "--role", "analyst",
        "--name", "N" * 130, input="a long enough password 1\n" * 2,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "The name is 130 characters long; the limit is 120" in result.output


def test_set_role_and_deactivate(app, db):
    user = make_user(db, email="someone@example.org")
    db.commit()
    assert invoke(app, "users", "set-role", "someone@example.org", "editor").exit_code == 0
    assert invoke(app, "users", "deactivate", "someone@example.org").exit_code == 0
    db.refresh(user)
    assert user.role == Role.EDITOR and not user.active
    listing = invoke(app, "users", "list").output
    assert "someone@example.org" in listing and "deactivated" in listing


def test_setting_the_role_a_user_has_keeps_their_sessions(app, db):
    user = make_user(db, Role.EDITOR, email="same@example.org")
    db.commit()
    token = user.session_token
    assert invoke(app, "users", "set-role", "same@example.org", "editor").exit_code == 0
    db.refresh(user)
    assert user.session_token == token


def test_unknown_user_is_a_clear_error(app):
    result = invoke(app, "users", "deactivate", "ghost@example.org")
    assert result.exit_code == 1
    assert "there is no user with the email ghost@example.org" in result.output


def test_init_with_an_unreachable_database_prints_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {
            "ENV_NAME": "testing",
            "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1",
        }
    )
    result = invoke(app, "init")
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot reach the database postgresql+psycopg://")
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("url", UNREACHABLE)
def test_users_list_with_an_unreachable_database_prints_one_line(url, tmp_path, monkeypatch):
    result = invoke(app_on(url, tmp_path, monkeypatch), "users", "list")
    assert_one_line_error(result, "cannot reach the database")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("notaurl", "it is not a database URL"),
        ("nosuchdb://host/name", "its database kind is not supported"),
        ("mysql://someone@127.0.0.1/tracker", "driver is not installed"),
    ],
)
def test_a_database_url_that_cannot_be_used_is_one_line_from_the_tracker_command(
    url, reason, tmp_path
):
    environment = {
        "DATABASE_URL": url,
        "TRACKER_ENV": "testing",
        "TRACKER_INSTANCE_PATH": str(tmp_path),
    }
    result = CliRunner().invoke(cli.tracker_group(), ["users", "list"], env=environment)
    assert_one_line_error(result, "DATABASE_URL cannot be used", reason)


@pytest.mark.parametrize(
    "command",
    [["users", "list"], ["users", "create", "--email", "a@example.org", "--role", "admin"]],
)
def test_users_commands_on_a_database_never_initialised_say_to_run_init(
    command, database, tmp_path, monkeypatch, no_password_prompt
):
    with empty_database_url(database, tmp_path) as url:
        app = app_on(url, tmp_path, monkeypatch)
        result = invoke(app, *command)
        with app.app_context():
            database_extension.engine.dispose()
    assert_one_line_error(result, "is not set up", "run `tracker init`")


@pytest.mark.parametrize(
    ("email", "role", "message"),
    [
        ("a@example.org", "boss", "Unknown role 'boss'"),
        ("taken@example.org", "analyst", "already exists"),
        ("not an email @", "analyst", "Enter a valid email address"),
    ],
)
def test_create_refuses_before_asking_for_the_password(
    app, db, no_password_prompt, email, role, message
):
    make_user(db, email="taken@example.org")
    db.commit()
    result = invoke(app, "users", "create", "--email", email, "--role", role)
    assert_one_line_error(result, message)
    assert db.scalars(select(User.email)).all() == ["taken@example.org"]


@pytest.mark.parametrize("email", MALFORMED_EMAILS)
def test_create_user_refuses_a_malformed_email(db, email):
    with pytest.raises(ValidationFailed) as refused:
        create_user(
            db, email=email, name="Someone", password=GOOD_PASSWORD, role="analyst", by=SYSTEM
        )
    assert "Enter a valid email address" in refused.value.errors["email"][0]


def test_change_email_refuses_a_malformed_email(db):
    user = make_user(db, email="kept@example.org")
    with pytest.raises(ValidationFailed):
        change_email(db, user, "not an email @", by=SYSTEM)
    assert user.email == "kept@example.org"


def test_the_commands_run_as_python_dash_m_tracker():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "tracker", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "Usage: tracker" in done.stdout
