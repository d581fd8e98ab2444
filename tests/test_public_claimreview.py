"""ClaimReview JSON-LD on claim pages and the DataFeed, read back with a JSON-LD processor."""

from __future__ import annotations

import json
import re

import pytest
from pyld import jsonld

from tests.public_support import build_world

SCHEMA = "http://schema.org/"
LOCAL_CONTEXT = {
    "@context": {
        "@vocab": SCHEMA,
        "schema": SCHEMA,
        "url": {"@id": "schema:url", "@type": "@id"},
    }
}
JSONLD_BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def _offline_loader(url, options=None):
    # The real schema.org context is not fetched: tests run offline.
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": LOCAL_CONTEXT}
    raise AssertionError(f"pyld tried to load {url}")


@pytest.fixture
def world(db):
    return build_world(db)


def _blocks(client, path: str) -> list[dict]:
    page = client.get(path).get_data(as_text=True)
    return [json.loads(block) for block in JSONLD_BLOCK.findall(page)]


def _expanded_review(client, path: str) -> dict:
    (block,) = _blocks(client, path)
    (node,) = jsonld.expand(block, {"documentLoader": _offline_loader})
    return node


def _value(node: dict, name: str):
    (item,) = node[f"{SCHEMA}{name}"]
    return item.get("@value", item.get("@id", item))


def test_claim_page_has_exactly_one_claimreview(client, world):
    blocks = _blocks(client, f"/claims/{world.en}")
    assert len(blocks) == 1
    assert blocks[0]["@type"] == "ClaimReview"


def test_claimreview_has_the_required_and_recommended_properties(client, world):
    node = _expanded_review(client, f"/claims/{world.en}")
    assert node["@type"] == [f"{SCHEMA}ClaimReview"]
    assert _value(node, "claimReviewed").startswith("Russia has recruited")
    assert _value(node, "url") == f"http://localhost/claims/{world.en}"
    assert _value(node, "datePublished") == "2024-06-14"
    author = _value(node, "author")
    assert author["@type"] == [f"{SCHEMA}Organization"]
    rating = _value(node, "reviewRating")
    assert _value(rating, "alternateName") == "False"
    assert _value(rating, "ratingValue") == 1
    assert _value(rating, "bestRating") == 5
    assert _value(rating, "worstRating") == 1


def test_item_reviewed_is_a_claim_with_author_date_and_appearances(client, world):
    node = _expanded_review(client, f"/claims/{world.en}")
    item = _value(node, "itemReviewed")
    assert item["@type"] == [f"{SCHEMA}Claim"]
    assert _value(_value(item, "author"), "name") == "Zarya Test TV"
    assert _value(item, "datePublished") == "2024-06-01"
    first = _value(item, "firstAppearance")
    assert _value(first, "url") == "https://zarya-test.example/news/1"
    (other,) = item[f"{SCHEMA}appearance"]
    assert _value(other, "url") == "https://t.me/zarya_test/2"


def test_unproven_verdict_has_a_name_and_no_number(client, world):
    node = _expanded_review(client, f"/claims/{world.updated}")
    rating = _value(node, "reviewRating")
    assert _value(rating, "alternateName") == "Unproven"
    assert f"{SCHEMA}ratingValue" not in rating


def test_updated_claim_carries_date_modified(client, world):
    (block,) = _blocks(client, f"/claims/{world.updated}")
    assert block["dateModified"] == "2024-06-19"


def test_datafeed_is_modified_when_the_record_changes_not_when_it_is_read(client, db, world):
    from datetime import UTC, datetime

    from tracker.models import Claim

    claim = db.get(Claim, world.ru)
    claim.updated_at = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)  # the newest change
    db.commit()
    for _ in range(2):
        response = client.get("/claimreview.json")
        assert json.loads(response.data)["dateModified"] == "2030-01-02T03:04:05+00:00"
        response.close()


def test_retracted_claim_has_no_claimreview(client, world):
    assert _blocks(client, f"/claims/{world.retracted}") == []


def test_datafeed_lists_every_published_review_and_expands(client, world):
    response = client.get("/claimreview.json")
    feed = json.loads(response.data)
    response.close()
    assert feed["@type"] == "DataFeed"
    urls = sorted(item["item"][0]["url"] for item in feed["dataFeedElement"])
    published = [world.en, world.ru, world.uk, world.de, world.updated]
    assert urls == sorted(f"http://localhost/claims/{i}" for i in published)
    (node,) = jsonld.expand(feed, {"documentLoader": _offline_loader})
    assert node["@type"] == [f"{SCHEMA}DataFeed"]
