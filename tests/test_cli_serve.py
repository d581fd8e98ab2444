"""`tracker serve`: sign-in limits hold with the default server, Redis or not."""

from __future__ import annotations

import gc

import pytest

import tracker.server


@pytest.fixture
def started(monkeypatch) -> list[dict]:
    """What `tracker serve` would start gunicorn with (nothing is started)."""
    # serve runs in production mode, which needs a secret key from the environment.
    monkeypatch.setenv("SECRET_KEY", "test-secret-key-for-the-serve-command")
    calls: list[dict] = []
    monkeypatch.setattr(tracker.server, "serve", lambda factory, **options: calls.append(options))
    return calls


def test_without_redis_serve_runs_one_worker_with_all_the_threads(app, started, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    result = app.test_cli_runner().invoke(args=["serve", "--workers", "3", "--threads", "4"])
    assert result.exit_code == 0, result.output
    assert [(c["workers"], c["threads"]) for c in started] == [(1, 12)]
    assert "REDIS_URL is not set: serving with 1 worker and 12 threads" in result.output


def test_with_redis_serve_runs_the_workers_asked_for(app, started, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    result = app.test_cli_runner().invoke(args=["serve", "--workers", "3", "--threads", "4"])
    assert result.exit_code == 0, result.output
    assert [(c["workers"], c["threads"]) for c in started] == [(3, 4)]
    assert "REDIS_URL" not in result.output


def test_one_worker_needs_no_redis(app, started, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    result = app.test_cli_runner().invoke(args=["serve", "--workers", "1", "--threads", "2"])
    assert result.exit_code == 0, result.output
    assert [(c["workers"], c["threads"]) for c in started] == [(1, 2)]
    assert result.output == ""


def test_the_default_server_keeps_the_sign_in_limit_of_one_process(app, db, monkeypatch):
    """The reason for the rule: within one process (any number of threads) the count is
    shared, so the limit is exact."""
    from concurrent.futures import ThreadPoolExecutor

    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"

    def attempt(n: int) -> int:
        return (
            app.test_client()
            .post("/login", data={"email": f"p{n}@example.org", "password": "not this one"})
            .status_code
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(pool.map(attempt, range(9)))
    assert sorted(codes) == [400] * 5 + [429] * 4


def test_a_worker_freezes_what_start_up_built_and_collects_garbage_less_often(app):
    thresholds = gc.get_threshold()
    server = tracker.server.TrackerServer(lambda: app, {"bind": "127.0.0.1:0"})
    try:
        assert server.load() is app
        assert gc.get_threshold() == tracker.server.GC_THRESHOLDS
        assert gc.get_freeze_count() > 0
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
