"""Shared pytest fixtures: app, client, db, login_as, and the browser harness.

Every test that uses `app` (or anything built on it) runs on SQLite and, when
TEST_DATABASE_URL is set, on PostgreSQL as well.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests import db_support
from tests.factories import make_user, put_in_session
from tracker import create_app
from tracker.extensions import db as database_extension
from tracker.models import Role, User

pytest_plugins = ["tests.browser_support"]


@pytest.fixture(scope="session", params=db_support.available_backends())
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A migrated database for the whole run, one per backend."""
    if request.param == "sqlite":
        yield db_support.create_sqlite(tmp_path_factory.mktemp("sqlite"))
        return
    created = db_support.create_postgresql()
    yield created
    db_support.drop_postgresql(created)


def app_config(database: db_support.TestDatabase, tmp_path) -> dict[str, object]:
    return {
        "ENV_NAME": "testing",
        "DATABASE_URL": database.fresh_url(tmp_path),
        "SECRET_KEY": "test-secret-key-not-for-production",
        "WTF_CSRF_ENABLED": False,
        "REDIS_URL": None,
        # Tests never reach the internet; failures to resolve must come back quickly.
        "CAPTURE_TIMEOUT_SECONDS": 5.0,
    }


@pytest.fixture
def app(
    request: pytest.FixtureRequest, database: db_support.TestDatabase, tmp_path, monkeypatch
) -> Iterator[Flask]:
    """The application on a fresh database. CSRF protection is off for test-client tests,
    and on for browser tests and tests marked `csrf`, which exercise the real forms."""
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    config = app_config(database, tmp_path)
    if request.node.get_closest_marker("browser") or request.node.get_closest_marker("csrf"):
        config["WTF_CSRF_ENABLED"] = True
    application = create_app(config)
    yield application
    with application.app_context():
        engine = database_extension.engine
        database.clean(engine)
        engine.dispose()


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """A database session of the test's own, outside any request.

    It is not the session requests use: each request gets a fresh one, as in production,
    so tests commit what requests should see and refresh what requests changed.
    """
    session = app.extensions["tracker.db"]["sessionmaker"]()
    yield session
    session.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def login_as(app: Flask, client: FlaskClient, db: Session) -> Callable[..., User]:
    """Sign the test client in as a new user of the given role; returns the user."""

    def sign_in(role: Role | str = Role.ANALYST, **fields: object) -> User:
        user = make_user(db, role, **fields)
        db.commit()
        with client.session_transaction() as session:
            put_in_session(session, user)
        return user

    return sign_in


# --- CI completeness: fail when PostgreSQL or browser tests did not really run -------------

_outcomes: dict[str, list[str]] = {"postgresql": [], "browser": []}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call" and not (report.when == "setup" and report.skipped):
        return
    outcome = report.outcome
    if "[postgresql" in report.nodeid or "-postgresql" in report.nodeid:
        _outcomes["postgresql"].append(outcome)
    if "browser" in report.keywords:
        _outcomes["browser"].append(outcome)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("TRACKER_REQUIRE_FULL_SUITE") != "1":
        return
    problems = []
    for kind, outcomes in _outcomes.items():
        if not outcomes:
            problems.append(f"no {kind} tests ran")
        elif "skipped" in outcomes:
            problems.append(f"{outcomes.count('skipped')} {kind} tests were skipped")
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("FULL SUITE REQUIRED: " + "; ".join(problems), red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
