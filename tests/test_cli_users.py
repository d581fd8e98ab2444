"""The `tracker users` commands and `tracker init`."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import make_user
from tracker import create_app
from tracker.models import Role, User

GOOD_PASSWORD = "a long enough passphrase 9"


def invoke(app, *args, input=None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


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


def test_set_role_and_deactivate(app, db):
    user = make_user(db, email="someone@example.org")
    db.commit()
    assert invoke(app, "users", "set-role", "someone@example.org", "editor").exit_code == 0
    assert invoke(app, "users", "deactivate", "someone@example.org").exit_code == 0
    db.refresh(user)
    assert user.role == Role.EDITOR and not user.active
    listing = invoke(app, "users", "list").output
    assert "someone@example.org" in listing and "deactivated" in listing


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
