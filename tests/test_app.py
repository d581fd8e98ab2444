"""The application factory, settings and health probes."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tracker import create_app
from tracker.config import ConfigError
from tracker.database import make_engine


def test_healthz_reports_database_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_readyz_is_ready_without_redis(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["redis"] == "not configured"


def test_readyz_says_not_ready_when_database_is_unreachable(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    app = create_app(
        {
            "ENV_NAME": "testing",
            "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1",
        }
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_production_refuses_to_start_without_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app({"ENV_NAME": "production"})


def test_development_generates_a_secret_key_once_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"ENV_NAME": "development"}).config["SECRET_KEY"]
    second = create_app({"ENV_NAME": "development"}).config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 40
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_unknown_environment_name_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigError, match="TRACKER_ENV must be one of"):
        create_app({"ENV_NAME": "staging"})


def test_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"ENV_NAME": "testing"})
    assert app.config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'tracker.sqlite3'}"


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_templates_are_found_from_the_checkout(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b"<h1>Sign in</h1>" in response.data


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Not Found" in response.data
