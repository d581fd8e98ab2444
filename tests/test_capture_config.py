"""The capture settings from the environment: the test-only switch stays test-only."""

from __future__ import annotations

import pytest

from tracker import create_app
from tracker.config import ConfigError


@pytest.fixture
def environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("TRACKER_ENV", raising=False)
    monkeypatch.setenv("SECRET_KEY", "a-secret-key-for-this-test-only-0123456789")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'tracker.sqlite3'}")
    return monkeypatch


def test_the_private_switch_reaches_the_config_in_tests(environment):
    environment.setenv("TRACKER_CAPTURE_ALLOW_PRIVATE", "1")
    assert create_app({"ENV_NAME": "testing"}).config["CAPTURE_ALLOW_PRIVATE"] is True


def test_the_private_switch_is_off_unless_set(environment):
    environment.delenv("TRACKER_CAPTURE_ALLOW_PRIVATE", raising=False)
    assert create_app({"ENV_NAME": "testing"}).config["CAPTURE_ALLOW_PRIVATE"] is False


def test_the_private_switch_refuses_to_start_production(environment):
    environment.setenv("TRACKER_CAPTURE_ALLOW_PRIVATE", "true")
    with pytest.raises(ConfigError, match="tests and development only"):
        create_app({"ENV_NAME": "production"})


def test_the_private_switch_set_to_0_is_fine_in_production(environment):
    environment.setenv("TRACKER_CAPTURE_ALLOW_PRIVATE", "0")
    assert create_app({"ENV_NAME": "production"}).config["CAPTURE_ALLOW_PRIVATE"] is False


def test_the_inline_capture_budget_comes_from_the_environment(environment):
    environment.setenv("TRACKER_CAPTURE_INLINE_BUDGET_SECONDS", "2.5")
    assert create_app({"ENV_NAME": "testing"}).config["CAPTURE_INLINE_BUDGET_SECONDS"] == 2.5


def test_an_inline_capture_budget_that_is_not_a_number_is_refused(environment):
    environment.setenv("TRACKER_CAPTURE_INLINE_BUDGET_SECONDS", "soon")
    with pytest.raises(ConfigError, match="number of seconds"):
        create_app({"ENV_NAME": "testing"})
