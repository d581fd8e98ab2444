"""The browser harness: a real HTTP server on loopback and Debian's Chromium via Playwright.

Chromium is installed with apt when it is missing (the project's own files install what it
needs); Playwright's own browser download is not used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CHROMIUM = os.environ.get("TRACKER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def ensure_chromium() -> str | None:
    """The path to Chromium, installing Debian's package when it is missing.

    Returns None (and the browser tests skip) only where installing is impossible.
    """
    if os.path.exists(CHROMIUM):
        return CHROMIUM
    apt = shutil.which("apt-get")
    if apt is None or os.geteuid() != 0:
        return None
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run([apt, "update", "-qq"], check=False, env=env)  # noqa: S603
    subprocess.run(  # noqa: S603
        [apt, "install", "-y", "-qq", "chromium"], check=False, env=env
    )
    return CHROMIUM if os.path.exists(CHROMIUM) else None


@dataclass
class LiveServer:
    url: str
    app: Flask


def closing_responses(app: WSGIApplication) -> WSGIApplication:
    """APP with every response read whole and closed before the server writes it.

    Werkzeug's development server closes a response only after reading what is left of the
    request; when the browser has hung up by then (a stylesheet cut short by the next page),
    that read raises and the close is skipped (serving.py, `execute`). The static file left
    open made a ResourceWarning, which failed whatever test the garbage collector ran in.
    """

    def buffered(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        response = app(environ, start_response)
        try:
            return [b"".join(response)]
        finally:
            close = getattr(response, "close", None)
            if close is not None:
                close()

    return buffered


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """The app served by a real HTTP server on 127.0.0.1 in a background thread."""
    server: BaseWSGIServer = make_server("127.0.0.1", 0, closing_responses(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield LiveServer(f"http://127.0.0.1:{server.server_port}", app)
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    path = ensure_chromium()
    if path is None:
        pytest.skip("Chromium is not installed and cannot be installed here (needs root + apt)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
