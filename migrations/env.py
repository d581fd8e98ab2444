"""Alembic environment: runs migrations on the connection `tracker init` hands over, or on
the database the settings name when `alembic` is run by hand."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

from tracker.config import default_instance_path, load_settings
from tracker.database import make_engine
from tracker.migrate import migration_connection
from tracker.models import Base

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = Base.metadata


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    """Tables owned by the search backends are created by their own DDL, not by models."""
    return not (
        type_ == "table" and reflected and compare_to is None and name.startswith("search_")
    )


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def database_url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    # Only the URL is needed here; no secret key must be demanded for a migration.
    return load_settings({"SECRET_KEY": "unused-for-migrations"}, default_instance_path())[
        "DATABASE_URL"
    ]


connection = config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    # The same guarded connection as `tracker init`: on SQLite, foreign keys must be off
    # while batch mode copies tables, or dropping the old table deletes child rows.
    engine = make_engine(database_url())
    try:
        with migration_connection(engine) as conn:
            run_on(conn)
    finally:
        engine.dispose()
