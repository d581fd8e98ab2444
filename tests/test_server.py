"""The production server (gunicorn, as `tracker serve` starts it) on loopback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import quote

import pytest

# 10,000 characters, percent-encoded to about 55,000 bytes.
LONG_QUERY = quote(("война " * 1667)[:10_000])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def server_url(app, tmp_path) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "SECRET_KEY": "test-secret-key-for-the-production-server",
        "TRACKER_ENV": "production",
        "TRACKER_INSTANCE_PATH": str(tmp_path / "server-instance"),
    }
    command = (
        "import sys; from tracker.cli import main; "
        f"sys.argv = ['tracker', 'serve', '--port', '{port}', '--workers', '1', "
        "'--threads', '2', '--no-access-log']; main()"
    )
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-c", command], env=env, stdout=output, stderr=output
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{url}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_a_10000_character_query_reaches_the_app(server_url):
    # gunicorn's default request-line limit answered 414 with a page of its own.
    paths = ["/search", "/api/v1/search", "/api/v1/claims", "/feeds/claims.atom"]
    paths.append("/exports/claims.csv")
    statuses = {path: _get(f"{server_url}{path}?q={LONG_QUERY}")[0] for path in paths}
    assert statuses == dict.fromkeys(paths, 200)
