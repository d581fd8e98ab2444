"""The production server (gunicorn, as `tracker serve` starts it) on loopback."""

from __future__ import annotations

import json
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


def _tracker(tmp_path, env: dict[str, str], *args: str) -> Iterator[str]:
    """Run `tracker ARGS --port P` on loopback; yield its URL once /healthz answers."""
    port = _free_port()
    argv = ["tracker", *args, "--port", str(port)]
    command = f"import sys; from tracker.cli import main; sys.argv = {argv!r}; main()"
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-c", command], env=env, stdout=output, stderr=output
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180  # the demo encodes its claims first
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


@pytest.fixture
def server_url(app, tmp_path) -> Iterator[str]:
    env = {
        **os.environ,
        "DATABASE_URL": app.config["DATABASE_URL"],
        "SECRET_KEY": "test-secret-key-for-the-production-server",
        "TRACKER_ENV": "production",
        "TRACKER_INSTANCE_PATH": str(tmp_path / "server-instance"),
    }
    serve = ("serve", "--workers", "1", "--threads", "2", "--no-access-log")
    yield from _tracker(tmp_path, env, *serve)


def _post_json(url: str, body: dict[str, str]) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 - loopback
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_10000_character_query_reaches_the_app(server_url):
    # gunicorn's default request-line limit answered 414 with a page of its own.
    paths = ["/search", "/api/v1/search", "/api/v1/claims", "/feeds/claims.atom"]
    paths.append("/exports/claims.csv")
    statuses = {path: _get(f"{server_url}{path}?q={LONG_QUERY}")[0] for path in paths}
    assert statuses == dict.fromkeys(paths, 200)


def test_the_demo_server_checks_a_claim(tmp_path):
    # `tracker demo` encodes its claims before it forks the server's workers; the workers'
    # background encodings went to a thread they do not have, and /check never answered.
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "TRACKER_INSTANCE_PATH": str(tmp_path / "demo-instance"),
    }
    env.pop("TRACKER_ENV", None)
    for url in _tracker(tmp_path, env, "demo"):
        text = "Russia recruited tens of thousands of foreigners in Moscow"
        status, body = _post_json(f"{url}/api/v1/xref/check", {"text": text, "language": "en"})
        assert status == 200, body
        assert body["semantic"] is True, body  # the semantic stage ran in the worker
        assert body["figure_checks"], body
    # Stopped: the workers, forked after the model was loaded, crashed in its C++ exit
    # handlers ("Worker ... was sent SIGSEGV!" or SIGABRT) before they left with os._exit.
    log = (tmp_path / "server.log").read_text()
    assert "Worker exiting" in log
    assert "was sent SIG" not in log, log[-2000:]
