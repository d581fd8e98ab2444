"""Who is writing: the personal API token of a request, and the JSON errors of the API.

Writes need ``Authorization: Bearer <token>`` with a token of scope ``write``:

- no token, anonymous: 401 (with ``WWW-Authenticate: Bearer``);
- no token, but a signed-in browser session: 403 — cookies never write through the API,
  so a page on another site cannot make a signed-in user's browser write (and token
  requests need no CSRF token);
- an unknown, revoked or deactivated user's token: 401;
- a read token: 403.

Reads need no token. With one (either scope), a read shows what the token's user may see
on the desk (:func:`read_user`); an unknown or revoked token is a 401 there too, never a
quiet fall-back to the public record.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import abort, jsonify, request
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.audit import Actor
from tracker.extensions import db
from tracker.models import ApiToken, TokenScope, User
from tracker.security import log_security_event
from tracker.services.tokens import authenticate_token

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Content Too Large",
    422: "Unprocessable Entity",
}


def error(status: int, message: str, **extra: Any) -> Response:
    """The API's one error shape, ``{"error": ..., "message": ...}``, with optional extras
    (``errors`` by field for 422, ``current_version`` for a 409 edit conflict)."""
    response = jsonify(error=TITLES.get(status, "Error"), message=message, **extra)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def fail(status: int, message: str, **extra: Any) -> NoReturn:
    abort(error(status, message, **extra))


def write_actor() -> Actor:
    """The actor of a write request, from its bearer token; aborts with 401 or 403."""
    header = request.headers.get("Authorization", "").strip()
    if not header:
        if current_user.is_authenticated:
            fail(
                403,
                "A signed-in browser session cannot write through the API; send a personal "
                "API token (Authorization: Bearer ...), created at /desk/tokens.",
            )
        fail(401, "Writing needs a personal API token: Authorization: Bearer <token>.")
    scheme, _, presented = header.partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        log_token_use("token_refused", reason="malformed_header")
        fail(401, "Give the token as: Authorization: Bearer <token>.")
    record = authenticate_token(db.session, presented.strip())
    if record is None:
        db.session.rollback()
        log_token_use("token_refused", reason="unknown_or_revoked")
        fail(401, "This token is unknown or has been revoked.")
    # The last use is kept even when the request itself is then refused.
    db.session.commit()
    if record.scope != TokenScope.WRITE:
        log_token_use("token_refused", record, reason="read_only")
        fail(403, "This token can only read; create a token with write scope at /desk/tokens.")
    log_token_use("token_used", record)
    return Actor(user=record.user, ip=request.remote_addr)


def log_token_use(event: str, record: ApiToken | None = None, **fields: str) -> None:
    """Security log of a bearer token accepted or refused. The token itself is never
    written; an accepted one is named by its public prefix and its owner."""
    if record is not None:
        fields.update(token=record.prefix, scope=record.scope.value)
    log_security_event(
        event,
        actor=record.user.email if record is not None else "-",
        endpoint=request.endpoint or "-",
        **fields,
    )


def read_user() -> User | None:
    """The user whose token a read request carries (its last use recorded), or None.

    No Authorization header is an anonymous read (a browser session counts as one: the
    API is authenticated by tokens only). A malformed, unknown or revoked token aborts
    with 401.
    """
    header = request.headers.get("Authorization", "").strip()
    if not header:
        return None
    scheme, _, presented = header.partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        log_token_use("token_refused", reason="malformed_header")
        fail(401, "Give the token as: Authorization: Bearer <token>.")
    record = authenticate_token(db.session, presented.strip())
    if record is None:
        db.session.rollback()
        log_token_use("token_refused", reason="unknown_or_revoked")
        fail(401, "This token is unknown or has been revoked.")
    log_token_use("token_used", record)
    user = record.user
    db.session.commit()
    return user
