"""Liveness and readiness probes."""

from __future__ import annotations

from flask import Blueprint, current_app
from sqlalchemy import Engine, text

from tracker.extensions import db

bp = Blueprint("health", __name__)


def database_ok(engine: Engine | None = None) -> bool:
    try:
        with (engine or db.engine).connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception as exc:
        # One line: load balancers probe every few seconds, and a traceback per probe
        # buried everything else in the log while the database was away.
        current_app.logger.warning("database check failed: %s", _first_line(exc))
        return False


def redis_ok() -> bool | None:
    """None when no Redis is configured (the app then uses in-process fallbacks)."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_timeout=1).ping())
    except Exception as exc:
        current_app.logger.warning("redis check failed: %s", _first_line(exc))
        return False


def _first_line(exc: Exception) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0] if lines else ''}"


@bp.get("/healthz", endpoint="healthz")
def healthz() -> tuple[dict[str, str], int]:
    """Alive: the process answers. The database state is reported, not required."""
    return {"status": "ok", "database": "ok" if database_ok() else "unreachable"}, 200


@bp.get("/readyz", endpoint="readyz")
def readyz() -> tuple[dict[str, str], int]:
    """Ready: the database (and Redis, when configured) are reachable."""
    checks = {"database": database_ok(), "redis": redis_ok()}
    if current_app.config.get("DATABASE_REPLICA_URL"):
        checks["replica"] = database_ok(db.read_engine)
    body = {
        name: ("ok" if state else "not configured" if state is None else "unreachable")
        for name, state in checks.items()
    }
    ready = all(state is not False for state in checks.values())
    body["status"] = "ready" if ready else "not ready"
    return body, 200 if ready else 503
