"""Fetching a URL safely with urllib3: pinned addresses, manual redirects, hard limits.

Why urllib3 (and not requests or httpx): it is already installed with trafilatura; its
connection pools take the IP to connect to separately from the name used for the Host header,
SNI and certificate check (``server_hostname``, ``assert_hostname`` defaults to it), which is
exactly DNS pinning without patching the resolver; it reads no proxy settings from the
environment (a proxy would defeat the address check); and ``read1`` streams the decoded body
in bounded pieces, so the size limit holds even against compression bombs.

The time limit covers the whole fetch. Socket timeouts alone cannot promise that (a server
may drip one byte per second), so a watchdog timer shuts the socket down at the deadline and
the read that was waiting fails or ends; we then report a timeout.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import socket
import ssl
import threading
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import certifi
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    HTTPError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    SSLError,
)
from urllib3.exceptions import TimeoutError as Urllib3TimeoutError

from tracker.capture.errors import (
    BadResponseError,
    CaptureError,
    ConnectionFailedError,
    FetchTimeoutError,
    HttpClientError,
    HttpServerError,
    TlsError,
    TooLargeError,
    TooManyRedirectsError,
)
from tracker.capture.models import CaptureSettings, FetchResult, Redirect
from tracker.capture.netguard import (
    Deadline,
    IPAddress,
    Target,
    check_addresses,
    parse_target,
    resolve,
)

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_CONN_REPR = re.compile(r"^\w+\(host=[^)]*\):\s*")
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


class _Watchdog:
    """Shuts every socket it was given down when the deadline passes."""

    def __init__(self, deadline: Deadline) -> None:
        self._deadline = deadline
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._timer = threading.Timer(deadline.remaining(), self._fire)
        self._timer.daemon = True
        self.fired = False

    def start(self) -> None:
        self._timer.start()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            fired = self.fired
        if fired:
            self._shutdown(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sockets = list(self._sockets)
        for sock in sockets:
            self._shutdown(sock)

    @staticmethod
    def _shutdown(sock: socket.socket) -> None:
        # An already closed socket has nothing left to interrupt.
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


class _WatchedHTTPConnection(HTTPConnection):
    def __init__(self, *args: Any, watchdog: _Watchdog, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._watchdog = watchdog

    def _new_conn(self) -> socket.socket:
        # The raw socket, before TLS: a stalled handshake is interrupted too.
        sock = super()._new_conn()
        self._watchdog.watch(sock)
        return sock


class _WatchedHTTPSConnection(HTTPSConnection):
    def __init__(self, *args: Any, watchdog: _Watchdog, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._watchdog = watchdog

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        self._watchdog.watch(sock)
        return sock


class _WatchedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


def fetch(url: str, settings: CaptureSettings) -> FetchResult:
    """GET ``url`` following at most ``settings.max_redirects`` redirects, each re-checked.

    Returns the final 2xx response with its whole body (at most ``max_bytes``). Raises a
    CaptureError subclass for every refusal or failure.
    """
    deadline = Deadline(settings.timeout_seconds)
    watchdog = _Watchdog(deadline)
    watchdog.start()
    try:
        return _follow(url, settings, deadline, watchdog)
    finally:
        watchdog.cancel()


def _follow(
    url: str, settings: CaptureSettings, deadline: Deadline, watchdog: _Watchdog
) -> FetchResult:
    redirects: list[Redirect] = []
    current = url
    fetched_at = datetime.now(UTC)
    for _hop in range(settings.max_redirects + 1):
        target = parse_target(current)
        addresses = resolve(target, settings, deadline)
        check_addresses(target, addresses, settings)
        deadline.check(current)
        fetched_at = datetime.now(UTC)
        response, pool, address = _request(target, addresses, settings, deadline, watchdog)
        try:
            status = response.status
            if status in _REDIRECTS:
                location = response.headers.get("Location")
                if not location:
                    raise BadResponseError(
                        f"The server answered {status} (redirect) without saying where to.",
                        url=current,
                    )
                next_url = urljoin(current, location.strip())
                redirects.append(Redirect(url=current, status=status, location=next_url))
                current = next_url
                continue
            _check_status(status, current)
            body = _read_body(response, settings, deadline, watchdog, current)
        finally:
            response.close()
            pool.close()
        content_type, charset = _split_content_type(response.headers.get("Content-Type"))
        return FetchResult(
            url=url,
            final_url=current,
            redirects=tuple(redirects),
            fetched_at=fetched_at,
            status=status,
            content_type=content_type,
            header_charset=charset,
            body=body,
            sha256=hashlib.sha256(body).hexdigest(),
            address=str(address),
        )
    raise TooManyRedirectsError(
        f"The URL redirected more than {settings.max_redirects} times.", url=current
    )


def _request(
    target: Target,
    addresses: list[IPAddress],
    settings: CaptureSettings,
    deadline: Deadline,
    watchdog: _Watchdog,
) -> tuple[urllib3.BaseHTTPResponse, urllib3.HTTPConnectionPool, IPAddress]:
    """Send the GET to the first checked address that accepts a connection."""
    last_error: CaptureError | None = None
    for address in addresses:
        try:
            response, pool = _request_one(target, address, settings, deadline, watchdog)
            return response, pool, address
        except ConnectionFailedError as exc:
            last_error = exc  # try the next checked address of the same name
    assert last_error is not None  # noqa: S101 (resolve() never returns an empty list)
    raise last_error


def _request_one(
    target: Target,
    address: IPAddress,
    settings: CaptureSettings,
    deadline: Deadline,
    watchdog: _Watchdog,
) -> tuple[urllib3.BaseHTTPResponse, urllib3.HTTPConnectionPool]:
    remaining = deadline.remaining()
    timeout = urllib3.Timeout(connect=remaining, read=remaining)
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        # Connect to the pinned IP; SNI and the certificate check still use the name.
        pool = _WatchedHTTPSPool(
            str(address),
            target.port,
            timeout=timeout,
            retries=False,
            cert_reqs="CERT_REQUIRED",
            ca_certs=settings.ca_certs or certifi.where(),
            server_hostname=None if target.ip is not None else target.host,
            watchdog=watchdog,
        )
    else:
        pool = _WatchedHTTPPool(
            str(address), target.port, timeout=timeout, retries=False, watchdog=watchdog
        )
    headers = {
        "Host": target.host_header,
        "User-Agent": settings.user_agent,
        "Accept": _ACCEPT,
        "Accept-Encoding": "gzip, deflate",
    }
    try:
        response = pool.urlopen(
            "GET",
            target.path,
            headers=headers,
            redirect=False,
            retries=False,
            preload_content=False,
            decode_content=True,
            assert_same_host=False,
        )
    except (HTTPError, OSError) as exc:
        pool.close()
        raise _translate(exc, target.url, deadline, watchdog) from exc
    return response, pool


def _translate(
    exc: BaseException, url: str, deadline: Deadline, watchdog: _Watchdog
) -> CaptureError:
    """Turn a urllib3/socket exception into our error family."""
    if watchdog.fired or deadline.expired():
        return FetchTimeoutError(
            f"The page took longer than {deadline.seconds:g} seconds to fetch.", url=url
        )
    if _caused_by(exc, SSLError, ssl.SSLError):
        return TlsError(f"The secure connection failed: {_reason(exc)}.", url=url)
    # Checked before timeouts: urllib3's NewConnectionError subclasses ConnectTimeoutError.
    if _caused_by(exc, NewConnectionError, NameResolutionError, ConnectionError):
        return ConnectionFailedError(f"Could not connect: {_reason(exc)}.", url=url)
    if _caused_by(exc, Urllib3TimeoutError, TimeoutError):
        return FetchTimeoutError(
            f"The server did not answer within {deadline.seconds:g} seconds.", url=url
        )
    if _caused_by(exc, ProtocolError):
        return BadResponseError(f"The server sent a broken response: {_reason(exc)}.", url=url)
    return ConnectionFailedError(f"The fetch failed: {_reason(exc)}.", url=url)


def _caused_by(exc: BaseException, *types: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, types):
            return True
        reason = getattr(seen, "reason", None)
        seen = reason if isinstance(reason, BaseException) else (seen.__cause__ or None)
    return False


def _reason(exc: BaseException) -> str:
    """The most specific readable reason in an exception chain ("Connection refused")."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, OSError) and seen.strerror:
            return str(seen.strerror)
        reason = getattr(seen, "reason", None)
        seen = reason if isinstance(reason, BaseException) else seen.__cause__
    # urllib3 prefixes messages with the connection's repr: keep the readable tail.
    return _CONN_REPR.sub("", str(exc)).strip() or type(exc).__name__


