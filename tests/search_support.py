"""Database fixtures for tests that touch the search index (reusable by other areas).

`db_engine` is parametrised over the available databases: SQLite always, PostgreSQL when
TEST_DATABASE_URL is set. The PostgreSQL schema is created for the test session under a
unique name, used through `search_path`, and dropped at the end. Bind the fixtures into a
test module to use them::

    from tests import search_support

    db_engine = search_support.db_engine
    postgres_engine = search_support.postgres_engine
    search_engine = search_support.search_engine
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from tracker.search import SearchDocument, create_schema, drop_schema

DATA = Path(__file__).resolve().parent / "data" / "search"
POSTGRES_URL = os.environ.get("TEST_DATABASE_URL", "")
DATABASES = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(scope="session")
def postgres_engine() -> Iterator[Engine]:
    """An engine whose connections use a schema of their own, dropped after the session."""
    if not POSTGRES_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine = create_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture(params=DATABASES)
def db_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database: a fresh SQLite file, or the session's PostgreSQL schema."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'test.sqlite3'}")
        yield engine
        engine.dispose()
    else:
        yield request.getfixturevalue("postgres_engine")


@pytest.fixture
def search_engine(db_engine: Engine) -> Iterator[Engine]:
    """`db_engine` with empty search tables for every kind, dropped afterwards."""
    with db_engine.begin() as connection:
        drop_schema(connection)
        create_schema(connection)
    yield db_engine
    with db_engine.begin() as connection:
        drop_schema(connection)


def load_corpus() -> list[SearchDocument]:
    """The small multilingual corpus of tests/data/search/corpus.jsonl."""
    docs = []
    with (DATA / "corpus.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                docs.append(SearchDocument(**row))
    return docs
