"""Engines and sessions: one place that knows how to connect, usable with or without Flask."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers continue while one writer commits; foreign keys are off by default
    # in SQLite; the busy timeout makes concurrent writers wait instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # SQLite's own lower() folds only A-Z: "Военкор Z" stayed as it was, so an outlet or a
    # narrative with a Cyrillic name was never found again by its name (PostgreSQL's
    # lower() folds every letter). Python's does too; the name is SQLite's, so every query
    # that lowers a column gets it.
    dbapi_connection.create_function("lower", 1, _lower, deterministic=True)


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _configure_postgresql(dbapi_connection: Any, _record: Any) -> None:
    # psycopg prepares a statement on the server once it has run five times, and PostgreSQL
    # then plans it for parameters in general: for a search that is the plan of an average
    # word, a scan and sort of every match, 0.1 s becoming 0.8 s for a word in most claims
    # (bench/search_phases.py). Each run is planned for its own values instead; the parse
    # is still saved.
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET plan_cache_mode = force_custom_plan")
    dbapi_connection.commit()


def make_engine(url: str, *, echo: bool = False, **options: Any) -> Engine:
    """Create an engine with the settings every part of the app expects."""
    if is_sqlite(url):
        engine = create_engine(url, echo=echo, **options)
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    options.setdefault("pool_pre_ping", True)
    options.setdefault("pool_size", 5)
    options.setdefault("max_overflow", 10)
    engine = create_engine(url, echo=echo, **options)
    event.listen(engine, "connect", _configure_postgresql)
    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session for scripts and commands: commits on success, rolls back on error."""
    session = make_sessionmaker(engine)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
