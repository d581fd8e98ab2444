"""Test databases: one migrated SQLite template and one PostgreSQL schema per test run.

Every test that uses the `app` fixture runs once per available backend. PostgreSQL is used
when TEST_DATABASE_URL is set (CI always sets it); each run migrates a schema of its own and
drops it at the end, so parallel runs and other users of the database are not disturbed.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from tracker.database import make_engine
from tracker.migrate import upgrade
from tracker.models import Base

PG_URL_VARIABLE = "TEST_DATABASE_URL"


def available_backends() -> list[str]:
    backends = ["sqlite"]
    if os.environ.get(PG_URL_VARIABLE):
        backends.append("postgresql")
    return backends


def pg_url_with_schema(base_url: str, schema: str) -> str:
    url = make_url(base_url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    url = url.update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@dataclass
class TestDatabase:
    """A migrated database that tests get fresh copies (SQLite) or clean tables (PG) of."""

    backend: str
    url: str
    template: Path | None = None
    schema: str | None = None

    __test__ = False  # not a test class, despite the name

    def fresh_url(self, tmp_path: Path) -> str:
        if self.backend == "sqlite":
            assert self.template is not None
            target = tmp_path / "tracker.sqlite3"
            shutil.copyfile(self.template, target)
            return f"sqlite:///{target}"
        return self.url

    def clean(self, engine: Engine) -> None:
        """Empty every table after a test (PostgreSQL; SQLite files are simply discarded)."""
        if self.backend == "sqlite":
            return
        names = [t.name for t in Base.metadata.sorted_tables]
        with engine.begin() as connection:
            extra = connection.execute(
                text(
                    "SELECT table_name FROM information_schema.tables "
                    "WHERE table_schema = :schema AND table_name LIKE 'search%' "
                    "AND table_type = 'BASE TABLE'"
                ),
                {"schema": self.schema},
            ).scalars()
            tables = ", ".join(f'"{name}"' for name in [*names, *extra])
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


def create_sqlite(directory: Path) -> TestDatabase:
    template = directory / "template.sqlite3"
    engine = make_engine(f"sqlite:///{template}")
    upgrade(engine)
    engine.dispose()
    return TestDatabase("sqlite", f"sqlite:///{template}", template=template)


def create_postgresql() -> TestDatabase:
    base_url = os.environ[PG_URL_VARIABLE]
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(pg_url_with_schema(base_url, "public"))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = pg_url_with_schema(base_url, schema)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return TestDatabase("postgresql", url, schema=schema)


def drop_postgresql(database: TestDatabase) -> None:
    admin = make_engine(pg_url_with_schema(os.environ[PG_URL_VARIABLE], "public"))
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{database.schema}" CASCADE'))
    admin.dispose()


@contextmanager
def empty_database_url(database: TestDatabase, directory: Path) -> Iterator[str]:
    """The URL of an empty database (no tables) on the same backend, removed afterwards."""
    if database.backend == "sqlite":
        yield f"sqlite:///{directory / 'empty.sqlite3'}"
        return
    base_url = os.environ[PG_URL_VARIABLE]
    schema = f"empty_{uuid.uuid4().hex[:12]}"
    admin = make_engine(pg_url_with_schema(base_url, "public"))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield pg_url_with_schema(base_url, schema)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
