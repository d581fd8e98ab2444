"""`tracker users`: create, list, change the role of and deactivate accounts."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from tracker.audit import SYSTEM
from tracker.cli import log_cli_event
from tracker.errors import DomainError, ValidationFailed
from tracker.extensions import db

if TYPE_CHECKING:
    from tracker.models import User


@click.group("users")
def users_group() -> None:
    """Manage user accounts."""


def _read_password() -> str:
    """From a hidden prompt on a terminal, or the first line of stdin when piped."""
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    return sys.stdin.readline().rstrip("\r\n")


def _refuse_before_the_password(email: str, role: str) -> None:
    """The problems that do not depend on the password, found before asking for it."""
    from tracker.auth.services import email_problem, find_user_by_email, normalise_email
    from tracker.models import Role

    if role not in {r.value for r in Role}:
        choices = ", ".join(r.value for r in Role)
        raise click.ClickException(f"role: Unknown role {role!r}; use one of: {choices}.")
    bad_email = email_problem(normalise_email(email))
    if bad_email:
        raise click.ClickException(f"email: {bad_email}")
    if find_user_by_email(db.session, email) is not None:
        raise click.ClickException(f"email: A user with the email {email} already exists.")


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", default=None, help="Full name (defaults to the email's local part).")
@click.option("--role", required=True, metavar="analyst|editor|admin")
@with_appcontext
def users_create(email: str, name: str | None, role: str) -> None:
    """Create a user; the password is read from a prompt or stdin, never an argument."""
    from tracker.auth.services import create_user

    _refuse_before_the_password(email, role)
    password = _read_password()
    try:
        user = create_user(
            db.session,
            email=email,
            name=name or email.split("@")[0],
            password=password,
            role=role,
            by=SYSTEM,
        )
        db.session.commit()
    except ValidationFailed as exc:
        db.session.rollback()
        messages = "; ".join(f"{field}: {', '.join(errs)}" for field, errs in exc.errors.items())
        raise click.ClickException(messages) from exc
    log_cli_event("user_created", target=user.email, role=user.role)
    click.echo(f"Created {user.role} {user.email}.")


@users_group.command("list")
@with_appcontext
def users_list() -> None:
    """List users with their role and state."""
    from tracker.models import User

    for user in db.session.scalars(select(User).order_by(User.email)):
        state = "active" if user.active else "deactivated"
        click.echo(f"{user.email:32} {user.role:8} {state:12} {user.name}")


@users_group.command("set-role")
@click.argument("email")
@click.argument("role")
@with_appcontext
def users_set_role(email: str, role: str) -> None:
    """Change a user's role."""
    from tracker.auth.services import set_role

    user = _user_or_fail(email)
    try:
        before = user.role
        set_role(db.session, user, role, by=SYSTEM)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    log_cli_event("user_role", target=user.email, role=user.role, before=before)
    click.echo(f"{user.email} is now {user.role}.")


@users_group.command("deactivate")
@click.argument("email")
@with_appcontext
def users_deactivate(email: str) -> None:
    """Deactivate a user; their sessions stop working at once."""
    from tracker.auth.services import deactivate

    user = _user_or_fail(email)
    try:
        deactivate(db.session, user, by=SYSTEM)
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    log_cli_event("user_deactivate", target=user.email, role=user.role, active=user.active)
    click.echo(f"{user.email} is deactivated.")


def _user_or_fail(email: str) -> User:
    from tracker.auth.services import find_user_by_email

    user = find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"there is no user with the email {email}")
    return user
