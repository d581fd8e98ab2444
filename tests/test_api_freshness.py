"""Last-Modified of the API's detail endpoints covers everything the response shows: a client
sending only If-Modified-Since must not be told "304 Not Modified" after a change."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.factories import make_claim
from tests.public_support import build_world
from tracker.models import (
    Appearance,
    Article,
    ClaimLink,
    ClaimStatus,
    Figure,
    LinkStatus,
    Outlet,
    Rating,
)
from tracker.models.base import utcnow


@pytest.fixture
def world(db):
    return build_world(db)


def _later():  # type: ignore[no-untyped-def]
    # Last-Modified has whole seconds: a change in the same second could not be told apart.
    return utcnow() + timedelta(seconds=3)


def _rename_outlet(db, world):  # type: ignore[no-untyped-def]
    outlet = db.get(Outlet, world.outlet)
    outlet.name, outlet.updated_at = "Renamed Test TV", _later()


def _confirm_related_claim(db, world):  # type: ignore[no-untyped-def]
    link = db.scalars(
        select(ClaimLink).where(
            ClaimLink.claim_id == world.en, ClaimLink.other_claim_id == world.uk
        )
    ).one()
    link.status, link.decided_at = LinkStatus.CONFIRMED, _later()


def _retitle_article(db, world):  # type: ignore[no-untyped-def]
    article = db.get(Article, world.article)
    article.title, article.updated_at = "A new title", _later()


def _change_figure(db, world):  # type: ignore[no-untyped-def]
    figure = db.get(Figure, world.figure)
    figure.place, figure.updated_at = "Moscow region", _later()


def _add_appearance(db, world):  # type: ignore[no-untyped-def]
    db.add(
        Appearance(
            claim_id=world.en,
            url="https://zarya-test.example/news/again",
            outlet_id=world.other_outlet,
            appeared_on=date(2024, 6, 20),
            created_at=_later(),
        )
    )


def _status_since(client, url: str, since: str) -> int:  # type: ignore[no-untyped-def]
    return client.get(url, headers={"If-Modified-Since": since}).status_code


@pytest.mark.parametrize(
    "change",
    [_rename_outlet, _confirm_related_claim, _retitle_article, _change_figure, _add_appearance],
)
def test_claim_detail_is_modified_when_what_it_shows_changes(client, db, world, change):
    url = f"/api/v1/claims/{world.en}"
    last_modified = client.get(url).headers["Last-Modified"]
    change(db, world)
    db.commit()
    assert _status_since(client, url, last_modified) == 200


def test_outlet_detail_is_modified_when_a_claim_of_it_is_published(client, db, world):
    url = f"/api/v1/outlets/{world.other_outlet}"
    last_modified = client.get(url).headers["Last-Modified"]
    outlet = db.get(Outlet, world.other_outlet)
    claim = make_claim(db, "A new claim", outlet=outlet, status=ClaimStatus.PUBLISHED)
    claim.rating, claim.published_at, claim.updated_at = Rating.FALSE, _later(), _later()
    db.commit()
    assert _status_since(client, url, last_modified) == 200


def test_article_detail_is_modified_when_a_linked_claim_changes(client, db, world):
    from tracker.models import Claim

    url = f"/api/v1/articles/{world.article}"
    last_modified = client.get(url).headers["Last-Modified"]
    claim = db.get(Claim, world.en)
    claim.summary_en, claim.updated_at = "A corrected summary.", _later()
    db.commit()
    assert _status_since(client, url, last_modified) == 200


def test_figure_detail_is_modified_when_a_part_changes(client, db, world):
    url = f"/api/v1/figures/{world.figure}"
    last_modified = client.get(url).headers["Last-Modified"]
    part = db.get(Figure, world.figure).parts[0]
    part.value, part.updated_at = 770, _later()
    db.commit()
    assert _status_since(client, url, last_modified) == 200


def test_an_unchanged_claim_still_answers_304_to_if_modified_since(client, world):
    url = f"/api/v1/claims/{world.en}"
    last_modified = client.get(url).headers["Last-Modified"]
    assert _status_since(client, url, last_modified) == 304