def _check_status(status: int, url: str) -> None:
    if 400 <= status < 500:
        raise HttpClientError(
            f"The server answered HTTP {status}: the page is missing or not accessible.",
            status=status,
            url=url,
        )
    if status >= 500:
        raise HttpServerError(
            f"The server answered HTTP {status}: it failed; try again later.",
            status=status,
            url=url,
        )
    if not 200 <= status < 300:
        raise BadResponseError(f"The server answered HTTP {status}, which has no page.", url=url)


def _read_body(
    response: urllib3.BaseHTTPResponse,
    settings: CaptureSettings,
    deadline: Deadline,
    watchdog: _Watchdog,
    url: str,
) -> bytes:
    """Stream the (content-decoded) body, stopping as soon as it passes ``max_bytes``."""
    limit = settings.max_bytes
    what = _split_content_type(response.headers.get("Content-Type"))[0] or "unknown type"
    declared = response.headers.get("Content-Length", "")
    # With a Content-Encoding this is the compressed size; the page would be larger still.
    if declared.strip().isdigit() and int(declared) > limit:
        raise TooLargeError(
            f"The response ({what}) is {int(declared):,} bytes, over the limit of {limit:,} bytes.",
            url=url,
        )
    chunks: list[bytes] = []
    total = 0
    try:
        while True:
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > limit:
                raise TooLargeError(
                    f"The response ({what}) is larger than the limit of {limit:,} bytes.",
                    url=url,
                )
            chunks.append(chunk)
            deadline.check(url)
    except (HTTPError, OSError) as exc:
        raise _translate(exc, url, deadline, watchdog) from exc
    if watchdog.fired:
        # The shutdown can look like a clean end of body: never return a truncated page.
        deadline.check(url)
        raise FetchTimeoutError("The page took too long to fetch.", url=url)
    return b"".join(chunks)


def _split_content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    media, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media.strip().lower() or None, charset
