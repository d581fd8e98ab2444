"""Writing ClaimReview and DataFeed, and reading them back."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime

import pytest
from pyld import jsonld

from tracker.interop.claimreview_in import ParsedReview, parse_claimreview, read_claimreviews
from tracker.interop.claimreview_out import (
    AppearanceRef,
    Organisation,
    ReviewedClaim,
    build_claimreview,
    build_datafeed,
    write_datafeed,
)
from tracker.interop.scale import VERDICT_NUMBERS

SCHEMA = "http://schema.org/"
# A local stand-in for https://schema.org's context: the vocabulary plus the IRI-valued
# properties we emit, typed as @id as in the real context. pyld must never fetch it.
LOCAL_CONTEXT = {
    "@context": {
        "@vocab": SCHEMA,
        "schema": SCHEMA,
        "url": {"@id": "schema:url", "@type": "@id"},
        "sameAs": {"@id": "schema:sameAs", "@type": "@id"},
    }
}


def _offline_loader(url, options=None):
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": LOCAL_CONTEXT}
    raise AssertionError(f"pyld tried to load {url}")


def _claim(verdict: str = "false", **changes: object) -> ReviewedClaim:
    values: dict[str, object] = {
        "claim_text": "Explosions in Vinnytsia were organised by Ukrainian soldiers",
        "verdict": verdict,
        "review_url": "https://tracker.example.org/claims/12",
        "date_published": date(2024, 5, 1),
        "date_modified": date(2024, 5, 3),
        "publisher": Organisation(
            "Disinfo Tracker", "https://tracker.example.org/", "https://tracker.example.org/l.png"
        ),
        "claim_language": "ru",
        "review_language": "en",
        "claimant": Organisation("TV Zvezda", "https://tvzvezda.ru/"),
        "claim_date": date(2017, 10, 3),
        "first_appearance": AppearanceRef("https://tvzvezda.ru/news/1", date(2017, 10, 3)),
        "appearances": (
            AppearanceRef("https://tvzvezda.ru/news/1", date(2017, 10, 3)),
            AppearanceRef("https://t.me/zvezda/55", date(2017, 10, 4)),
        ),
        "rationale_summary": "The SBU suspected sabotage; no evidence points to soldiers.",
        "headline": "No, Ukrainian soldiers did not blow up the Vinnytsia depot",
        "authors": ("A. Analyst",),
    }
    values.update(changes)
    return ReviewedClaim(**values)  # type: ignore[arg-type]


def _parsed(claim: ReviewedClaim) -> ParsedReview:
    result = parse_claimreview(build_claimreview(claim))
    assert isinstance(result, ParsedReview)
    return result


def test_numbered_verdict_carries_our_scale():
    rating = build_claimreview(_claim("misleading"))["reviewRating"]
    assert {k: rating[k] for k in ("ratingValue", "bestRating", "worstRating")} == {
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert rating["alternateName"] == "Misleading"


@pytest.mark.parametrize("verdict", ["unproven", "satire"])
def test_unnumbered_verdict_has_only_its_name(verdict):
    rating = build_claimreview(_claim(verdict))["reviewRating"]
    assert "ratingValue" not in rating and "bestRating" not in rating
    assert rating["alternateName"] == verdict.capitalize()


def test_item_reviewed_is_a_claim_with_appearances():
    item = build_claimreview(_claim())["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["firstAppearance"]["url"] == "https://tvzvezda.ru/news/1"
    assert [a["url"] for a in item["appearance"]] == ["https://t.me/zvezda/55"]


def test_unknown_verdict_is_refused():
    with pytest.raises(ValueError, match="unknown verdict 'pants_on_fire'"):
        _claim("pants_on_fire")


@pytest.mark.parametrize("verdict", sorted(VERDICT_NUMBERS))
def test_round_trip_keeps_the_verdict(verdict):
    parsed = _parsed(_claim(verdict))
    assert parsed.mapping.rating == verdict
    assert parsed.rating.value == VERDICT_NUMBERS[verdict]


def test_round_trip_keeps_every_field():
    claim = _claim()
    parsed = _parsed(claim)
    assert parsed.url == claim.review_url
    assert (parsed.publisher.name, parsed.publisher.url) == (
        claim.publisher.name,
        claim.publisher.url,
    )
    assert parsed.authors == ("Disinfo Tracker", "A. Analyst")
    assert (parsed.date_published, parsed.date_modified) == (date(2024, 5, 1), date(2024, 5, 3))
    assert (parsed.language, parsed.language_source) == ("en", "inLanguage")
    assert parsed.claim_reviewed == claim.claim_text
    assert parsed.headline == claim.headline
    assert parsed.rating.explanation == claim.rationale_summary
    assert parsed.claim.claimant.name == "TV Zvezda"
    assert parsed.claim.claimant.url == "https://tvzvezda.ru/"
    assert (parsed.claim.date, parsed.claim.language) == (date(2017, 10, 3), "ru")
    assert parsed.claim.first_appearance == "https://tvzvezda.ru/news/1"
    assert parsed.claim.appearances == ("https://tvzvezda.ru/news/1", "https://t.me/zvezda/55")
    assert parsed.warnings == ()


def test_minimal_claim_round_trips_without_warnings():
    claim = ReviewedClaim(
        claim_text="Short claim",
        verdict="accurate",
        review_url="https://tracker.example.org/claims/1",
        date_published=date(2024, 1, 1),
        publisher=Organisation("Disinfo Tracker"),
        review_language="en",
    )
    parsed = _parsed(claim)
    assert parsed.mapping.rating == "accurate"
    assert parsed.warnings == ()


def test_datafeed_wraps_one_item_per_review():
    feed = build_datafeed(
        [_claim(), _claim("satire")], date_modified=datetime(2024, 5, 4, tzinfo=UTC)
    )
    assert feed["@type"] == "DataFeed"
    assert [e["item"][0]["reviewRating"]["alternateName"] for e in feed["dataFeedElement"]] == [
        "False",
        "Satire",
    ]


def test_streamed_datafeed_is_the_same_json():
    claims = [_claim(), _claim("unproven")]
    stream = io.StringIO()
    count = write_datafeed(stream, iter(claims), date_modified=datetime(2024, 5, 4, tzinfo=UTC))
    expected = build_datafeed(claims, date_modified=datetime(2024, 5, 4, tzinfo=UTC))
    assert (count, json.loads(stream.getvalue())) == (2, expected)


def test_datafeed_reads_back(tmp_path):
    path = tmp_path / "feed.json"
    with path.open("w", encoding="utf-8") as stream:
        write_datafeed(stream, [_claim(), _claim("misleading", review_url="https://t.example/2")])
    ratings = [r.mapping.rating for r in read_claimreviews(path)]  # type: ignore[union-attr]
    assert ratings == ["false", "misleading"]


def test_jsonld_expands_to_schema_org_iris():
    expanded = jsonld.expand(build_claimreview(_claim()), {"documentLoader": _offline_loader})
    (node,) = expanded
    assert node["@type"] == [f"{SCHEMA}ClaimReview"]
    assert node[f"{SCHEMA}url"] == [{"@id": "https://tracker.example.org/claims/12"}]
    (rating,) = node[f"{SCHEMA}reviewRating"]
    assert rating["@type"] == [f"{SCHEMA}Rating"]
    assert rating[f"{SCHEMA}ratingValue"] == [{"@value": 1}]
    (item,) = node[f"{SCHEMA}itemReviewed"]
    assert item["@type"] == [f"{SCHEMA}Claim"]
    (first,) = item[f"{SCHEMA}firstAppearance"]
    assert first[f"{SCHEMA}url"] == [{"@id": "https://tvzvezda.ru/news/1"}]


def test_jsonld_feed_expands_without_network():
    feed = build_datafeed([_claim()])
    (node,) = jsonld.expand(feed, {"documentLoader": _offline_loader})
    assert node["@type"] == [f"{SCHEMA}DataFeed"]
    (element,) = node[f"{SCHEMA}dataFeedElement"]
    (item,) = element[f"{SCHEMA}item"]
    assert item["@type"] == [f"{SCHEMA}ClaimReview"]
