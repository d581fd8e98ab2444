"""Checks shared by services, forms and importers. Each returns a message or None."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import overload
from urllib.parse import urlsplit, urlunsplit

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
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return "A URL cannot contain control characters."
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


# Earlier dates are typing slips ("0045-10-28" for 2045 or 1945): the first appearance of a
# claim sets the date the public sees, so a slip would become its public "first seen".
EARLIEST_DATE = date(1900, 1, 1)


def date_problem(
    value: date | None, what: str = "This date", *, historical: bool = False
) -> str | None:
    """Why VALUE cannot be the date of something already published: in the future, or
    before 1900 (unless HISTORICAL: a figure's period may be a census of 1897)."""
    if value is not None and value > today():
        return f"{what} is in the future ({value.isoformat()})."
    if value is not None and value < EARLIEST_DATE and not historical:
        return f"{what} is before 1900 ({value.isoformat()}); check the year."
    return None


def length_problem(text: str | None, limit: int, what: str = "This text") -> str | None:
    """Why TEXT cannot be stored as it is: over LIMIT characters, or holding a NUL."""
    if text is not None and "\x00" in text:
        return nul_problem(text, what)
    if text is not None and len(text) > limit:
        return f"{what} is {len(text):,} characters long; the limit is {limit:,}. Nothing was cut."
    return None


def language_problem(code: str | None) -> str | None:
    if code and not LANGUAGE_CODE.match(code):
        return "Use a two- or three-letter language code such as en, ru or uk."
    return None


# Row ids are INTEGER columns: PostgreSQL's int4 is the smaller limit of the two databases.
MAX_ROW_ID = 2_147_483_647


def row_id(raw: object) -> int | None:
    """RAW as a row id (a whole number from 1 to MAX_ROW_ID), or None when it cannot be one.

    Numbers the database cannot hold are not ids of anything; asking the database about them
    fails (SQLite overflows, PostgreSQL refuses) instead of finding nothing.
    """
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdecimal():
        value = int(raw.strip())
    else:
        return None
    return value if 1 <= value <= MAX_ROW_ID else None


def nul_problem(text: str | None, what: str = "This text") -> str | None:
    """NUL characters cannot be stored (PostgreSQL refuses them) and cannot be seen."""
    if text and "\x00" in text:
        return f"{what} contains an invisible NUL character (\\0), which cannot be stored."
    return None


# Overloaded so that a str passed in is known to come back a str (no None to rule out).
@overload
def without_nul(text: str) -> str: ...
@overload
def without_nul(text: None) -> None: ...
def without_nul(text: str | None) -> str | None:
    """TEXT with NUL characters removed: for search words and filters, never for records."""
    return text.replace("\x00", "") if isinstance(text, str) else text


def canonical_url(url: str) -> str:
    """URL as one link is stored: scheme and host in lower case, without the part after
    "#" (a place in the page, not another page). "HTTPS://RT.COM/news/1#top" was recorded
    as a second appearance beside "https://rt.com/news/1". Anything unparsable comes back
    stripped, for `url_problem` to refuse."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return url
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))
