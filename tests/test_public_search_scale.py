"""Common words: more claims match than the index ranks. Totals, page counts, newest first
and exports must still be right (the limits are made small here instead of the record big)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import make_claim
from tracker.models import ClaimStatus, Rating
from tracker.public import candidates
from tracker.services.indexing import reindex_claims

PUBLISHED = datetime(2024, 1, 1, tzinfo=UTC)


def _claims(db, texts: list[str], *, status=ClaimStatus.PUBLISHED, start=date(2024, 1, 1)):  # type: ignore[no-untyped-def]
    """Claims in this order, each first seen a day after the one before."""
    ids = []
    for n, text in enumerate(texts):
        claim = make_claim(
            db,
            text,
            status=status,
            rating=Rating.FALSE,
            published_at=PUBLISHED if status == ClaimStatus.PUBLISHED else None,
            first_seen=start + timedelta(days=n),
        )
        ids.append(claim.id)
    reindex_claims(db, ids)
    db.commit()
    return ids


@pytest.fixture
def convoys(db):
    """Eight public claims about a convoy and two drafts ranked above all of them."""
    drafts = _claims(db, ["convoy convoy convoy convoy"] * 2, status=ClaimStatus.DRAFT)
    public = _claims(db, [f"Report {n} about a convoy near the border" for n in range(8)])
    return public, drafts


def test_total_counts_matches_beyond_the_ranked_ones(client, convoys, monkeypatch):
    # The index ranks three hits: the two drafts and one public claim. Eight claims match.
    monkeypatch.setattr(candidates, "RANK_LIMIT", 3)
    body = client.get("/api/v1/search?q=convoy").get_json()
    assert (body["total"], body["total_capped"]) == (8, False)


def test_total_is_capped_when_more_match_than_are_counted(client, convoys, monkeypatch):
    monkeypatch.setattr(candidates, "RANK_LIMIT", 3)
    monkeypatch.setattr(candidates, "COUNT_CAP", 5)
    body = client.get("/api/v1/search?q=convoy").get_json()
    assert (body["total"], body["total_capped"]) == (5, True)
    page = client.get("/search?q=convoy").get_data(as_text=True)
    assert "5+ claims match" in page
    assert "Counts among the first 1 result." in page


@pytest.fixture
def counted(monkeypatch):
    """The walks of newest matches made, each as whether it was a count (any order)."""
    walks: list[bool] = []
    walk = candidates.newest_matching

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        walks.append(kwargs.get("any_order", False))
        return walk(*args, **kwargs)

    monkeypatch.setattr(candidates, "newest_matching", recording)
    return walks


@pytest.mark.parametrize("q", ["convoy", "convoy border"])
def test_words_surely_in_enough_public_claims_are_not_counted(
    client, convoys, counted, monkeypatch, q
):
    # "convoy" is in ten indexed claims, two of them drafts. "convoy border": the index's own
    # counts give no lower bound for two words (each may be in other claims), but it ranked
    # the eight claims that have both (the drafts lack "border"). Either way at most two
    # indexed claims are not public, so at least eight public ones match: "5+" needs no
    # counting; "9+" would, and then the count is exact.
    monkeypatch.setattr(candidates, "RANK_LIMIT", 3)
    monkeypatch.setattr(candidates, "COUNT_CAP", 5)
    body = client.get("/api/v1/search", query_string={"q": q}).get_json()
    assert (body["total"], body["total_capped"], counted) == (5, True, [])
    monkeypatch.setattr(candidates, "COUNT_CAP", 9)
    body = client.get("/api/v1/search", query_string={"q": q}).get_json()
    assert (body["total"], body["total_capped"], counted) == (8, False, [True])


def test_the_page_says_when_not_every_match_can_be_paged_through(client, convoys, monkeypatch):
    monkeypatch.setattr(candidates, "RANK_LIMIT", 3)
    page = client.get("/search?q=convoy").get_data(as_text=True)
    assert "8 claims match" in page
    assert "Only the first 1 result can be paged through" in page


def test_newest_first_starts_with_the_newest_match_not_the_best_ranked(client, db, monkeypatch):
    # Old claims say "convoy" often and rank first; the newest says it once.
    old = _claims(db, ["convoy convoy convoy convoy"] * 3, start=date(2020, 1, 1))
    new = _claims(db, ["A convoy was seen", "Another convoy report"], start=date(2024, 5, 1))
    monkeypatch.setattr(candidates, "RANK_LIMIT", 2)
    body = client.get("/api/v1/search?q=convoy&sort=newest").get_json()
    assert [item["id"] for item in body["items"]] == [new[1], new[0], *reversed(old)]


def test_newest_first_looks_further_back_for_narrow_filters(client, db, monkeypatch):
    misleading = make_claim(
        db,
        "An old convoy story",
        status=ClaimStatus.PUBLISHED,
        rating=Rating.MISLEADING,
        published_at=PUBLISHED,
        first_seen=date(2019, 1, 1),
    )
    reindex_claims(db, [misleading.id])
    db.commit()
    _claims(db, [f"Convoy {n}" for n in range(4)])
    monkeypatch.setattr(candidates, "NEWEST_SCAN", 2)
    body = client.get("/api/v1/search?q=convoy&sort=newest&verdict=misleading").get_json()
    assert [item["id"] for item in body["items"]] == [misleading.id]


@pytest.mark.parametrize("sort", ["relevance", "newest"])
def test_a_filter_none_of_the_newest_matches_pass_still_finds_the_old_ones(
    client, db, monkeypatch, sort
):
    # Found at a million claims: "media" between 2019 and 2023 showed "No claims found"
    # because the newest matches walked were all from later years.
    old = _claims(db, ["An old convoy story", "Another old convoy"], start=date(2019, 3, 1))
    _claims(db, [f"Convoy {n} convoy convoy" for n in range(6)], start=date(2024, 6, 1))
    monkeypatch.setattr(candidates, "FILTERED_RANK_LIMIT", 3)
    monkeypatch.setattr(candidates, "NEWEST_SCAN", 2)
    monkeypatch.setattr(candidates, "FILTER_SCAN", 3)
    body = client.get(
        f"/api/v1/search?q=convoy&from=2019-01-01&to=2019-12-31&sort={sort}"
    ).get_json()
    assert sorted(item["id"] for item in body["items"]) == sorted(old)


def test_export_of_a_search_has_every_match(client, db, convoys, monkeypatch):
    from tracker.public import exports, searching

    public, _drafts = convoys
    _claims(db, ["Nothing about the subject"])
    # However few matches the index would rank, every match is exported (two at a time).
    ranked = searching.match
    monkeypatch.setattr(searching, "match", lambda *a, **k: ranked(*a, **{**k, "limit": 2}))
    monkeypatch.setattr(exports, "BATCH", 2)
    response = client.get("/exports/claims.csv?q=convoy")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    response.close()
    assert [int(row["id"]) for row in rows] == sorted(public, reverse=True)


def test_export_of_a_search_applies_the_filters(client, db, convoys):
    other = make_claim(
        db,
        "A convoy in another language",
        language="de",
        status=ClaimStatus.PUBLISHED,
        rating=Rating.FALSE,
        published_at=PUBLISHED,
    )
    reindex_claims(db, [other.id])
    db.commit()
    response = client.get("/exports/claims.jsonl?q=convoy&language=de")
    lines = response.get_data(as_text=True).splitlines()
    response.close()
    assert len(lines) == 1 and f'"id": {other.id},' in lines[0]


def test_a_common_word_under_broad_filters_is_looked_for_claim_by_claim_on_postgresql(
    client, db, counted, monkeypatch
):
    # The words are in most claims and the newest matches are outside the date range:
    # PostgreSQL tests the claims in range one by one, newest first, instead of walking the
    # words' newest matches (SQLite's index walks those cheaply at any depth).
    old = _claims(db, ["An old convoy story", "Another old convoy"], start=date(2019, 3, 1))
    _claims(db, [f"Convoy {n} convoy convoy" for n in range(6)], start=date(2024, 6, 1))
    monkeypatch.setattr(candidates, "FILTER_FIRST", 1)  # too many pass to rank just them
    body = client.get("/api/v1/search?q=convoy&from=2019-01-01&to=2019-12-31&sort=newest")
    assert [item["id"] for item in body.get_json()["items"]] == [old[1], old[0]]
    postgresql = db.get_bind().dialect.name == "postgresql"
    assert (counted == []) is postgresql


def test_claims_with_no_first_appearance_come_last_when_walked_claim_by_claim(
    client, db, monkeypatch
):
    dated = _claims(db, ["A convoy at the border", "A convoy in the city"])
    undated = make_claim(
        db, "A convoy nobody dated", status=ClaimStatus.PUBLISHED, rating=Rating.FALSE,
        published_at=PUBLISHED, first_seen=None,
    )  # fmt: skip
    reindex_claims(db, [undated.id])
    db.commit()
    monkeypatch.setattr(candidates, "FILTER_FIRST", 1)
    body = client.get("/api/v1/search?q=convoy&verdict=false&sort=newest").get_json()
    assert [item["id"] for item in body["items"]] == [dated[1], dated[0], undated.id]


def test_testing_claim_by_claim_gives_up_after_its_limit_and_walks_the_matches(
    client, db, counted, monkeypatch
):
    # More claims pass the filters than FILTER_WALK, and the first ones tested lack the
    # words: the search falls back to walking the newest matches, and still finds them.
    matching = _claims(db, ["A convoy story", "Another convoy"], start=date(2019, 3, 1))
    _claims(db, [f"Report {n} about the weather" for n in range(4)], start=date(2019, 6, 1))
    monkeypatch.setattr(candidates, "FILTER_FIRST", 1)
    monkeypatch.setattr(candidates, "FILTER_WALK", 2)
    body = client.get("/api/v1/search?q=convoy&from=2019-01-01&sort=newest").get_json()
    assert [item["id"] for item in body["items"]] == [matching[1], matching[0]]
    assert counted != []


def test_claims_tested_up_to_the_limit_are_shown_with_a_notice_when_they_fill_a_page(
    client, db, monkeypatch
):
    older = _claims(db, ["A convoy story", "Another convoy"], start=date(2019, 3, 1))
    newer = _claims(db, ["A convoy again", "Weather", "More weather"], start=date(2019, 6, 1))
    monkeypatch.setattr(candidates, "FILTER_FIRST", 1)
    monkeypatch.setattr(candidates, "FILTER_WALK", 3)
    monkeypatch.setattr(candidates, "PER_PAGE", 1)
    query = "/search?q=convoy&from=2019-01-01&sort=newest"
    page = client.get(query).get_data(as_text=True)
    api = client.get("/api/v1" + query).get_json()
    shown = [item["id"] for item in api["items"]]
    if db.get_bind().dialect.name == "postgresql":
        # The three newest claims in range were tested; one has the word.
        assert shown == [newer[0]]
        assert "only the 3 most recent of them were searched" in page
    else:
        assert shown == [newer[0], older[1], older[0]]
