"""When the database goes away, pages answer 503 and /readyz says so; when it comes back,
the app recovers without a restart."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

from tests.conftest import app_config
from tests.db_support import TestDatabase
from tests.netproxy import TcpProxy
from tracker import create_app
from tracker.extensions import db


def _outage_app(database: TestDatabase, tmp_path: Path, monkeypatch):
    """An app whose database can be taken away: PostgreSQL through a proxy we can cut,
    SQLite in a folder we can move away."""
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    config = app_config(database, tmp_path) | {"ENV_NAME": "development"}
    if database.backend == "postgresql":
        url = make_url(database.url)
        proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
        config["DATABASE_URL"] = (
            url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
            + "&connect_timeout=2"
        )
        return create_app(config), proxy.stop, proxy.start, proxy
    folder = tmp_path / "data"
    folder.mkdir()
    source = Path(make_url(config["DATABASE_URL"]).database)
    target = folder / "tracker.sqlite3"
    source.rename(target)
    config["DATABASE_URL"] = f"sqlite:///{target}"
    moved = tmp_path / "moved-away"

    def take_away() -> None:
        # An open SQLite file keeps working after a move (Unix), so the pooled connections
        # are closed too: the next request must open the file, which is gone.
        folder.rename(moved)
        with app.app_context():
            db.engine.dispose()

    def bring_back() -> None:
        moved.rename(folder)

    app = create_app(config)
    return app, take_away, bring_back, None


def test_pages_answer_503_while_the_database_is_down_and_recover(database, tmp_path, monkeypatch):
    app, take_away, bring_back, proxy = _outage_app(database, tmp_path, monkeypatch)
    client = app.test_client()
    try:
        assert client.get("/").status_code == 200
        assert client.get("/readyz").status_code == 200

        take_away()
        down = client.get("/")
        assert down.status_code == 503
        page = down.get_data(as_text=True)
        assert "The database cannot be reached right now" in page and "Traceback" not in page
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.get_json()["database"] == "unreachable"
        assert client.get("/healthz").status_code == 200  # the process itself is alive

        bring_back()
        assert client.get("/").status_code == 200
        assert client.get("/readyz").status_code == 200
    finally:
        if proxy is not None:
            proxy.stop()
        with app.app_context():
            db.engine.dispose()


def test_terminated_connections_are_replaced_on_the_next_request(database, tmp_path, monkeypatch):
    if database.backend != "postgresql":
        # SQLite has no server that could drop our connections; the outage test covers it.
        app, *_ = _outage_app(database, tmp_path, monkeypatch)
        assert app.test_client().get("/").status_code == 200
        return
    import sqlalchemy

    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app(app_config(database, tmp_path))
    client = app.test_client()
    assert client.get("/").status_code == 200
    # Only this app's pooled connection is killed: other test workers share the database.
    with app.app_context(), db.engine.connect() as connection:
        app_backend = connection.execute(sqlalchemy.text("SELECT pg_backend_pid()")).scalar()
    admin = sqlalchemy.create_engine(
        os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    )
    with admin.begin() as connection:
        killed = connection.execute(
            sqlalchemy.text("SELECT count(pg_terminate_backend(:pid))"), {"pid": app_backend}
        ).scalar()
    admin.dispose()
    assert killed >= 1
    assert client.get("/").status_code == 200
    with app.app_context():
        db.engine.dispose()
