"""The "four eyes" rule as a setting: TRACKER_FOUR_EYES, read into app.config["FOUR_EYES"],
and the desk's publish step following it."""

from __future__ import annotations

import pytest

from tests.factories import make_claim, make_user
from tracker.config import ConfigError, load_settings
from tracker.models import ClaimStatus, Rating, Role


@pytest.mark.parametrize(("value", "expected"), [("off", False), ("0", False), ("on", True)])
def test_the_environment_switches_four_eyes(monkeypatch, tmp_path, value, expected):
    monkeypatch.setenv("TRACKER_FOUR_EYES", value)
    assert load_settings({"ENV_NAME": "testing"}, tmp_path)["FOUR_EYES"] is expected


def test_four_eyes_is_on_unless_switched_off(monkeypatch, tmp_path):
    monkeypatch.delenv("TRACKER_FOUR_EYES", raising=False)
    assert load_settings({"ENV_NAME": "testing"}, tmp_path)["FOUR_EYES"] is True


def test_a_misspelt_value_is_refused_not_read_as_off(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACKER_FOUR_EYES", "of")
    with pytest.raises(ConfigError, match="TRACKER_FOUR_EYES must be on or off"):
        load_settings({"ENV_NAME": "testing"}, tmp_path)


def _own_claim_in_review(db, login_as):
    editor = login_as(Role.EDITOR)
    make_user(db, Role.EDITOR)  # another editor who could publish it
    claim = make_claim(
        db, status=ClaimStatus.IN_REVIEW, rating=Rating.FALSE, rationale="Because.", author=editor
    )
    db.commit()
    return claim


def test_with_four_eyes_an_editor_cannot_publish_their_own_claim(app, client, db, login_as):
    claim = _own_claim_in_review(db, login_as)
    assert app.config["FOUR_EYES"] is True
    client.post(f"/desk/claims/{claim.id}/workflow", data={"action": "publish"})
    db.refresh(claim)
    assert claim.status == ClaimStatus.IN_REVIEW


def test_with_four_eyes_off_an_editor_publishes_their_own_claim(app, client, db, login_as):
    claim = _own_claim_in_review(db, login_as)
    app.config["FOUR_EYES"] = False
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert 'name="action" value="publish"' in page
    client.post(f"/desk/claims/{claim.id}/workflow", data={"action": "publish"})
    db.refresh(claim)
    assert claim.status == ClaimStatus.PUBLISHED
