"""A real HTTP server on loopback for the capture tests, and a connection tripwire.

The server serves the pages in tests/data/capture/ plus a few behaviours (redirect chains,
slow and endless responses, huge bodies, error statuses). It records every request in
``access_log`` and, for streamed bodies, how many bytes it managed to send.

The tripwire is a ``sys.audit`` hook on ``socket.connect``: inside ``recording_connects()`` it
records every address this process connects to and refuses any that is not loopback, so a
bug in the address policy can never send traffic off the machine and a test can assert that
nothing connected at all.
"""

from __future__ import annotations

import gzip
import ipaddress
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data" / "capture"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
REAL_PAGES = SHARED / "claimreview" / "pages"

Handler = Callable[["_RequestHandler"], None]

# ----------------------------------------------------------------------------- tripwire

_connects: list[Any] = []
_guard = threading.Event()
_hook_lock = threading.Lock()
_hook_installed = False


def _is_loopback(address: Any) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    try:
        return ipaddress.ip_address(str(host).split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event != "socket.connect" or not _guard.is_set():
        return
    address = args[1]
    _connects.append(address)
    if not _is_loopback(address):
        raise ConnectionRefusedError(f"test tripwire: refused to connect to {address!r}")


@contextmanager
def recording_connects() -> Iterator[list[Any]]:
    """Record (and keep on loopback) every socket.connect made inside the block."""
    global _hook_installed
    with _hook_lock:
        if not _hook_installed:
            sys.addaudithook(_audit)  # cannot be removed: it is inert outside this block
            _hook_installed = True
    _connects.clear()
    _guard.set()
    try:
        yield _connects
    finally:
        _guard.clear()


# ----------------------------------------------------------------------------- server


class _RequestHandler(BaseHTTPRequestHandler):
    server: FixtureServer

    def do_GET(self) -> None:
        self.server.access_log.append((self.path, dict(self.headers.items())))
        handler = self.server.route(self.path)
        if handler is None:
            self.send_bytes(b"<html><body>not found</body></html>", status=404)
        else:
            handler(self)

    def log_message(self, format: str, *args: Any) -> None:  # silence stderr
        pass

    def send_bytes(
        self,
        body: bytes,
        *,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        self.send_response(status)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class FixtureServer(ThreadingHTTPServer):
    """A threaded HTTP/1.0 server on a random loopback port with a route table."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, host: str = "127.0.0.1") -> None:
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, 0), _RequestHandler)
        self.host = host
        self.port = self.server_address[1]
        self.access_log: list[tuple[str, dict[str, str]]] = []
        self.sent: dict[str, int] = {}
        self.routes: dict[str, Handler] = {}
        self.prefix_routes: dict[str, Handler] = {}
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05})

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up early (size and time limits) are the point of several tests.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)

    def url(self, path: str) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str) -> Handler | None:
        if path in self.routes:
            return self.routes[path]
        for prefix, handler in self.prefix_routes.items():
            if path.startswith(prefix):
                return handler
        return None

    def paths(self) -> list[str]:
        return [path for path, _headers in self.access_log]

    def start(self) -> FixtureServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(5)


# ----------------------------------------------------------------------------- behaviours


def file_page(name: str, content_type: str | None = "text/html; charset=utf-8") -> Handler:
    body = (DATA / name).read_bytes()
    return lambda h: h.send_bytes(body, content_type=content_type)


def status_page(status: int) -> Handler:
    body = f"<html><body><h1>Error {status}</h1></body></html>".encode()
    return lambda h: h.send_bytes(body, status=status)


def redirect_to(location: str, status: int = 302) -> Handler:
    return lambda h: h.send_bytes(b"", status=status, headers={"Location": location})


def redirect_chain(server: FixtureServer, name: str, hops: int, final: str) -> str:
    """Register /<name>/<hops> -> /<name>/<hops-1> -> ... -> final; return the first path."""
    for n in range(hops, 0, -1):
        target = f"/{name}/{n - 1}" if n > 1 else final
        status = (301, 302, 303, 307, 308)[n % 5]
        server.routes[f"/{name}/{n}"] = redirect_to(target, status)
    return f"/{name}/{hops}"


def slow_headers(delay: float) -> Handler:
    def handle(h: _RequestHandler) -> None:
        time.sleep(delay)
        h.send_bytes(b"<html><body>late</body></html>")

    return handle


def dripping(interval: float, limit_seconds: float) -> Handler:
    """Headers at once, then one byte per ``interval``: no single read ever times out."""

    def handle(h: _RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.end_headers()
        end = time.monotonic() + limit_seconds
        try:
            while time.monotonic() < end:
                h.wfile.write(b"x")
                h.wfile.flush()
                time.sleep(interval)
        except OSError:
            return

    return handle


def streamed(total: int, chunk: int, pause: float, *, declare_length: bool = False) -> Handler:
    """Send ``total`` bytes of HTML in ``chunk``-sized writes, recording what got out."""

    def handle(h: _RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        if declare_length:
            h.send_header("Content-Length", str(total))
        h.end_headers()
        sent = 0
        piece = b"<p>" + b"a" * (chunk - 8) + b"</p>\n\n"
        try:
            while sent < total:
                h.wfile.write(piece)
                h.wfile.flush()
                sent += len(piece)
                h.server.sent[h.path] = sent
                time.sleep(pause)
        except OSError:
            return

    return handle


def gzip_bomb(decoded_size: int) -> Handler:
    body = gzip.compress(b"<html>" + b" " * decoded_size, compresslevel=9)

    def handle(h: _RequestHandler) -> None:
        h.send_bytes(body, headers={"Content-Encoding": "gzip"})

    return handle


def gzip_page(name: str) -> Handler:
    body = gzip.compress((DATA / name).read_bytes())
    return lambda h: h.send_bytes(body, headers={"Content-Encoding": "gzip"})


def echo_host(h: _RequestHandler) -> None:
    host = h.headers.get("Host", "")
    paragraph = f"<p>This page was requested for the host {host} and says so in a sentence.</p>"
    h.send_bytes(f"<html><body><article>{paragraph * 5}</article></body></html>".encode())


def real_page(h: _RequestHandler) -> None:
    name = h.path.removeprefix("/real/")
    path = REAL_PAGES / name
    if "/" in name or not path.is_file():
        h.send_bytes(b"missing", status=404)
        return
    h.send_bytes(path.read_bytes())


def standard_server(host: str = "127.0.0.1") -> FixtureServer:
    """A server with every fixture page and behaviour the capture tests use."""
    server = FixtureServer(host)
    r = server.routes
    r["/article"] = file_page("article_claimreview.html")
    r["/russian"] = file_page("russian_utf8.html")
    r["/ukrainian"] = file_page("ukrainian_utf8.html")
    r["/cp1251-meta"] = file_page("cp1251_meta.html", "text/html")
    r["/cp1251-plain"] = file_page("cp1251_plain.html", "text/html")
    r["/lying-utf8"] = file_page("cp1251_plain.html", "text/html; charset=utf-8")
    r["/lying-latin1"] = file_page("cp1251_meta.html", "text/html; charset=iso-8859-1")
    r["/no-content-type"] = file_page("russian_utf8.html", None)
    r["/empty"] = file_page("empty.html")
    r["/document.pdf"] = file_page("document.pdf", "application/pdf")
    r["/image.png"] = file_page("image.png", "image/png")
    r["/untyped.pdf"] = file_page("document.pdf", None)
    r["/binary-html"] = lambda h: h.send_bytes(bytes(range(256)) * 64, content_type="text/html")
    r["/gzip"] = gzip_page("article_claimreview.html")
    r["/gzip-bomb"] = gzip_bomb(50_000_000)
    r["/404"] = status_page(404)
    r["/500"] = status_page(500)
    r["/204"] = lambda h: h.send_bytes(b"", status=204)
    r["/redirect-no-location"] = lambda h: h.send_bytes(b"", status=302)
    r["/to-ftp"] = redirect_to("ftp://example.org/file")
    r["/slow"] = slow_headers(3.0)
    r["/drip"] = dripping(0.05, 5.0)
    r["/huge"] = streamed(50_000_000, 64 * 1024, 0.01)
    r["/huge-declared"] = streamed(50_000_000, 64 * 1024, 0.01, declare_length=True)
    r["/echo-host"] = echo_host
    redirect_chain(server, "three", 3, "/article")
    redirect_chain(server, "eleven", 11, "/article")
    server.prefix_routes["/real/"] = real_page
    return server.start()
