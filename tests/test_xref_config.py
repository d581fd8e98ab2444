"""Cross-referencing settings from the environment (TRACKER_XREF_*) change what the engine does."""

from __future__ import annotations

import pytest

from tests.xref_app_support import DEBUNK_STATEMENT, RUSSIAN_CLAIM, engine_with_vectors, seed
from tracker.config import XREF_LONG_STRATEGIES, ConfigError, environment_settings, xref_settings
from tracker.xref.engine import XrefEngine, settings_from_config
from tracker.xref.semantic import LONG_STRATEGIES


def test_xref_variables_become_typed_settings():
    found = xref_settings(
        {
            "TRACKER_XREF_MIN_SCORE": "0.35",
            "TRACKER_XREF_CANDIDATES": "80",
            "TRACKER_XREF_CENTER_LONG": "off",
            "TRACKER_XREF_LONG_STRATEGY": "max",
            "OTHER": "ignored",
        }
    )
    assert found == {
        "XREF_MIN_SCORE": 0.35,
        "XREF_CANDIDATES": 80,
        "XREF_CENTER_LONG": False,
        "XREF_LONG_STRATEGY": "max",
    }


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("TRACKER_XREF_MIN_SCOR", "0.3", "is not a setting"),
        ("TRACKER_XREF_MIN_SCORE", "high", "must be a number"),
        ("TRACKER_XREF_CANDIDATES", "0", "must be at least 1"),
        ("TRACKER_XREF_CENTER_SHORT", "maybe", "must be on or off"),
        ("TRACKER_XREF_LONG_STRATEGY", "best", "must be one of"),
    ],
)
def test_a_bad_xref_variable_is_refused_with_the_reason(variable, value, message):
    with pytest.raises(ConfigError, match=message):
        xref_settings({variable: value})


def test_the_strategies_the_config_accepts_are_the_engines():
    assert XREF_LONG_STRATEGIES == LONG_STRATEGIES


def test_semantic_settings_reach_the_engine():
    settings = settings_from_config(
        {"XREF_LONG_STRATEGY": "max_whole", "XREF_CENTER_SHORT": False, "XREF_MAX_CHARS": 300}
    )
    assert settings.semantic.long_strategy == "max_whole"
    assert settings.semantic.center_short is False
    assert settings.max_chars == 300


def test_the_minimum_score_from_the_environment_hides_weak_matches(db, monkeypatch):
    records = seed(db)
    engine_with_vectors(db)
    db.commit()
    default = XrefEngine.from_config({"XREF_REFRESH_SECONDS": 0})
    assert default.match(db, DEBUNK_STATEMENT, "en", kinds=("article",)).matches
    monkeypatch.setenv("TRACKER_XREF_MIN_SCORE", "1.5")
    strict = XrefEngine.from_config({**environment_settings(), "XREF_REFRESH_SECONDS": 0})
    assert strict.match(db, DEBUNK_STATEMENT, "en", kinds=("article",)).matches == []
    assert records["debunk"].id  # the debunk is there; only the threshold hid it


def test_the_figure_tolerance_from_the_environment_changes_the_relation(db, monkeypatch):
    seed(db)
    engine_with_vectors(db)
    db.commit()
    [found] = XrefEngine.from_config({"XREF_REFRESH_SECONDS": 0}).figures(db, RUSSIAN_CLAIM, "ru")
    assert found.check.comparison.relation == "overstates"
    # "More than 1,500" read as up to 100x more reaches "tens of thousands".
    monkeypatch.setenv("TRACKER_XREF_TOLERANCE_MORE_THAN_FACTOR", "100")
    lenient = XrefEngine.from_config({**environment_settings(), "XREF_REFRESH_SECONDS": 0})
    [found] = lenient.figures(db, RUSSIAN_CLAIM, "ru")
    assert found.check.comparison.relation == "consistent"
