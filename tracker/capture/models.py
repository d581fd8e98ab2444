"""Plain values going in and out of the capture package."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

#: A resolver maps (host, port) to IP address strings. The default uses the system resolver;
#: tests (and deployments with their own DNS policy) may pass another one.
Resolver = Callable[[str, int], Sequence[str]]

DEFAULT_USER_AGENT = "DisinfoTracker/0.1 (+fact-checking archive; contact via site)"


@dataclass(frozen=True, slots=True)
class CaptureSettings:
    """Limits and policy for one capture.

    ``timeout_seconds`` bounds the whole fetch: DNS, every redirect hop, and the body.
    ``allow_private`` lifts the private/loopback block entirely; the application sets it only
    when ``TRACKER_CAPTURE_ALLOW_PRIVATE`` is set (tests). ``allowed_networks`` lifts it for
    the listed CIDR networks only (e.g. an internal mirror), leaving every other check in place.
    """

    max_bytes: int = 5 * 1024 * 1024
    timeout_seconds: float = 15.0
    max_redirects: int = 10
    user_agent: str = DEFAULT_USER_AGENT
    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()
    resolver: Resolver | None = None
    ca_certs: str | None = None


@dataclass(frozen=True, slots=True)
class Redirect:
    """One followed redirect: the URL that answered, its status, and where it pointed."""

    url: str
    status: int
    location: str


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What the network gave us, before any interpretation of the body."""

    url: str
    final_url: str
    redirects: tuple[Redirect, ...]
    fetched_at: datetime
    status: int
    content_type: str | None
    """Media type only, lower case, e.g. ``text/html`` (None when the server sent none)."""
    header_charset: str | None
    body: bytes
    sha256: str
    address: str
    """The IP address the final response came from (the one that was checked)."""


@dataclass(frozen=True, slots=True)
class Capture:
    """A snapshot of a fetched HTML page and what could be extracted from it."""

    url: str
    final_url: str
    redirects: tuple[Redirect, ...]
    fetched_at: datetime
    status: int
    content_type: str
    charset: str
    sha256: str
    """Hex SHA-256 of the raw (content-decoded, not charset-decoded) body."""
    html_gzip: bytes
    """The raw body, gzip-compressed (``gzip.decompress`` gives back the exact bytes)."""
    html_size: int
    """Size of the raw body in bytes (uncompressed)."""
    text: str
    title: str | None
    byline: str | None
    published: date | datetime | None
    site_name: str | None
    language: str | None
    """ISO 639-1 code: the page's own declaration when valid, else detected from the text."""
    language_source: str
    """``"page"``, ``"detected"`` or ``"unknown"``."""
    language_detected: str | None
    """What the offline detector says about the text, even when the page declared a language."""
    canonical_url: str | None
    domain: str | None
    """Registrable domain of the final URL ("news.bbc.co.uk" -> "bbc.co.uk"), or the host."""
    handle: str | None
    """Account/channel handle for social platforms (t.me, x.com, vk.com, ...), else None."""
    claim_reviews: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def html_gzip_size(self) -> int:
        """Size of the compressed archive copy in bytes."""
        return len(self.html_gzip)
