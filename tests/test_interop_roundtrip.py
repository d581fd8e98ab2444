"""Round trips on both databases: the full dump and ClaimReview, out and back in."""

from __future__ import annotations

import json

from sqlalchemy import select

from tests.interop_db_support import (
    SITE,
    build_world,
    empty_database,
    recreate_users,
    run,
    view,
)
from tracker.interop.export_dump import export_dump
from tracker.interop.exporter import ExportFilters, export_claimreview
from tracker.models import Article, Claim, ClaimArticleLink, ClaimStatus, LinkStatus


def _dump(db, path) -> list[dict]:
    with path.open("w", encoding="utf-8") as stream:
        export_dump(db, stream, ExportFilters())
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        line.pop("created_at", None)
        line.pop("updated_at", None)
    return lines


def test_full_dump_imported_into_an_empty_database_gives_everything_back(db, tmp_path):
    world = build_world(db)
    before = view(db)
    _dump(db, tmp_path / "dump.jsonl")
    empty_database(db)
    editor = recreate_users(db, world)
    result = run(db, "jsonl", tmp_path / "dump.jsonl", editor)
    assert result.rejected == 0
    assert view(db) == before


def test_full_dump_exported_again_is_the_same_dump(db, tmp_path):
    world = build_world(db)
    first = _dump(db, tmp_path / "first.jsonl")
    empty_database(db)
    run(db, "jsonl", tmp_path / "first.jsonl", recreate_users(db, world))
    second = _dump(db, tmp_path / "second.jsonl")
    assert [_comparable(line) for line in second] == [_comparable(line) for line in first]


def _comparable(line: dict) -> dict:
    # Outlets are numbered by the database they come from, and a record without an external
    # id keeps its dump id as one once imported; everything else must be the same.
    line = {k: v for k, v in line.items() if not str(v).startswith("outlet:")}
    if line.get("external_id") == line.get("id"):
        line["external_id"] = None
    return line


def test_full_dump_imported_twice_changes_nothing(db, tmp_path):
    world = build_world(db)
    _dump(db, tmp_path / "dump.jsonl")
    empty_database(db)
    editor = recreate_users(db, world)
    run(db, "jsonl", tmp_path / "dump.jsonl", editor)
    after_first = view(db)
    second = run(db, "jsonl", tmp_path / "dump.jsonl", editor)
    assert (second.imported, second.updated, second.rejected) == (0, 0, 0)
    assert view(db) == after_first


def _reviews(db) -> dict[str, tuple]:
    claims = {}
    for claim in db.scalars(select(Claim).where(Claim.status == ClaimStatus.PUBLISHED)):
        claims[claim.text] = (
            claim.language,
            claim.rating,
            claim.rationale,
            sorted((a.url, a.appeared_on) for a in claim.appearances),
        )
    return claims


def test_claimreview_export_imported_into_an_empty_database_gives_the_same_claims(db, tmp_path):
    world = build_world(db)
    expected = _reviews(db)
    published_ids = list(db.scalars(select(Claim.id).where(Claim.status == ClaimStatus.PUBLISHED)))
    feed = tmp_path / "feed.json"
    with feed.open("w", encoding="utf-8") as stream:
        count = export_claimreview(db, stream, name="Our Checks", site_url=SITE)
    assert count == len(expected) == 1
    empty_database(db)
    editor = recreate_users(db, world)
    result = run(db, "claimreview", feed, editor, status=ClaimStatus.PUBLISHED, site_url=SITE)
    assert result.rejected == 0
    assert _reviews(db) == expected
    articles = db.scalars(select(Article)).all()
    assert sorted(a.url for a in articles) == [f"{SITE}claims/{i}" for i in published_ids]
    assert all(a.is_ours and a.publisher == "Our Checks" for a in articles)
    (link,) = db.scalars(select(ClaimArticleLink)).all()
    assert link.status == LinkStatus.CONFIRMED
    assert articles[0].rating == db.get(Claim, link.claim_id).rating


def test_claimreview_export_imported_twice_changes_nothing(db, tmp_path):
    world = build_world(db)
    feed = tmp_path / "feed.json"
    with feed.open("w", encoding="utf-8") as stream:
        export_claimreview(db, stream, name="Our Checks", site_url=SITE)
    empty_database(db)
    editor = recreate_users(db, world)
    run(db, "claimreview", feed, editor, status=ClaimStatus.PUBLISHED, site_url=SITE)
    before = view(db)
    again = run(db, "claimreview", feed, editor, status=ClaimStatus.PUBLISHED, site_url=SITE)
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 1)
    assert view(db) == before


def test_the_public_datafeed_imports_like_the_exported_file(client, db, tmp_path):
    world = build_world(db)
    expected = _reviews(db)
    feed = tmp_path / "claimreview.json"
    feed.write_bytes(client.get("/claimreview.json").data)
    site = "http://localhost/"  # where the test client's requests are served
    empty_database(db)
    editor = recreate_users(db, world)
    result = run(db, "claimreview", feed, editor, status=ClaimStatus.PUBLISHED, site_url=site)
    assert (result.imported, result.rejected) == (len(expected), 0)
    assert _reviews(db) == expected
    assert all(a.is_ours for a in db.scalars(select(Article)))
