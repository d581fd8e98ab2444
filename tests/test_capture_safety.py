"""The address policy: refused URLs never connect, redirects are re-checked, the IP is pinned.

How the "public first hop" is simulated: the first hop goes to a test-only name
("public.test") that a resolver hook maps to 127.0.0.1, and ``allowed_networks`` exempts
exactly 127.0.0.1/32 from the block. Everything else is the production path: the same parsing,
resolution through the hook, address check, pinned connection and redirect handling. A second
server listens on 127.0.0.2 (and one on ::1) so that a refused hop that DID connect would show
up in its access log; the ``recording_connects`` tripwire additionally records every
``socket.connect`` and refuses any non-loopback one.
"""

from __future__ import annotations

import ipaddress
import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.capture_support import (
    FixtureServer,
    echo_host,
    recording_connects,
    redirect_to,
    standard_server,
)
from tracker.capture import (
    BlockedAddressError,
    CaptureSettings,
    InvalidUrlError,
    SchemeNotAllowedError,
    TlsError,
    blocked_reason,
    capture_url,
)
from tracker.capture.netguard import parse_target

PINNED = CaptureSettings(allowed_networks=("127.0.0.1/32",), timeout_seconds=3.0)


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    srv = standard_server()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def second() -> Iterator[FixtureServer]:
    """Listens on 127.0.0.2: loopback, but outside the allowed 127.0.0.1/32."""
    srv = standard_server("127.0.0.2")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def server6() -> Iterator[FixtureServer | None]:
    if not _has_ipv6_loopback():
        yield None
        return
    srv = standard_server("::1")
    yield srv
    srv.stop()


def resolver_for(mapping: dict[str, list[str]], calls: list[str] | None = None):
    def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        return mapping[host]

    return resolve


# ----------------------------------------------------------------------------- address policy


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.0.9", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),
        ("0.0.0.0", "unspecified"),  # noqa: S104 (an address under test, not a bind)
        ("224.0.0.1", "multicast"),
        ("240.0.0.1", "private"),
        ("255.255.255.255", "private"),
        ("100.64.0.1", "not publicly routable"),
        ("192.0.2.10", "private"),
        ("::1", "loopback"),
        ("::", "unspecified"),
        ("fe80::1", "link-local"),
        ("fd00::1", "private"),
        ("ff02::1", "multicast"),
        ("2001:db8::1", "private"),
        ("::ffff:127.0.0.1", "loopback (IPv4 127.0.0.1 inside IPv6)"),
        ("::ffff:10.0.0.1", "private (IPv4 10.0.0.1 inside IPv6)"),
        ("2002:7f00:1::", "loopback (IPv4 127.0.0.1 inside IPv6)"),
        ("64:ff9b::a00:1", "private (IPv4 10.0.0.1 inside IPv6)"),
    ],
)
def test_non_public_addresses_are_blocked_with_their_reason(address, reason):
    assert blocked_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2a00:1450:4001::1"])
def test_public_addresses_are_not_blocked(address):
    assert blocked_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    "host", ["2130706433", "0x7f.1", "0x7f000001", "017700000001", "127.1", "0177.0.0.1"]
)
def test_numeric_host_forms_are_read_as_the_address_they_mean(host):
    assert parse_target(f"http://{host}/").ip == ipaddress.ip_address("127.0.0.1")


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "rt.com/article",
        "http://",
        "http://user:secret@rt.com/",
        "http://rt.com:99999/",
        "http://[::1/",
        "http://999.1.1.1/",
        "http://exa mple.com/",
        "http://rt.com/\nGET /other",
    ],
)
def test_invalid_urls_are_refused_with_a_reason(url):
    with pytest.raises(InvalidUrlError) as info:
        capture_url(url)
    assert info.value.code == "invalid_url"
    assert str(info.value)


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/x", "file:///etc/passwd", "javascript:alert(1)", "gopher://x/", "data:,x"],
)
def test_other_schemes_are_refused(url):
    with pytest.raises(SchemeNotAllowedError) as info:
        capture_url(url)
    assert info.value.code == "scheme_not_allowed"


# ----------------------------------------------------------------------------- no connection


def _blocked_urls(port: int) -> list[str]:
    return [
        f"http://127.0.0.1:{port}/article",
        f"http://localhost:{port}/article",
        f"http://127.0.0.2:{port}/article",
        f"http://2130706433:{port}/article",
        f"http://0x7f.1:{port}/article",
        f"http://017700000001:{port}/article",
        f"http://127.1:{port}/article",
        f"http://0.0.0.0:{port}/article",
        f"http://[::1]:{port}/article",
        f"http://[::]:{port}/article",
        f"http://[::ffff:127.0.0.1]:{port}/article",
        f"http://[::ffff:7f00:1]:{port}/article",
        f"http://[2002:7f00:1::]:{port}/article",
        "http://10.0.0.1/",
        "http://172.16.5.4/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://[fe80::1]/",
        "http://[fd12:3456::1]/",
        "http://[ff02::1]/",
        "https://[64:ff9b::a00:1]/",
    ]


@pytest.mark.parametrize("index", range(len(_blocked_urls(1))))
def test_blocked_addresses_are_refused_without_connecting(index, server, second, server6):
    port = server.port
    url = _blocked_urls(port)[index]
    logs_before = [len(s.access_log) for s in (server, second, server6) if s is not None]
    with recording_connects() as connects, pytest.raises(BlockedAddressError) as info:
        capture_url(url)
    assert info.value.code == "blocked_address"
    assert connects == []
    assert [len(s.access_log) for s in (server, second, server6) if s is not None] == logs_before


