"""Migrations: up, down and up again, and the migrated schema matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from tests.db_support import TestDatabase
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


def test_migrations_create_every_model_table(database: TestDatabase, tmp_path):
    engine = make_engine(database.fresh_url(tmp_path))
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(Base.metadata.tables) <= tables
    finally:
        engine.dispose()
