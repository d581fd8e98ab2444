"""Personal API tokens: shown once, stored as a SHA-256 hash, scoped read or write."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from tracker.audit import Actor, record_event
from tracker.errors import NotFound, PermissionDenied, ValidationFailed
from tracker.models import ApiToken, TokenScope, User, utcnow

# Recognisable in logs and by secret scanners; not a secret itself.
TOKEN_PREFIX = "tdt_"  # noqa: S105


def hash_token(token: str) -> str:
    # The token is 256 random bits, so a plain SHA-256 is enough (no slow hash needed).
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session, user: User, name: str, scope: TokenScope | str, *, by: Actor
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the record and the token itself (shown only once)."""
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationFailed(
            {"name": ["Name the token (up to 100 characters), e.g. “spreadsheet import”."]}
        )
    try:
        scope = TokenScope(scope)
    except ValueError as exc:
        raise ValidationFailed({"scope": ["Choose read or write."]}) from exc
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(
        user_id=user.id, name=name, scope=scope, token_hash=hash_token(token), prefix=token[:12]
    )
    session.add(record)
    session.flush()
    record_event(
        session,
        "create",
        "api_token",
        record.id,
        by=by,
        after={"name": name, "scope": scope.value, "prefix": record.prefix, "user_id": user.id},
    )
    return record, token


def revoke_token(session: Session, token_id: int, *, by: Actor) -> ApiToken:
    record = session.get(ApiToken, token_id)
    if record is None:
        raise NotFound(f"There is no token {token_id}.")
    if by.user is None or (record.user_id != by.user.id and by.user.role.value != "admin"):
        raise PermissionDenied("You can revoke only your own tokens.")
    if record.revoked_at is None:
        _revoke(session, record, by=by)
    return record


def _revoke(session: Session, record: ApiToken, *, by: Actor, reason: str | None = None) -> None:
    record.revoked_at = utcnow()
    after: dict[str, str] = {"revoked_at": record.revoked_at.isoformat()}
    if reason:
        after["reason"] = reason
    record_event(
        session, "revoke", "api_token", record.id, by=by, before={"revoked_at": None}, after=after
    )


def revoke_all_tokens(session: Session, user: User, *, by: Actor) -> int:
    """Revoke every token of USER still in use (when they are deactivated); how many.

    A deactivated user's tokens stop working at once anyway; revoked, they stay dead when
    the account is reactivated (they came back to life with it, unknown to the admin)."""
    live = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    for record in live:
        _revoke(session, record, by=by, reason=f"{user.name} was deactivated")
    return len(live)


def authenticate_token(session: Session, presented: str) -> ApiToken | None:
    """The active token matching `presented`, with its last-use time updated; else None."""
    if not presented.startswith(TOKEN_PREFIX) or len(presented) > 200:
        return None
    digest = hash_token(presented)
    record = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if record is None or not hmac.compare_digest(record.token_hash, digest):
        return None
    if not record.active:
        return None
    record.last_used_at = utcnow()
    return record


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
        )
    )


def tokens_of_others(session: Session, user: User) -> list[ApiToken]:
    """Everyone else's tokens not revoked, by owner, for an admin to review and revoke."""
    return list(
        session.scalars(
            select(ApiToken)
            .join(ApiToken.user)
            .options(joinedload(ApiToken.user))
            .where(ApiToken.user_id != user.id, ApiToken.revoked_at.is_(None))
            .order_by(User.name, ApiToken.created_at.desc())
        )
    )
