"""The public aggregate cache: kept between requests, dropped as soon as the record changes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from tests.factories import make_user
from tests.public_support import build_world
from tracker.audit import Actor
from tracker.models import Claim, Rating, Role
from tracker.services import workflow
from tracker.services.workflow import Action


@pytest.fixture
def caching_app(app):
    """The app with the cache on, as in production (tests otherwise run without it)."""
    app.config["PUBLIC_CACHE_SECONDS"] = 60
    app.testing = False
    yield app
    app.testing = True


def _outlet_counts(client, outlet_id: int) -> dict[str, int]:
    """The outlet page's "Claims by verdict" (the API's counts are never kept)."""
    page = client.get(f"/outlets/{outlet_id}").get_data(as_text=True)
    found = re.findall(r"<li>(?:<a [^>]*>)?(\w[\w ]*): (\d+)(?:</a>)?</li>", page)
    return {label: int(count) for label, count in found}


def test_a_retraction_shows_on_the_outlet_page_at_once(caching_app, client, db):
    world = build_world(db)
    db.commit()
    assert _outlet_counts(client, world.outlet) == {"False": 2, "Retracted": 1}

    editor = make_user(db, Role.EDITOR)
    claim = db.get(Claim, world.en)
    workflow.apply(
        db, claim, Action.RETRACT, by=Actor(editor), note="The count was misread.", four_eyes=False
    )
    db.commit()

    assert _outlet_counts(client, world.outlet) == {"False": 1, "Retracted": 2}
    api = client.get(f"/api/v1/outlets/{world.outlet}").get_json()
    assert api["claims_by_verdict"] == {"false": 1, "retracted": 2}


def test_the_cache_holds_while_nothing_is_audited(caching_app, client, db):
    # A change that bypasses the services (and so leaves no audit event) is not seen until
    # the entry expires: this is what shows that the counts above came from a kept value.
    world = build_world(db)
    db.commit()
    assert _outlet_counts(client, world.outlet) == {"False": 2, "Retracted": 1}
    db.execute(update(Claim).where(Claim.id == world.en).values(rating=Rating.MISLEADING))
    db.commit()
    assert _outlet_counts(client, world.outlet) == {"False": 2, "Retracted": 1}
    caching_app.config["PUBLIC_CACHE_SECONDS"] = 0
    assert _outlet_counts(client, world.outlet) == {"False": 1, "Misleading": 1, "Retracted": 1}


def test_a_kept_outlet_list_serves_the_next_page(caching_app, client, db):
    # The list is kept between requests, beyond the session that read it: page 2 reads the
    # handles of outlets page 1 did not show.
    build_world(db)
    db.commit()
    first = client.get("/api/v1/outlets?limit=1").get_json()
    assert first["next"]
    second = client.get(first["next"])
    assert second.status_code == 200, second.get_data(as_text=True)
    names = {item["name"] for item in first["items"] + second.get_json()["items"]}
    assert len(names) == 2
    assert all("handles" in item for item in second.get_json()["items"])
