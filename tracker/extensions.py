"""Extension objects, created unbound here and bound to the app in `create_app`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, g, request
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from tracker.database import make_engine, make_sessionmaker

if TYPE_CHECKING:
    from collections.abc import Callable


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
        state: dict[str, object] = {"engine": engine, "sessionmaker": make_sessionmaker(engine)}
        replica_url = app.config.get("DATABASE_REPLICA_URL")
        if replica_url:
            replica = make_engine(replica_url, echo=echo)
            state["read_engine"] = replica
            state["read_sessionmaker"] = make_sessionmaker(replica)
        app.extensions["tracker.db"] = state
        app.teardown_appcontext(self._remove_session)

    @staticmethod
    def _state() -> dict[str, object]:
        from flask import current_app

        return current_app.extensions["tracker.db"]  # type: ignore[no-any-return]

    @property
    def engine(self) -> Engine:
        return self._state()["engine"]  # type: ignore[return-value]

    @property
    def session(self) -> Session:
        """The session of the current application context, created on first use."""
        if "db_session" not in g:
            factory: Callable[[], Session] = self._state()["sessionmaker"]  # type: ignore[assignment]
            g.db_session = factory()
        return g.db_session  # type: ignore[no-any-return]

    @property
    def read_session(self) -> Session:
        """For public pages that only read published content: the replica when one is
        configured (DATABASE_REPLICA_URL), otherwise the same session as `session`."""
        state = self._state()
        if "read_sessionmaker" not in state:
            return self.session
        if "db_read_session" not in g:
            factory: Callable[[], Session] = state["read_sessionmaker"]  # type: ignore[assignment]
            g.db_read_session = factory()
        return g.db_read_session  # type: ignore[no-any-return]

    @property
    def read_engine(self) -> Engine:
        state = self._state()
        return state.get("read_engine", state["engine"])  # type: ignore[return-value]

    def dispose(self) -> None:
        """Close every pooled connection (tests, and before a process forks)."""
        state = self._state()
        for key in ("engine", "read_engine"):
            if key in state:
                state[key].dispose()  # type: ignore[attr-defined]

    @property
    def sessionmaker(self) -> sessionmaker[Session]:
        return self._state()["sessionmaker"]  # type: ignore[return-value]

    @staticmethod
    def _remove_session(_exc: BaseException | None) -> None:
        for name in ("db_session", "db_read_session"):
            session = g.pop(name, None)
            if session is not None:
                session.close()


def xref_engine():  # type: ignore[no-untyped-def]
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
