"""One exception family for everything that can go wrong while capturing a URL.

The application stores a failed capture with ``error.code`` and ``str(error)`` and lets the user
retry, so every ``code`` below is a stable string: never rename one.
"""

from __future__ import annotations

from typing import ClassVar

from tracker.capture.models import FetchResult


class CaptureError(Exception):
    """Base class: ``code`` is a stable machine string, ``str(err)`` a sentence for people.

    ``url`` is the URL being fetched when it failed (after redirects, if any). ``fetched`` is
    set when the body was downloaded completely before the failure (non-HTML content, no text,
    undecodable), so the caller can still keep the sha256, content type and size.
    """

    code: ClassVar[str] = "capture_error"

    def __init__(
        self, message: str, *, url: str | None = None, fetched: FetchResult | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.url = url
        self.fetched = fetched

    def __str__(self) -> str:
        return self.message


class InvalidUrlError(CaptureError):
    """The text is not a usable absolute URL; the message says why."""

    code = "invalid_url"


class SchemeNotAllowedError(CaptureError):
    """Only http and https are fetched (also after a redirect)."""

    code = "scheme_not_allowed"


class BlockedAddressError(CaptureError):
    """The host is or resolves to a private, loopback, link-local, ... address."""

    code = "blocked_address"

    def __init__(self, message: str, *, address: str, reason: str, url: str | None = None):
        super().__init__(message, url=url)
        self.address = address
        self.reason = reason


class DnsError(CaptureError):
    """The host name does not resolve."""

    code = "dns_failure"


class ConnectionFailedError(CaptureError):
    """Connection refused, reset or unreachable."""

    code = "connection_failed"


class TlsError(CaptureError):
    """The HTTPS handshake failed or the certificate does not match the host."""

    code = "tls_error"


class FetchTimeoutError(CaptureError):
    """The whole fetch (DNS, redirects and body) took longer than the time limit."""

    code = "timeout"


class TooManyRedirectsError(CaptureError):
    """More redirects than ``max_redirects``."""

    code = "too_many_redirects"


class BadResponseError(CaptureError):
    """The server answered something that is not usable HTTP (or a redirect without target)."""

    code = "bad_response"


class HttpStatusError(CaptureError):
    """The final response had an error status; ``status`` holds it."""

    code = "http_error"

    def __init__(self, message: str, *, status: int, url: str | None = None) -> None:
        super().__init__(message, url=url)
        self.status = status


class HttpClientError(HttpStatusError):
    """4xx: the page is missing, gone or forbidden."""

    code = "http_client_error"


class HttpServerError(HttpStatusError):
    """5xx: the server failed; a retry later may work."""

    code = "http_server_error"


class NotHtmlError(CaptureError):
    """The URL serves something other than a web page (PDF, image, ...).

    Not archived as a snapshot: ``content_type`` and ``kind`` say what it was and, when the
    body fitted the size limit, ``fetched`` keeps its sha256 and size.
    """

    code = "not_html"

    def __init__(
        self,
        message: str,
        *,
        content_type: str | None,
        kind: str,
        url: str | None = None,
        fetched: FetchResult | None = None,
    ) -> None:
        super().__init__(message, url=url, fetched=fetched)
        self.content_type = content_type
        self.kind = kind


class TooLargeError(CaptureError):
    """The body is larger than ``max_bytes`` (announced, or found while streaming)."""

    code = "too_large"


class UndecodableError(CaptureError):
    """No character encoding turns the body into text."""

    code = "undecodable"


class NoTextError(CaptureError):
    """The page is HTML but has no extractable main text (empty, or built by scripts)."""

    code = "no_text"


#: Every code a capture can fail with, for the application to validate stored values.
ERROR_CODES: frozenset[str] = frozenset(
    cls.code
    for cls in (
        InvalidUrlError,
        SchemeNotAllowedError,
        BlockedAddressError,
        DnsError,
        ConnectionFailedError,
        TlsError,
        FetchTimeoutError,
        TooManyRedirectsError,
        BadResponseError,
        HttpClientError,
        HttpServerError,
        NotHtmlError,
        TooLargeError,
        UndecodableError,
        NoTextError,
    )
)
