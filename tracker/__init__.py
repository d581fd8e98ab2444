"""Disinfo Tracker: record, review, cross-reference and publish disinformation claims."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from tracker.config import default_instance_path, load_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_FOLDER = PROJECT_ROOT / "templates"


MAX_RECORD_ID = 2_147_483_647  # the largest value of a 32-bit integer column


class RecordIdConverter(IntegerConverter):
    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_RECORD_ID)
        super().__init__(map, *args, **kwargs)


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: config -> extensions -> blueprints -> error handlers -> CLI."""
    from tracker import api, auth, cli, health, public, security, templating, web_errors
    from tracker.desk import bp as desk_bp
    from tracker.extensions import csrf, db, limiter

    instance_path = default_instance_path()
    app = Flask(__name__, instance_path=str(instance_path), template_folder=str(TEMPLATE_FOLDER))
    app.config.update(load_settings(config, instance_path))
    # Ids in URLs fit the database's integer columns; larger numbers are simply not found
    # (instead of an overflow deep in the database driver).
    app.url_map.converters["int"] = RecordIdConverter
    hops = app.config["PROXY_HOPS"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    db.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)  # headers and the security log; sessions: tracker.auth
    auth.init_app(app)
    templating.init_app(app)

    app.register_blueprint(health.bp)
    app.register_blueprint(public.bp)
    app.register_blueprint(desk_bp)
    app.register_blueprint(api.bp)

    web_errors.init_app(app)
    cli.init_app(app)
    return app
