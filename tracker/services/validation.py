"""Checks shared by services, forms and importers. Each returns a message or None."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from tracker.models.appearance import URL_LIMIT

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def url_problem(url: str) -> str | None:
    """Why `url` is not an acceptable web address, or None."""
    if not url:
        return "Enter a URL."
    if len(url) > URL_LIMIT:
        return f"This URL is {len(url):,} characters long; the limit is {URL_LIMIT:,}."
    if any(ch.isspace() for ch in url):
        return "A URL cannot contain spaces."
    try:
        parts = urlsplit(url)
    except ValueError:
        return "This is not a valid URL."
    if parts.scheme not in ("http", "https"):
        return "Use an http:// or https:// address."
    host = parts.hostname or ""
    if "." not in host.strip(".") and host != "localhost" and not _is_ip(host):
        return "The address has no valid host name."
    try:
        parts.port  # noqa: B018 - raises ValueError for ports out of range
    except ValueError:
        return "The port in this URL is not valid."
    return None


def _is_ip(host: str) -> bool:
    import ipaddress

    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def today() -> date:
    return datetime.now(UTC).date()


def future_date_problem(value: date | None, what: str = "This date") -> str | None:
    if value is not None and value > today():
        return f"{what} is in the future ({value.isoformat()})."
    return None


def length_problem(text: str | None, limit: int, what: str = "This text") -> str | None:
    if text is not None and len(text) > limit:
        return f"{what} is {len(text):,} characters long; the limit is {limit:,}. Nothing was cut."
    return None


def language_problem(code: str | None) -> str | None:
    if code and not LANGUAGE_CODE.match(code):
        return "Use a two- or three-letter language code such as en, ru or uk."
    return None
