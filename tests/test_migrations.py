"""Migrations: up, down and up again, and the migrated schema matches the models."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from tests.db_support import TestDatabase, empty_database_url
from tracker.database import make_engine
from tracker.migrate import current_revision, downgrade, head_revision, upgrade
from tracker.models import Base


def schema_differences(engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": _skip_search_tables},
        )
        return compare_metadata(context, Base.metadata)


def _skip_search_tables(obj, name, type_, reflected, compare_to):
    return not (type_ == "table" and reflected and compare_to is None and name.startswith("search"))


def _normalised(sql: str) -> str:
    return " ".join(sql.replace('"', "").split())


def checks_and_server_defaults(engine: Engine) -> dict[str, dict[str, str]]:
    """What compare_metadata does not look at: CHECK constraints (name -> SQL) and column
    server defaults, per model table, as the database itself reports them."""
    found: dict[str, dict[str, str]] = {}
    inspector = inspect(engine)
    for table in sorted(Base.metadata.tables):
        entries = {
            f"check {check['name']}": _normalised(check["sqltext"])
            for check in inspector.get_check_constraints(table)
        }
        entries |= {
            f"default {column['name']}": _normalised(str(column["default"]))
            for column in inspector.get_columns(table)
            if column.get("default") is not None
        }
        found[table] = entries
    return found


@contextmanager
def database_built_from_the_models(database: TestDatabase, tmp_path) -> Iterator[Engine]:
    """An empty database of the same backend with the schema made by create_all."""
    with empty_database_url(database, tmp_path) as url:
        engine = make_engine(url)
        try:
            Base.metadata.create_all(engine)
            yield engine
        finally:
            engine.dispose()


def test_upgrade_downgrade_upgrade_leaves_a_schema_matching_the_models(
    database: TestDatabase, tmp_path
):
    engine = make_engine(database.fresh_url(tmp_path))
    try:
        assert current_revision(engine) == head_revision()
        downgrade(engine, "base")
        remaining = set(inspect(engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        assert schema_differences(engine) == []
    finally:
        engine.dispose()


def test_migrated_checks_and_server_defaults_match_the_models(database: TestDatabase, tmp_path):
    migrated = make_engine(database.fresh_url(tmp_path))
    try:
        with database_built_from_the_models(database, tmp_path) as from_models:
            expected = checks_and_server_defaults(from_models)
        assert "check ck_claims_version_positive" in expected["claims"]
        assert checks_and_server_defaults(migrated) == expected
    finally:
        migrated.dispose()


def test_migrations_create_every_model_table(database: TestDatabase, tmp_path):
    engine = make_engine(database.fresh_url(tmp_path))
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
    finally:
        engine.dispose()