def test_ipv6_loopback_server_is_reachable_when_allowed(server6):
    # Control for the refusals above: the ::1 server is there and answers when allowed.
    if server6 is None:
        pytest.skip("no IPv6 loopback on this machine")
    snap = capture_url(server6.url("/article"), settings=CaptureSettings(allow_private=True))
    assert snap.status == 200


def test_loopback_server_is_reachable_when_private_is_allowed(server):
    with recording_connects() as connects:
        snap = capture_url(server.url("/article"), settings=CaptureSettings(allow_private=True))
    assert snap.status == 200
    assert connects == [("127.0.0.1", server.port)]


def test_name_resolving_to_a_private_address_is_refused_without_connecting():
    calls: list[str] = []
    settings = CaptureSettings(resolver=resolver_for({"intranet.test": ["10.1.2.3"]}, calls))
    with recording_connects() as connects, pytest.raises(BlockedAddressError) as info:
        capture_url("http://intranet.test/", settings=settings)
    assert (calls, connects, info.value.address) == (["intranet.test"], [], "10.1.2.3")


def test_name_with_one_private_address_among_public_ones_is_refused():
    mapping = {"mixed.test": ["93.184.216.34", "127.0.0.1"]}
    settings = CaptureSettings(resolver=resolver_for(mapping))
    with recording_connects() as connects, pytest.raises(BlockedAddressError):
        capture_url("http://mixed.test/", settings=settings)
    assert connects == []


def test_allowed_networks_open_only_the_listed_network(second):
    with recording_connects() as connects, pytest.raises(BlockedAddressError):
        capture_url(second.url("/article"), settings=PINNED)
    assert connects == []


# ----------------------------------------------------------------------------- redirects


@pytest.mark.parametrize(
    "target", ["http://127.0.0.2:{p2}/article", "http://0x7f.2:{p2}/article", "http://[::1]:{p6}/"]
)
def test_redirect_from_allowed_host_to_loopback_is_refused_after_the_redirect(
    target, server, second, server6
):
    location = target.format(p2=second.port, p6=server6.port if server6 else 1)
    server.routes["/to-loopback"] = redirect_to(location)
    settings = CaptureSettings(
        allowed_networks=("127.0.0.1/32",),
        resolver=resolver_for({"public.test": ["127.0.0.1"]}),
    )
    second_before = len(second.access_log)
    with recording_connects() as connects, pytest.raises(BlockedAddressError) as info:
        capture_url(f"http://public.test:{server.port}/to-loopback", settings=settings)
    assert info.value.url == location
    assert connects == [("127.0.0.1", server.port)]  # the first hop only
    assert len(second.access_log) == second_before


def test_every_redirect_hop_is_resolved_and_checked_again(server):
    calls: list[str] = []
    settings = CaptureSettings(
        allowed_networks=("127.0.0.1/32",),
        resolver=resolver_for({"public.test": ["127.0.0.1"]}, calls),
    )
    snap = capture_url(f"http://public.test:{server.port}/three/3", settings=settings)
    assert len(snap.redirects) == 3
    assert calls == ["public.test"] * 4


# ----------------------------------------------------------------------------- pinning


def test_connection_goes_to_the_checked_address_and_keeps_the_host_name(server):
    # A rebinding resolver: public-looking answer first, a private one on any later lookup.
    answers = iter([["127.0.0.1"]])
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[str]:
        calls.append(host)
        return next(answers, ["10.9.9.9"])

    settings = CaptureSettings(allowed_networks=("127.0.0.1/32",), resolver=rebinding)
    with recording_connects() as connects:
        snap = capture_url(f"http://rebind.test:{server.port}/echo-host", settings=settings)
    assert calls == ["rebind.test"]  # looked up once; the HTTP client never looks up again
    assert connects == [("127.0.0.1", server.port)]
    assert f"for the host rebind.test:{server.port}" in snap.text


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory) -> Iterator[tuple[FixtureServer, Path, list[str]]]:
    """An HTTPS server whose certificate names capture.test only."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
            "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", str(key), "-out", str(cert),
            "-days", "2", "-subj", "/CN=capture.test",
            "-addext", "subjectAltName=DNS:capture.test",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str] = []
    context.sni_callback = lambda _sock, name, _ctx: names.append(name)
    srv = FixtureServer()
    srv.socket = context.wrap_socket(srv.socket, server_side=True)
    srv.routes["/echo-host"] = echo_host
    srv.start()
    yield srv, cert, names
    srv.stop()


def _tls_settings(cert: Path) -> CaptureSettings:
    mapping = {"capture.test": ["127.0.0.1"], "wrong.test": ["127.0.0.1"]}
    return CaptureSettings(
        allowed_networks=("127.0.0.1/32",), resolver=resolver_for(mapping), ca_certs=str(cert)
    )


def test_https_to_pinned_address_keeps_sni_and_verifies_the_name(tls_server):
    srv, cert, names = tls_server
    url = f"https://capture.test:{srv.port}/echo-host"
    snap = capture_url(url, settings=_tls_settings(cert))
    assert names[-1] == "capture.test"
    assert f"for the host capture.test:{srv.port}" in snap.text


def test_https_certificate_for_another_name_is_a_tls_error(tls_server):
    srv, cert, _names = tls_server
    with pytest.raises(TlsError) as info:
        capture_url(f"https://wrong.test:{srv.port}/echo-host", settings=_tls_settings(cert))
    assert info.value.code == "tls_error"
