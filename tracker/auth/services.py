"""Accounts: creating users, signing in, roles and deactivation. Every change is audited."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.audit import Actor, record_event, values_of
from tracker.auth.passwords import hash_password, needs_rehash, password_problem, verify_password
from tracker.errors import DomainError, NotFound, ValidationFailed
from tracker.models import Claim, ClaimStatus, Role, User, utcnow
from tracker.models.user import new_session_token
from tracker.services.tokens import revoke_all_tokens
from tracker.services.validation import length_problem

USER_FIELDS = ["email", "name", "role", "active"]
NAME_LIMIT = 120  # users.name is a varchar(120)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    """Why this is not a usable email address (syntax only: no DNS lookups), or None."""
    if len(email) > 254:
        return "Enter a valid email address (at most 254 characters)."
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        return f"Enter a valid email address: {exc}"
    return None


def typed_account(typed: str | None) -> str:
    """What a failed sign-in's logs may say the person typed as their email: the address,
    or only that it was none. A password typed into the email box was logged as it was."""
    email = normalise_email(typed or "")[:254]
    return email if "@" in email and email_problem(email) is None else "(not an email address)"


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user {user_id}.")
    return user


def create_user(
    session: Session, *, email: str, name: str, password: str, role: Role | str, by: Actor
) -> User:
    """Create an account; refuses duplicate emails, unknown roles and weak passwords."""
    email = normalise_email(email)
    errors: dict[str, list[str]] = {}
    bad_email = email_problem(email)
    if bad_email:
        errors["email"] = [bad_email]
    elif find_user_by_email(session, email) is not None:
        errors["email"] = [f"A user with the email {email} already exists."]
    try:
        role = Role(role)
    except ValueError:
        errors["role"] = [f"Unknown role {role!r}; use one of: {', '.join(r.value for r in Role)}."]
    problem = password_problem(password, [email, name])
    if problem:
        errors["password"] = [problem]
    name = " ".join(name.split())  # one line, as every list shows it
    if not name:
        errors["name"] = ["Enter a name."]
    elif problem := length_problem(name, NAME_LIMIT, "The name"):
        # The desk's form refuses it too; the command line stored it (SQLite) or failed
        # with a traceback (PostgreSQL's varchar(120)).
        errors["name"] = [problem]
    if errors:
        raise ValidationFailed(errors)
    user = User(email=email, name=name, password_hash=hash_password(password), role=role)
    session.add(user)
    session.flush()
    record_event(session, "create", "user", user.id, by=by, after=values_of(user, USER_FIELDS))
    return user


def authenticate(session: Session, email: str, password: str, *, ip: str | None) -> User | None:
    """The user for these credentials, or None. Both outcomes are audited.

    The same work is done whether or not the email exists, so neither the answer nor its
    timing tells an attacker which accounts exist.
    """
    user = find_user_by_email(session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        record_event(
            session,
            "login_failed",
            "user",
            user.id if user else None,
            by=Actor(None, ip),
            detail=f"email={typed_account(email)}",
        )
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    record_event(session, "login", "user", user.id, by=Actor(user, ip))
    return user


def end_all_sessions(user: User) -> None:
    """Make every existing session and remember-me cookie of this user stop working."""
    user.session_token = new_session_token()


def set_role(session: Session, user: User, role: Role | str, *, by: Actor) -> User:
    try:
        new_role = Role(role)
    except ValueError as exc:
        raise DomainError(f"Unknown role {role!r}.", field="role") from exc
    if new_role == user.role:
        # Nothing changes: no event, and nobody is signed out ("Change" pressed on the
        # role a person already has signed them out, an admin on their own row too).
        return user
    if user.role == Role.ADMIN and new_role != Role.ADMIN and _active_admins(session) <= 1:
        raise DomainError("This is the last active admin; make someone else admin first.")
    before = values_of(user, USER_FIELDS)
    user.role = new_role
    end_all_sessions(user)
    if not user.has_role(Role.EDITOR):
        release_reviews(session, user, f"{user.name} is no longer an editor", by=by)
    record_event(
        session,
        "set_role",
        "user",
        user.id,
        by=by,
        before=before,
        after=values_of(user, USER_FIELDS),
    )
    return user


def deactivate(session: Session, user: User, *, by: Actor) -> User:
    if user.role == Role.ADMIN and user.active and _active_admins(session) <= 1:
        raise DomainError("This is the last active admin and cannot be deactivated.")
    before = values_of(user, USER_FIELDS)
    user.active = False
    end_all_sessions(user)
    revoke_all_tokens(session, user, by=by)
    release_reviews(session, user, f"{user.name} was deactivated", by=by)
    record_event(
        session,
        "deactivate",
        "user",
        user.id,
        by=by,
        before=before,
        after=values_of(user, USER_FIELDS),
    )
    return user


def assigned_reviews(session: Session, user: User) -> list[Claim]:
    """The claims in review that wait on USER as their assigned editor."""
    return list(
        session.scalars(
            select(Claim).where(
                Claim.assignee_id == user.id,
                Claim.status == ClaimStatus.IN_REVIEW,
                Claim.deleted_at.is_(None),
            )
        )
    )


def release_reviews(session: Session, user: User, why: str, *, by: Actor) -> int:
    """Unassign the reviews waiting on a user who can no longer do them; how many there were.

    They would wait on a deactivated account, or on an analyst, whom the assign rule
    refuses; unassigned, they show among the reviews nobody has taken.
    """
    from tracker.services.workflow import set_assignee

    claims = assigned_reviews(session, user)
    for claim in claims:
        set_assignee(session, claim, None, by=by, why=f"Unassigned: {why}.")
    return len(claims)


def reactivate(session: Session, user: User, *, by: Actor) -> User:
    before = values_of(user, USER_FIELDS)
    user.active = True
    record_event(
        session,
        "reactivate",
        "user",
        user.id,
        by=by,
        before=before,
        after=values_of(user, USER_FIELDS),
    )
    return user


def set_password(session: Session, user: User, password: str, *, by: Actor) -> User:
    problem = password_problem(password, [user.email, user.name])
    if problem:
        raise ValidationFailed({"password": [problem]})
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(user)
    record_event(session, "set_password", "user", user.id, by=by)
    return user


def _active_admins(session: Session) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active)
        )
        or 0
    )


def change_email(session: Session, user: User, new_email: str, *, by: Actor) -> User:
    """A new sign-in email (the caller has checked the current password first)."""
    email = normalise_email(new_email)
    bad_email = email_problem(email)
    if bad_email:
        raise ValidationFailed({"email": [bad_email]})
    other = find_user_by_email(session, email)
    if other is not None and other.id != user.id:
        raise ValidationFailed({"email": ["Another account uses this email."]})
    before = values_of(user, USER_FIELDS)
    user.email = email
    end_all_sessions(user)
    record_event(
        session,
        "change_email",
        "user",
        user.id,
        by=by,
        before=before,
        after=values_of(user, USER_FIELDS),
    )
    return user
