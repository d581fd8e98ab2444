"""Disinfo Tracker: record, review, cross-reference and publish disinformation claims."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from werkzeug.routing import IntegerConverter, Map

from tracker.config import ConfigError, default_instance_path, load_settings

# templates/ and migrations/ sit beside the package, as the product card fixes them: the app
# runs from a checkout (`pip install -e .`), and a wheel does not carry them.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_FOLDER = PROJECT_ROOT / "templates"
MIGRATIONS_FOLDER = PROJECT_ROOT / "migrations"


MAX_RECORD_ID = 2_147_483_647  # the largest value of a 32-bit integer column


class RecordIdConverter(IntegerConverter):
    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_RECORD_ID)
        super().__init__(map, *args, **kwargs)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: config -> extensions -> blueprints -> error handlers -> CLI."""
    from tracker import api, auth, cli, cors, health, public, security, templating, web_errors
    from tracker.desk import bp as desk_bp
    from tracker.extensions import csrf, db, limiter, retry_after_for_refusals_only

    _check_checkout()
    instance_path = default_instance_path()
    app = Flask(__name__, instance_path=str(instance_path), template_folder=str(TEMPLATE_FOLDER))
    app.config.update(load_settings(config, instance_path))
    # Ids in URLs fit the database's integer columns; larger numbers are simply not found
    # (instead of an overflow deep in the database driver).
    app.url_map.converters["int"] = RecordIdConverter
    hops = app.config["PROXY_HOPS"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Flask's documented way to add WSGI middleware; mypy forbids assigning to a method.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    try:
        db.init_app(app)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise ConfigError(_database_url_problem(exc, app.config)) from exc
    csrf.init_app(app)
    app.after_request(retry_after_for_refusals_only)  # before the limiter: runs after it
    limiter.init_app(app)
    security.init_app(app)  # headers and the security log; sessions: tracker.auth
    cors.init_app(app)  # other sites may read the open data
    auth.init_app(app)
    templating.init_app(app)

    app.register_blueprint(health.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(desk_bp)
    app.register_blueprint(api.bp)

    web_errors.init_app(app)
    cli.init_app(app)
    return app


def _check_checkout() -> None:
    for folder in (TEMPLATE_FOLDER, MIGRATIONS_FOLDER):
        if not folder.is_dir():
            raise ConfigError(
                f"{folder} is missing: Disinfo Tracker runs from a checkout of its repository "
                "(install it there with `pip install -e .`), not from a wheel."
            )


def _database_url_problem(exc: Exception, config: Mapping[str, Any]) -> str:
    """One line for a database URL the engine cannot even be created from."""
    names = "DATABASE_URL"
    if config.get("DATABASE_REPLICA_URL"):
        names += " or DATABASE_REPLICA_URL"
    if isinstance(exc, NoSuchModuleError):  # a subclass of ArgumentError
        reason = "its database kind is not supported"
    elif isinstance(exc, ArgumentError):
        reason = "it is not a database URL"
    else:
        reason = f"its database driver is not installed ({exc})"
    return (
        f"{names} cannot be used: {reason}. Use sqlite:///PATH or "
        "postgresql+psycopg://USER@HOST/DATABASE."
    )
