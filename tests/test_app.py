"""The application factory, settings and health probes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from gunicorn.arbiter import Arbiter
from sqlalchemy import text

import tracker
from tracker import cli, create_app
from tracker.config import ConfigError
from tracker.database import make_engine

ROOT = Path(__file__).resolve().parent.parent


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


@pytest.mark.parametrize(("key", "length"), [("x", 1), (" " * 40, 0)])
def test_production_refuses_a_short_secret_key(tmp_path, monkeypatch, key, length):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError, match=f"SECRET_KEY is {length} characters long"):
        create_app({"ENV_NAME": "production"})


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("REDIS_URL", "localhost:6379", "REDIS_URL must start with redis://"),
        ("TRACKER_SNAPSHOT_STORE", "ftp://x", "Unknown snapshot store 'ftp://x'"),
        ("TRACKER_EMBEDDING_BACKEND", "bogus", "unknown embedding backend 'bogus'"),
        ("TRACKER_PROXY_HOPS", "one", "TRACKER_PROXY_HOPS must be a whole number"),
    ],
)
def test_a_setting_naming_nothing_we_have_is_refused_at_start(
    tmp_path, monkeypatch, variable, value, message
):
    # Each was taken: every capture then failed, matching quietly went lexical, or the
    # proxy setting was dropped.
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=message):
        create_app({"ENV_NAME": "testing", "SECRET_KEY": "k" * 40})


def test_a_redis_socket_serves_the_rate_limits_too(tmp_path, monkeypatch):
    # The limits package names it redis+unix://; unix:// stopped every command.
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("REDIS_URL", "unix:///run/redis/redis.sock")
    from tracker.config import load_settings

    settings = load_settings({"ENV_NAME": "testing", "SECRET_KEY": "k" * 40}, tmp_path)
    assert settings["RATELIMIT_STORAGE_URI"] == "redis+unix:///run/redis/redis.sock"


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


def test_postgresql_plans_every_statement_for_its_own_values():
    # A search's prepared statement planned "in general" scans every match of a common
    # word (database._configure_postgresql).
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set")
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
    finally:
        engine.dispose()


def test_templates_are_found_from_the_checkout(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert b"<h1>Sign in</h1>" in response.data


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert b"Not Found" in response.data
    assert b"There is nothing at this address." in response.data


def test_an_unknown_record_is_not_found_not_refused(client, login_as):
    # A NotFound raised by the services was headed "Request refused".
    from tracker.models import Role

    login_as(Role.ANALYST)
    response = client.get("/desk/claims/999999")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>Not found</h1>" in page and "Request refused" not in page


def test_a_forbidden_page_says_so_in_plain_words(client, login_as):
    from tracker.models import Role

    login_as(Role.ANALYST)
    response = client.get("/desk/audit")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "read-protected" not in page


@pytest.mark.parametrize("setting", ["TEMPLATE_FOLDER", "MIGRATIONS_FOLDER"])
def test_a_missing_templates_or_migrations_folder_is_one_clear_error(
    setting, tmp_path, monkeypatch
):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setattr(tracker, setting, tmp_path / "not-here")
    with pytest.raises(ConfigError, match="runs from a checkout") as refused:
        create_app({"ENV_NAME": "testing"})
    assert str(tmp_path / "not-here") in str(refused.value)
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("url", ["notaurl", "mysql://someone@127.0.0.1/tracker"])
def test_a_database_url_that_cannot_be_used_is_a_config_error(url, tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigError, match="DATABASE_URL cannot be used"):
        create_app({"ENV_NAME": "testing", "DATABASE_URL": url})


def test_wsgi_without_secret_key_prints_the_message_without_a_traceback(tmp_path):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"SECRET_KEY", "TRACKER_ENV", "DATABASE_URL"}
    }
    environment["TRACKER_INSTANCE_PATH"] = str(tmp_path)
    started = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # gunicorn stops (instead of booting worker after worker) on this exit status.
    assert started.returncode == Arbiter.APP_LOAD_ERROR
    assert started.stderr.startswith("Disinfo Tracker cannot start: SECRET_KEY is not set.")
    assert "export SECRET_KEY=" in started.stderr
    assert "Traceback" not in started.stderr


@pytest.fixture
def served(monkeypatch):
    """Replaces gunicorn: records the app each worker would build."""
    apps = []
    monkeypatch.setattr("tracker.server.serve", lambda factory, **_: apps.append(factory()))
    return apps


def tracker_command(tmp_path, *args, **environment):
    environment = {
        "TRACKER_INSTANCE_PATH": str(tmp_path),
        "TRACKER_ENV": None,
        "DATABASE_URL": None,
        **environment,
    }
    return CliRunner().invoke(cli.tracker_group(), list(args), env=environment)


def test_serve_runs_in_production_mode_by_default(tmp_path, served):
    key = "a-long-enough-key-from-the-environment-0123"
    result = tracker_command(tmp_path, "serve", SECRET_KEY=key)
    assert result.exit_code == 0, result.output
    [app] = served
    assert app.config["ENV_NAME"] == "production"
    assert app.config["SESSION_COOKIE_SECURE"]
    assert app.config["SECRET_KEY"] == key


def test_serve_without_secret_key_refuses_with_how_to_set_it(tmp_path, served):
    result = tracker_command(tmp_path, "serve", SECRET_KEY=None)
    assert result.exit_code == 1
    assert result.output.startswith("Error: SECRET_KEY is not set.")
    assert "export SECRET_KEY=" in result.output
    assert served == []


def test_serve_follows_tracker_env_when_it_is_set(tmp_path, served):
    result = tracker_command(tmp_path, "serve", SECRET_KEY=None, TRACKER_ENV="development")
    assert result.exit_code == 0, result.output
    assert served[0].config["ENV_NAME"] == "development"


def test_the_site_has_an_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response.headers["Location"])
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"
    icon.close()
    assert b'rel="icon"' in client.get("/").data


def test_debug_mode_is_refused_in_production(tmp_path):
    # `tracker run --debug` served the Werkzeug debugger, which runs any code it is sent.
    key = "a-long-enough-key-from-the-environment-0123"
    result = tracker_command(
        tmp_path, "routes", SECRET_KEY=key, TRACKER_ENV="production", FLASK_DEBUG="1"
    )
    assert result.exit_code == 1
    assert "Debug mode (--debug or FLASK_DEBUG) is refused in production" in result.output


def test_serve_needs_a_worker(tmp_path, served):
    result = tracker_command(tmp_path, "serve", "--workers", "0", SECRET_KEY="k" * 40)
    assert result.exit_code == 2 and "0 is not in the range x>=1" in result.output
    assert served == []  # gunicorn said "Listening" and then hung


def test_a_worker_without_redis_to_reach_says_so_in_one_line(tmp_path):
    result = tracker_command(
        tmp_path, "worker", "--burst", REDIS_URL="redis://127.0.0.1:9/0", TRACKER_ENV="testing"
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: Redis at REDIS_URL cannot be reached:")


def test_init_on_a_database_a_newer_version_migrated_says_so(tmp_path):
    url = f"sqlite:///{tmp_path / 'newer.sqlite3'}"
    assert tracker_command(tmp_path, "init", DATABASE_URL=url).exit_code == 0
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099_future'"))
    engine.dispose()
    result = tracker_command(tmp_path, "init", DATABASE_URL=url)
    assert result.exit_code == 1
    assert "schema revision '0099_future', which this version" in result.output


def test_a_readiness_probe_logs_an_unreachable_redis_in_one_line(tmp_path, caplog):
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SECRET_KEY": "k" * 40,
            "REDIS_URL": "redis://127.0.0.1:9/0",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        }
    )
    app.test_client().get("/readyz")
    [record] = [r for r in caplog.records if "redis check failed" in r.getMessage()]
    assert record.exc_info is None and "ConnectionError" in record.getMessage()


def test_an_instance_folder_that_cannot_be_written_is_one_line(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    result = tracker_command(blocked / "instance", "routes", SECRET_KEY=None)
    assert result.exit_code == 1
    assert result.output.startswith("Error: The secret key cannot be kept in")


def test_an_instance_folder_made_by_the_app_is_its_owners_only(tmp_path, monkeypatch):
    # The SQLite database, import reports and backups go in it; they were world-readable.
    folder = tmp_path / "instance"
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(folder))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    create_app({"ENV_NAME": "development"})
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "secret_key").stat().st_mode & 0o777 == 0o600
