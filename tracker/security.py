"""Response headers and the security event log (session lifetimes: tracker.auth.sessions)."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, request
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


def _clean(value: Any) -> str:
    """One log line per event: control characters (CR, LF...) are escaped, never written."""
    text = str(value)
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)[:500]


def log_security_event(event: str, **fields: Any) -> None:
    """Sign-ins, failures, lockouts, denials, token use, role changes: actor, IP, UTC time."""
    actor = fields.pop("actor", None)
    if actor is None and current_user and getattr(current_user, "is_authenticated", False):
        actor = current_user.email
    ip = fields.pop("ip", None) or (request.remote_addr if request else None)
    parts = [f"event={_clean(event)}", f"actor={_clean(actor or '-')}", f"ip={_clean(ip or '-')}"]
    parts += [f"{key}={_clean(value)}" for key, value in sorted(fields.items())]
    security_log.info(" ".join(parts))


class UTCFormatter(logging.Formatter):
    converter = time.gmtime

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
