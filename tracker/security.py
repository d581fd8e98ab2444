"""Response headers and the security event log (session lifetimes: tracker.auth.sessions)."""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from flask import Flask, has_request_context, request
from flask_login import current_user
from werkzeug.wrappers import Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = "max-age=31536000; includeSubDomains"

security_log = logging.getLogger("tracker.security")


# Values made only of these characters are written bare; anything else is quoted.
_BARE = re.compile(r"[A-Za-z0-9@._:/+\-]{1,500}")
_KEY = re.compile(r"[^a-z0-9_]")
VALUE_LIMIT = 500


def _quote(value: Any) -> str:
    """A logfmt value that cannot break out of its field.

    Plain values stay bare (actor=ann@example.org). Others are quoted, with backslash and
    quote escaped and every non-printable character (CR, LF, ESC, U+2028 ...) written as
    an escape, so a value can add neither a line nor a field: `actor="x ip=1.2.3.4"` is one
    field whose value contains the text "ip=1.2.3.4".
    """
    text = str(value)[:VALUE_LIMIT]
    if _BARE.fullmatch(text):
        return text
    escaped = []
    for ch in text:
        if ch in ('"', "\\"):
            escaped.append("\\" + ch)
        elif ch.isprintable():
            escaped.append(ch)
        else:
            code = ord(ch)
            escaped.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    return '"' + "".join(escaped) + '"'


def format_event(event: str, actor: Any, ip: Any, fields: dict[str, Any]) -> str:
    """One logfmt line: event, actor and ip first, then the other fields by name."""
    pairs = [("event", event), ("actor", actor or "-"), ("ip", ip or "-")]
    pairs += [
        (_KEY.sub("_", key.lower()) or "field", value) for key, value in sorted(fields.items())
    ]
    return " ".join(f"{key}={_quote(value)}" for key, value in pairs)


def log_security_event(event: str, **fields: Any) -> None:
    """Sign-ins, failures, lockouts, denials, token use, role changes: actor, IP, UTC time."""
    actor = fields.pop("actor", None)
    if actor is None and has_request_context() and getattr(current_user, "is_authenticated", False):
        actor = current_user.email
    ip = fields.pop("ip", None) or (request.remote_addr if has_request_context() else None)
    security_log.info(format_event(event, actor, ip, fields))


class UTCFormatter(logging.Formatter):
    converter = staticmethod(time.gmtime)

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)sZ %(levelname)s %(name)s %(message)s", datefmt="%Y-%m-%dT%H:%M:%S"
        )


def add_security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if current_user and getattr(current_user, "is_authenticated", False):
        # Pages for signed-in people may hold unpublished work: never keep them in caches.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    if not security_log.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(UTCFormatter())
        security_log.addHandler(handler)
        security_log.setLevel(logging.INFO)
        security_log.propagate = False
    app.after_request(add_security_headers)
