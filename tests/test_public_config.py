"""Public-site settings: the public base URL of absolute links, and the aggregate cache."""

from __future__ import annotations

import pytest

from tests.public_support import build_world
from tracker.config import ConfigError, load_settings

BASE = "https://tracker.example.org"
HOSTILE = {"Host": "attacker.invalid"}


@pytest.fixture
def world(db):
    return build_world(db)


def _settings(tmp_path, monkeypatch, **env: str) -> dict[str, object]:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings({"ENV_NAME": "testing", "SECRET_KEY": "x"}, tmp_path)


def test_public_base_url_is_read_from_the_environment(tmp_path, monkeypatch):
    settings = _settings(tmp_path, monkeypatch, TRACKER_PUBLIC_BASE_URL=BASE + "/")
    assert settings["PUBLIC_BASE_URL"] == BASE


@pytest.mark.parametrize("value", ["tracker.example.org", "ftp://x.org", f"{BASE}/?a=1"])
def test_a_public_base_url_that_is_not_an_address_is_refused(tmp_path, monkeypatch, value):
    with pytest.raises(ConfigError, match="TRACKER_PUBLIC_BASE_URL"):
        _settings(tmp_path, monkeypatch, TRACKER_PUBLIC_BASE_URL=value)


def test_every_absolute_url_names_the_configured_site_whatever_the_host_header(app, client, world):
    app.config["PUBLIC_BASE_URL"] = BASE
    paths = [
        f"/claims/{world.en}",
        "/",
        f"/outlets/{world.outlet}",
        f"/narratives/{world.narrative}",
        f"/articles/{world.article}",
        f"/figures/{world.figure}",
        "/outlets/",
        "/feeds/claims.atom",
        "/claimreview.json",
        "/exports/claims.jsonl",
        "/api/v1/claims?limit=1",
        "/api/v1/search?q=Moscow&limit=1",
        f"/api/v1/claims/{world.en}",
        "/api/v1/outlets?limit=1",
        "/api/openapi.json",
    ]
    leaked = {}
    for path in paths:
        response = client.get(path, headers=HOSTILE)
        body = response.get_data(as_text=True)
        response.close()
        assert response.status_code == 200, path
        if "attacker.invalid" in body or BASE not in body:
            leaked[path] = body[:300]
    assert leaked == {}


def test_claim_page_canonical_and_claimreview_use_the_configured_site(app, client, world):
    app.config["PUBLIC_BASE_URL"] = BASE
    page = client.get(f"/claims/{world.en}", headers=HOSTILE).get_data(as_text=True)
    assert f'<link rel="canonical" href="{BASE}/claims/{world.en}">' in page
    assert f'"url": "{BASE}/claims/{world.en}"' in page
    assert f'"url": "{BASE}/"' in page  # the ClaimReview author


def test_without_a_public_base_url_links_follow_the_request(client, world):
    page = client.get(f"/claims/{world.en}").get_data(as_text=True)
    assert f'<link rel="canonical" href="http://localhost/claims/{world.en}">' in page


@pytest.mark.parametrize("name", ["PUBLIC_CACHE_SECONDS", "TRACKER_PUBLIC_CACHE_SECONDS"])
def test_public_cache_seconds_are_read_from_the_environment(tmp_path, monkeypatch, name):
    assert _settings(tmp_path, monkeypatch, **{name: "0"})["PUBLIC_CACHE_SECONDS"] == 0


def test_the_tracker_name_of_the_cache_setting_wins(tmp_path, monkeypatch):
    settings = _settings(
        tmp_path, monkeypatch, PUBLIC_CACHE_SECONDS="5", TRACKER_PUBLIC_CACHE_SECONDS="7"
    )
    assert settings["PUBLIC_CACHE_SECONDS"] == 7


def test_a_cache_time_that_is_not_a_number_is_refused(tmp_path, monkeypatch):
    with pytest.raises(ConfigError, match="PUBLIC_CACHE_SECONDS"):
        _settings(tmp_path, monkeypatch, TRACKER_PUBLIC_CACHE_SECONDS="a minute")


def test_search_results_are_kept_for_the_configured_time(app, client, db, world):
    from tests.factories import make_claim
    from tracker.models import ClaimStatus, Rating
    from tracker.services.indexing import reindex_claims

    app.config.update(TESTING=False, PUBLIC_CACHE_SECONDS=60)  # tests otherwise skip it
    assert client.get("/api/v1/search?q=Heizung").get_json()["total"] == 1
    claim = make_claim(
        db, "Heizung wird teurer", language="de", status=ClaimStatus.PUBLISHED, rating=Rating.FALSE
    )
    claim.published_at = claim.created_at
    reindex_claims(db, [claim.id])
    db.commit()
    assert client.get("/api/v1/search?q=Heizung").get_json()["total"] == 1
    app.config["PUBLIC_CACHE_SECONDS"] = 0
    assert client.get("/api/v1/search?q=Heizung").get_json()["total"] == 2


def test_the_write_api_names_the_configured_site_in_its_links(app, client, db):
    from tests.factories import make_user
    from tracker.audit import Actor
    from tracker.models import Role
    from tracker.services import tokens

    app.config["PUBLIC_BASE_URL"] = BASE
    user = make_user(db, Role.ANALYST)
    _record, token = tokens.create_token(db, user, "test", "write", by=Actor(user))
    db.commit()
    headers = {**HOSTILE, "Authorization": f"Bearer {token}"}
    body = {"text": "Kyiv is about to fall.", "language": "en"}
    response = client.post("/api/v1/claims", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    assert response.headers["Location"] == f"{BASE}/api/v1/claims/{response.get_json()['id']}"
    assert "attacker.invalid" not in response.get_data(as_text=True)
