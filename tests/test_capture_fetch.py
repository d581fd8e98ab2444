"""Fetching through a real HTTP server on loopback: redirects, limits, statuses, content types.

These tests use ``allow_private=True`` (what the application passes under
TRACKER_CAPTURE_ALLOW_PRIVATE) because the server lives on 127.0.0.1; the refusals of private
addresses are in test_capture_safety.py.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import time
from collections.abc import Iterator
from datetime import UTC, timedelta

import pytest

from tests.capture_support import DATA, FixtureServer, standard_server
from tracker.capture import (
    ERROR_CODES,
    BadResponseError,
    CaptureSettings,
    ConnectionFailedError,
    DnsError,
    FetchTimeoutError,
    HttpClientError,
    HttpServerError,
    NotHtmlError,
    SchemeNotAllowedError,
    TooLargeError,
    TooManyRedirectsError,
    capture_url,
)
from tracker.capture.models import DEFAULT_USER_AGENT

SMALL = 200 * 1024


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    srv = standard_server()
    yield srv
    srv.stop()


@pytest.fixture
def settings() -> CaptureSettings:
    return CaptureSettings(allow_private=True, timeout_seconds=3.0, max_bytes=SMALL)


def test_default_settings_match_the_documented_limits():
    s = CaptureSettings()
    assert (s.max_bytes, s.timeout_seconds, s.max_redirects, s.allow_private) == (
        5 * 1024 * 1024,
        15.0,
        10,
        False,
    )


def test_error_codes_are_stable():
    assert {
        "invalid_url",
        "scheme_not_allowed",
        "blocked_address",
        "dns_failure",
        "connection_failed",
        "tls_error",
        "timeout",
        "too_many_redirects",
        "bad_response",
        "http_client_error",
        "http_server_error",
        "not_html",
        "too_large",
        "undecodable",
        "no_text",
    } == ERROR_CODES


def test_capture_records_status_type_and_hash_of_raw_body(server, settings):
    snap = capture_url(server.url("/article"), settings=settings)
    raw = (DATA / "article_claimreview.html").read_bytes()
    assert (snap.status, snap.content_type) == (200, "text/html")
    assert snap.sha256 == hashlib.sha256(raw).hexdigest()


def test_archived_html_decompresses_to_the_exact_body(server, settings):
    snap = capture_url(server.url("/article"), settings=settings)
    raw = (DATA / "article_claimreview.html").read_bytes()
    assert gzip.decompress(snap.html_gzip) == raw
    assert snap.html_size == len(raw)
    assert snap.html_gzip_size < snap.html_size


def test_fetched_at_is_timezone_aware_utc(server, settings):
    snap = capture_url(server.url("/article"), settings=settings)
    assert snap.fetched_at.tzinfo is not None
    assert snap.fetched_at.utcoffset() == timedelta(0)
    assert snap.fetched_at.tzinfo == UTC


def test_user_agent_is_sent(server, settings):
    capture_url(server.url("/article"), settings=settings)
    _path, headers = server.access_log[-1]
    assert headers["User-Agent"] == DEFAULT_USER_AGENT


def test_three_redirects_are_followed_and_recorded(server, settings):
    snap = capture_url(server.url("/three/3"), settings=settings)
    assert snap.url == server.url("/three/3")
    assert snap.final_url == server.url("/article")
    assert [r.url for r in snap.redirects] == [server.url(f"/three/{n}") for n in (3, 2, 1)]
    assert [r.location for r in snap.redirects] == [
        server.url(p) for p in ("/three/2", "/three/1", "/article")
    ]


def test_redirect_statuses_are_recorded(server, settings):
    snap = capture_url(server.url("/three/3"), settings=settings)
    assert [r.status for r in snap.redirects] == [307, 303, 302]


def test_eleven_redirects_are_too_many(server, settings):
    before = len(server.access_log)
    with pytest.raises(TooManyRedirectsError) as info:
        capture_url(server.url("/eleven/11"), settings=settings)
    assert info.value.code == "too_many_redirects"
    # 10 redirects followed, the 11th answer was a redirect again: the page is never asked for.
    assert server.paths()[before:] == [f"/eleven/{n}" for n in range(11, 0, -1)]


def test_redirect_limit_is_a_setting(server):
    settings = CaptureSettings(allow_private=True, max_redirects=2)
    with pytest.raises(TooManyRedirectsError):
        capture_url(server.url("/three/3"), settings=settings)


def test_redirect_to_another_scheme_is_refused(server, settings):
    with pytest.raises(SchemeNotAllowedError) as info:
        capture_url(server.url("/to-ftp"), settings=settings)
    assert info.value.url == "ftp://example.org/file"


def test_redirect_without_location_is_a_bad_response(server, settings):
    with pytest.raises(BadResponseError):
        capture_url(server.url("/redirect-no-location"), settings=settings)


def test_slow_page_times_out_within_the_limit(server):
    settings = CaptureSettings(allow_private=True, timeout_seconds=0.5)
    start = time.monotonic()
    with pytest.raises(FetchTimeoutError) as info:
        capture_url(server.url("/slow"), settings=settings)
    assert info.value.code == "timeout"
    assert time.monotonic() - start < 1.5


def test_dripping_body_is_cut_at_the_total_deadline(server):
    # One byte every 50 ms: no single read waits long, only a whole-fetch deadline stops it.
    settings = CaptureSettings(allow_private=True, timeout_seconds=0.6)
    start = time.monotonic()
    with pytest.raises(FetchTimeoutError):
        capture_url(server.url("/drip"), settings=settings)
    assert time.monotonic() - start < 1.5


def test_huge_streamed_page_stops_reading_at_the_limit(server, settings):
    start = time.monotonic()
    with pytest.raises(TooLargeError) as info:
        capture_url(server.url("/huge"), settings=settings)
    assert info.value.code == "too_large"
    assert time.monotonic() - start < 2.0
    time.sleep(0.3)  # let the server notice the hang-up
    # The server would send 50 MB (5 s at its pace); it got a small fraction out.
    assert server.sent["/huge"] < 5_000_000


def test_announced_length_over_the_limit_is_refused_before_the_body(server, settings):
    with pytest.raises(TooLargeError) as info:
        capture_url(server.url("/huge-declared"), settings=settings)
    assert "50,000,000 bytes" in str(info.value)


def test_gzip_body_is_decoded_and_hashed_decoded(server, settings):
    snap = capture_url(server.url("/gzip"), settings=settings)
    raw = (DATA / "article_claimreview.html").read_bytes()
    assert snap.sha256 == hashlib.sha256(raw).hexdigest()


def test_gzip_bomb_is_cut_at_the_limit(server, settings):
    with pytest.raises(TooLargeError):
        capture_url(server.url("/gzip-bomb"), settings=settings)


def test_404_is_a_client_error_with_status(server, settings):
    with pytest.raises(HttpClientError) as info:
        capture_url(server.url("/404"), settings=settings)
    assert (info.value.code, info.value.status) == ("http_client_error", 404)


def test_500_is_a_server_error_with_status(server, settings):
    with pytest.raises(HttpServerError) as info:
        capture_url(server.url("/500"), settings=settings)
    assert (info.value.code, info.value.status) == ("http_server_error", 500)


def test_pdf_is_not_html_and_keeps_its_hash(server, settings):
    with pytest.raises(NotHtmlError) as info:
        capture_url(server.url("/document.pdf"), settings=settings)
    err = info.value
    raw = (DATA / "document.pdf").read_bytes()
    assert (err.code, err.kind, err.content_type) == ("not_html", "PDF document", "application/pdf")
    assert err.fetched is not None and err.fetched.sha256 == hashlib.sha256(raw).hexdigest()


def test_image_is_not_html_and_says_what_it_was(server, settings):
    with pytest.raises(NotHtmlError) as info:
        capture_url(server.url("/image.png"), settings=settings)
    assert "PNG image" in str(info.value)


def test_pdf_without_content_type_is_recognised_by_its_bytes(server, settings):
    with pytest.raises(NotHtmlError) as info:
        capture_url(server.url("/untyped.pdf"), settings=settings)
    assert info.value.kind == "PDF document"


def test_html_without_content_type_is_recognised_by_its_bytes(server, settings):
    snap = capture_url(server.url("/no-content-type"), settings=settings)
    assert snap.content_type == "text/html"


def test_refused_connection_is_connection_failed(settings):
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(ConnectionFailedError) as info:
        capture_url(f"http://127.0.0.1:{port}/", settings=settings)
    assert info.value.code == "connection_failed"


def test_unresolvable_name_is_a_dns_failure():
    def resolver(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    settings = CaptureSettings(resolver=resolver)
    with pytest.raises(DnsError) as info:
        capture_url("http://no-such-host.invalid/", settings=settings)
    assert info.value.code == "dns_failure"
