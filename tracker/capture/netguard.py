"""Which URLs and addresses may be fetched: URL validation, DNS resolution, address policy.

The address check runs on the resolved IP addresses (never on the name alone) and the fetcher
connects to one of exactly those addresses, so a name cannot resolve to a public address for
the check and to a private one for the connection (DNS rebinding).
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

import idna

from tracker.capture.errors import (
    BlockedAddressError,
    DnsError,
    FetchTimeoutError,
    InvalidUrlError,
    SchemeNotAllowedError,
)
from tracker.capture.models import CaptureSettings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH = 8192
_DEFAULT_PORTS = {"http": 80, "https": 443}
# WHATWG URL parsing treats a host whose last label is a number ("2130706433", "0x7f.1",
# "127.1", "017700000001") as an IPv4 address; so do the C resolver and browsers.
_NUMERIC_LABEL = re.compile(r"^(0[xX][0-9a-fA-F]*|[0-9]+)$")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class Deadline:
    """A point in (monotonic) time by which the whole capture must be done."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left, never below a millisecond (socket timeouts must be positive)."""
        return max(self._end - time.monotonic(), 0.001)

    def expired(self) -> bool:
        return time.monotonic() >= self._end

    def check(self, url: str) -> None:
        """Raise the timeout error once the time is up."""
        if self.expired():
            raise FetchTimeoutError(
                f"The page took longer than {self.seconds:g} seconds to fetch.", url=url
            )


@dataclass(frozen=True, slots=True)
class Target:
    """A validated http(s) URL, split into what the connection needs."""

    url: str
    scheme: str
    host: str
    """ASCII host name (IDNA-encoded) or canonical IP address text, without brackets."""
    port: int
    path: str
    """Path and query, as sent in the request line (never empty)."""
    ip: IPAddress | None
    """Set when the URL names an IP address directly."""

    @property
    def host_header(self) -> str:
        """Value of the Host header: the name as given, with a port only when not default."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.port != _DEFAULT_PORTS[self.scheme]:
            return f"{host}:{self.port}"
        return host


def parse_target(url: str) -> Target:
    """Validate ``url`` as an absolute http(s) URL and return its parts.

    Raises InvalidUrlError (with the reason) or SchemeNotAllowedError.
    """
    if not isinstance(url, str):
        raise InvalidUrlError("The URL must be text.")
    url = url.strip()
    if not url:
        raise InvalidUrlError("The URL is empty.")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidUrlError(f"The URL is longer than {MAX_URL_LENGTH} characters.", url=url)
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise InvalidUrlError("The URL contains control characters.", url=url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidUrlError(f"The URL cannot be parsed: {exc}.", url=url) from exc
    scheme = parts.scheme.lower()
    if not scheme:
        raise InvalidUrlError(
            "The URL has no scheme: it must start with http:// or https://.", url=url
        )
    if scheme not in _DEFAULT_PORTS:
        raise SchemeNotAllowedError(
            f"Only http and https URLs can be captured, not {scheme}:.", url=url
        )
    if parts.username is not None or parts.password is not None:
        raise InvalidUrlError("URLs with a user name or password are not captured.", url=url)
    raw_host = parts.hostname
    if not raw_host:
        raise InvalidUrlError("The URL has no host name.", url=url)
    host, ip = _normalise_host(raw_host, url)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(
        url=url,
        scheme=scheme,
        host=host,
        port=port if port is not None else _DEFAULT_PORTS[scheme],
        path=_quote_unsafe(path),
        ip=ip,
    )


def _quote_unsafe(path: str) -> str:
    # Spaces and non-ASCII are legal in pasted URLs but not on the request line.
    return "".join(
        ch if 0x20 < ord(ch) < 0x7F else "".join(f"%{b:02X}" for b in ch.encode()) for ch in path
    )


def _normalise_host(raw_host: str, url: str) -> tuple[str, IPAddress | None]:
    host = raw_host.rstrip(".").lower()
    if not host:
        raise InvalidUrlError("The URL has no host name.", url=url)
    if ":" in host:  # urlsplit only lets IPv6 literals through with a colon
        try:
            ip6 = ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError as exc:
            raise InvalidUrlError(f"{raw_host!r} is not a valid IPv6 address.", url=url) from exc
        return str(ip6), ip6
    if _NUMERIC_LABEL.match(host.rsplit(".", 1)[-1]):
        try:
            ip4 = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError as exc:
            raise InvalidUrlError(f"{raw_host!r} is not a valid IPv4 address.", url=url) from exc
        return str(ip4), ip4
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise InvalidUrlError(f"{raw_host!r} is not a valid host name ({exc}).", url=url) from exc
    return ascii_host, None


def blocked_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` must not be fetched ("loopback", "private", ...), or None if it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip.teredo is not None:
            embedded = ip.teredo[1]
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            inner = blocked_reason(embedded)
            if inner is not None:
                return f"{inner} (IPv4 {embedded} inside IPv6)"
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        # e.g. 100.64.0.0/10 (carrier-grade NAT), which is neither private nor global
        ("not publicly routable", not ip.is_global),
    )
    for reason, hit in checks:
        if hit:
            return reason
    return None


def _system_resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def resolve(target: Target, settings: CaptureSettings, deadline: Deadline) -> list[IPAddress]:
    """Resolve the target's host (within the deadline) to a de-duplicated address list."""
    if target.ip is not None:
        return [target.ip]
    resolver = settings.resolver or _system_resolve
    result: list[Sequence[str]] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(resolver(target.host, target.port))
        except BaseException as exc:  # handed over to the calling thread
            failure.append(exc)

    # getaddrinfo has no timeout of its own: run it in a daemon thread and stop waiting at
    # the deadline (the thread ends by itself when the system resolver gives up).
    worker = threading.Thread(target=run, name="capture-dns", daemon=True)
    worker.start()
    worker.join(deadline.remaining())
    if worker.is_alive():
        raise FetchTimeoutError(
            f"Looking up {target.host} took longer than the time limit.", url=target.url
        )
    if failure:
        exc = failure[0]
        if isinstance(exc, OSError | UnicodeError):
            raise DnsError(f"The host name {target.host} could not be resolved.", url=target.url)
        raise exc
    addresses: list[IPAddress] = []
    for text in result[0]:
        try:
            ip = ipaddress.ip_address(str(text).split("%", 1)[0])
        except ValueError:
            continue
        if ip not in addresses:
            addresses.append(ip)
    if not addresses:
        raise DnsError(f"The host name {target.host} has no address.", url=target.url)
    return addresses


def check_addresses(
    target: Target, addresses: Sequence[IPAddress], settings: CaptureSettings
) -> None:
    """Refuse the target if ANY of its addresses is not public (unless allowed).

    A name that resolves to both public and private addresses is refused as a whole: the mix
    is a known trick, and we would not know which one a retry would use.
    """
    if settings.allow_private:
        return
    allowed = [ipaddress.ip_network(net, strict=False) for net in settings.allowed_networks]
    for ip in addresses:
        reason = blocked_reason(ip)
        if reason is None or any(ip in net for net in allowed):
            continue
        shown = target.host if target.ip is not None else f"{target.host} ({ip})"
        raise BlockedAddressError(
            f"Refused to fetch {shown}: it is a {reason} address, not a public web site.",
            address=str(ip),
            reason=reason,
            url=target.url,
        )
