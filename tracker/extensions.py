"""Extension objects, created unbound here and bound to the app in `create_app`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Required, TypedDict

from flask import Flask, g, request
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.wrappers import Response

from tracker.database import make_engine, make_sessionmaker

if TYPE_CHECKING:
    from collections.abc import Callable

    from tracker.xref.engine import XrefEngine


class DatabaseState(TypedDict, total=False):
    """What `Database` keeps in ``app.extensions["tracker.db"]``: a dict, as tests read it
    directly."""

    engine: Required[Engine]
    sessionmaker: Required[sessionmaker[Session]]
    # Only with DATABASE_REPLICA_URL.
    read_engine: Engine
    read_sessionmaker: sessionmaker[Session]


class Database:
    """SQLAlchemy for Flask: one engine per app, one session per application context.

    Kept small on purpose: services take a plain `Session`, so the same code runs in
    requests, commands, background jobs and tests.
    """

    def __init__(self) -> None:
        self._app: Flask | None = None

    def init_app(self, app: Flask) -> None:
        echo = app.config["SQLALCHEMY_ECHO"]
        engine = make_engine(app.config["DATABASE_URL"], echo=echo)
        state: DatabaseState = {"engine": engine, "sessionmaker": make_sessionmaker(engine)}
        replica_url = app.config.get("DATABASE_REPLICA_URL")
        if replica_url:
            replica = make_engine(replica_url, echo=echo)
            state["read_engine"] = replica
            state["read_sessionmaker"] = make_sessionmaker(replica)
        app.extensions["tracker.db"] = state
        app.teardown_appcontext(self._remove_session)

    @staticmethod
    def _state() -> DatabaseState:
        from flask import current_app

        return current_app.extensions["tracker.db"]

    @property
    def engine(self) -> Engine:
        return self._state()["engine"]

    @property
    def session(self) -> Session:
        """The session of the current application context, created on first use."""
        if "db_session" not in g:
            factory: Callable[[], Session] = self._state()["sessionmaker"]
            g.db_session = factory()
        return g.db_session

    @property
    def read_session(self) -> Session:
        """For public pages that only read published content: the replica when one is
        configured (DATABASE_REPLICA_URL), otherwise the same session as `session`."""
        state = self._state()
        if "read_sessionmaker" not in state:
            return self.session
        if "db_read_session" not in g:
            factory: Callable[[], Session] = state["read_sessionmaker"]
            g.db_read_session = factory()
        return g.db_read_session

    @property
    def read_engine(self) -> Engine:
        state = self._state()
        return state.get("read_engine", state["engine"])

    def dispose(self) -> None:
        """Close every pooled connection (tests, and before a process forks)."""
        state = self._state()
        state["engine"].dispose()
        if "read_engine" in state:
            state["read_engine"].dispose()

    @property
    def sessionmaker(self) -> sessionmaker[Session]:
        return self._state()["sessionmaker"]

    @property
    def read_sessionmaker(self) -> Callable[[], Session]:
        """Sessions of their own for public reads (streamed bodies outlive the request's):
        on the replica when one is configured."""
        state = self._state()
        return state.get("read_sessionmaker", state["sessionmaker"])

    @staticmethod
    def _remove_session(_exc: BaseException | None) -> None:
        for name in ("db_session", "db_read_session"):
            session = g.pop(name, None)
            if session is not None:
                session.close()


def xref_engine() -> XrefEngine:
    """The app's cross-referencing engine (one per process: it holds vector indexes)."""
    from flask import current_app

    from tracker.xref.engine import XrefEngine

    engine = current_app.extensions.get("tracker.xref")
    if engine is None:
        engine = current_app.extensions["tracker.xref"] = XrefEngine.from_config(current_app.config)
    return engine


def client_address() -> str:
    """The rate-limit key for anonymous limits: the client's IP address."""
    return request.remote_addr or "unknown"


db = Database()
login_manager = LoginManager()
csrf = CSRFProtect()
# Limits are kept in Redis when REDIS_URL is set (shared by every worker), else in memory.
limiter = Limiter(key_func=client_address)


def retry_after_for_refusals_only(response: Response) -> Response:
    """Drop the limiter's Retry-After from answers that were not refused: it put "Retry-After:
    60" on every 200, where the header means nothing (RFC 9110 gives it to 503 and 3xx, RFC
    6585 to 429). Registered before the limiter so that it runs after it (Flask runs
    after_request functions in the reverse order of registration)."""
    if response.status_code not in (429, 503) and not 300 <= response.status_code < 400:
        response.headers.pop("Retry-After", None)
    return response
