"""Capturing a URL safely: fetch it, extract what it says, and keep a snapshot.

A pure library (no Flask, no database)::

    from tracker.capture import CaptureError, CaptureSettings, capture_url

    try:
        snap = capture_url(url, settings=CaptureSettings(allow_private=testing))
    except CaptureError as err:
        store_failure(code=err.code, message=str(err))  # codes are stable strings

Safety: only http(s); every host is resolved, every address checked (private, loopback,
link-local, multicast, reserved, unspecified, IPv4 inside IPv6) and the connection made to the
checked address, again after each redirect; at most ``max_redirects`` redirects; the body is
streamed and cut at ``max_bytes``; ``timeout_seconds`` bounds the whole fetch.
"""

from tracker.capture.domains import platform_domain, registrable_domain, social_handle
from tracker.capture.errors import (
    ERROR_CODES,
    BadResponseError,
    BlockedAddressError,
    CaptureError,
    ConnectionFailedError,
    DnsError,
    FetchTimeoutError,
    HttpClientError,
    HttpServerError,
    HttpStatusError,
    InvalidUrlError,
    NoTextError,
    NotHtmlError,
    SchemeNotAllowedError,
    TlsError,
    TooLargeError,
    TooManyRedirectsError,
    UndecodableError,
)
from tracker.capture.extract import find_claim_reviews
from tracker.capture.fetch import fetch
from tracker.capture.language import detect_language, guess_text_language
from tracker.capture.models import Capture, CaptureSettings, FetchResult, Redirect
from tracker.capture.netguard import blocked_reason
from tracker.capture.service import capture_url

__all__ = [
    "ERROR_CODES",
    "BadResponseError",
    "BlockedAddressError",
    "Capture",
    "CaptureError",
    "CaptureSettings",
    "ConnectionFailedError",
    "DnsError",
    "FetchResult",
    "FetchTimeoutError",
    "HttpClientError",
    "HttpServerError",
    "HttpStatusError",
    "InvalidUrlError",
    "NoTextError",
    "NotHtmlError",
    "Redirect",
    "SchemeNotAllowedError",
    "TlsError",
    "TooLargeError",
    "TooManyRedirectsError",
    "UndecodableError",
    "blocked_reason",
    "capture_url",
    "detect_language",
    "fetch",
    "find_claim_reviews",
    "guess_text_language",
    "platform_domain",
    "registrable_domain",
    "social_handle",
]
