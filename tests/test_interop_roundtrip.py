"""Round trips on both databases: the full dump and ClaimReview, out and back in."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from tests.interop_db_support import (
    ANALYST_EMAIL,
    LONG_RATIONALE,
    SITE,
    build_world,
    empty_database,
    recreate_users,
    run,
    view,
)
from tracker.interop.export_dump import export_dump
from tracker.interop.exporter import ExportFilters, export_claimreview
from tracker.models import (
    Article,
    Claim,
    ClaimArticleLink,
    ClaimStatus,
    Comment,
    LinkStatus,
    Rating,
)


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


def test_a_dump_naming_people_who_are_not_users_here_says_so(db, tmp_path):
    from tests.factories import make_user
    from tracker.models import Role

    build_world(db)
    _dump(db, tmp_path / "dump.jsonl")
    empty_database(db)
    someone = make_user(db, Role.EDITOR, email="someone-else@interop.example")
    db.commit()
    result = run(db, "jsonl", tmp_path / "dump.jsonl", someone)
    assert result.rejected == 0
    missing = [note for note in result.notes if "is named in the file but is not a user" in note]
    assert any(note.startswith(ANALYST_EMAIL) for note in missing)
    assert all(count == 1 for note, count in result.notes.items() if note in missing)


def test_full_dump_keeps_internal_comments_with_author_time_and_step(db, tmp_path):
    world = build_world(db)
    before = db.execute(select(Comment.body, Comment.workflow_action).order_by(Comment.id)).all()
    _dump(db, tmp_path / "dump.jsonl")
    empty_database(db)
    run(db, "jsonl", tmp_path / "dump.jsonl", recreate_users(db, world))
    after = db.execute(select(Comment.body, Comment.workflow_action).order_by(Comment.id)).all()
    assert sorted(after) == sorted(before)
    assert ("Add a source.", "returned") in after
    assert (
        db.scalar(select(func.count()).select_from(Comment).where(Comment.author_id.is_(None))) == 0
    )


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


def _reviews(db) -> dict[str, dict]:
    """What a ClaimReview round trip must keep of each published claim."""
    db.expire_all()
    claims = {}
    for claim in db.scalars(select(Claim).where(Claim.status == ClaimStatus.PUBLISHED)):
        links = db.scalars(
            select(ClaimArticleLink).where(
                ClaimArticleLink.claim_id == claim.id,
                ClaimArticleLink.status == LinkStatus.CONFIRMED,
            )
        )
        claims[claim.text] = {
            "fields": (claim.language, claim.rating, claim.rationale, claim.claimant),
            "appearances": sorted(
                (a.url, a.appeared_on, a.outlet.name if a.outlet else None)
                for a in claim.appearances
            ),
            "articles": sorted(
                (a.url, a.title, a.publisher, a.author, a.published_on, a.language,
                 a.claim_statement, a.rating, a.rating_text)
                for a in (link.article for link in links)
                if not a.is_ours
            ),
        }  # fmt: skip
    return claims


def test_claimreview_export_imported_into_an_empty_database_gives_the_same_claims(db, tmp_path):
    world = build_world(db)
    expected = _reviews(db)
    published_ids = list(db.scalars(select(Claim.id).where(Claim.status == ClaimStatus.PUBLISHED)))
    feed = tmp_path / "feed.json"
    with feed.open("w", encoding="utf-8") as stream:
        count = export_claimreview(db, stream, name="Our Checks", site_url=SITE)
    assert count == len(expected) == 2
    empty_database(db)
    editor = recreate_users(db, world)
    result = run(db, "claimreview", feed, editor, status=ClaimStatus.PUBLISHED, site_url=SITE)
    assert result.rejected == 0
    assert _reviews(db) == expected
    # Our own feed gives the English summaries back (the review's name); they were lost.
    summary = db.scalar(select(Claim.summary_en).where(Claim.text.startswith("Russia has")))
    assert summary == "Tens of thousands of foreigners recruited."
    ours = db.scalars(select(Article).where(Article.is_ours)).all()
    assert sorted(a.url for a in ours) == sorted(f"{SITE}claims/{i}" for i in published_ids)
    assert all(a.publisher == "Our Checks" for a in ours)
    assert db.scalar(select(func.count()).select_from(Article)) == len(ours) + 1


def test_claimreview_round_trip_keeps_claimant_rationale_language_and_cited_articles(db, tmp_path):
    # One by one, what test_claimreview_export_imported_... compares as a whole.
    world = build_world(db)
    feed = tmp_path / "feed.json"
    with feed.open("w", encoding="utf-8") as stream:
        export_claimreview(db, stream, name="Our Checks", site_url=SITE)
    empty_database(db)
    run(db, "claimreview", feed, recreate_users(db, world), status=ClaimStatus.PUBLISHED)
    published = db.scalar(select(Claim).where(Claim.text.startswith("Russia has recruited")))
    assert (published.claimant, published.rationale) == ("Russian officials", LONG_RATIONALE)
    tanks = db.scalar(select(Claim).where(Claim.text.startswith("Ukraine is selling")))
    assert (tanks.language, tanks.claimant) == ("und", None)
    assert [a.outlet.name for a in tanks.appearances] == ["RT"]
    cited = db.scalar(select(Article).where(Article.url.contains("moscow-recruits")))
    assert (cited.rating, cited.rating_text, cited.author) == (
        Rating.FALSE,
        "Pants on fire",
        "A. Checker",
    )


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
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 2)
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
    articles = db.scalars(select(Article)).all()
    assert all(a.is_ours == a.url.startswith(site) for a in articles)


def test_our_csv_export_and_our_claimreview_feed_import_as_the_same_claims(client, db, tmp_path):
    # Both name each claim by its page's address; imported one after the other, every
    # claim was recorded twice.
    world = build_world(db)
    csv_file = tmp_path / "claims.csv"
    csv_file.write_bytes(client.get("/exports/claims.csv").data)
    feed = tmp_path / "claimreview.json"
    feed.write_bytes(client.get("/claimreview.json").data)
    site = "http://localhost/"  # where the test client's requests are served
    empty_database(db)
    editor = recreate_users(db, world)
    first = run(db, "csv", csv_file, editor, mapping="public", status=ClaimStatus.PUBLISHED)
    claims = db.scalar(select(func.count()).select_from(Claim))
    assert first.imported == claims > 0
    second = run(db, "claimreview", feed, editor, status=ClaimStatus.PUBLISHED, site_url=site)
    assert second.rejected == 0 and second.created["claims"] == 0  # its reviews are new
    assert db.scalar(select(func.count()).select_from(Claim)) == claims
    # And the other way round: the feed first, then the CSV file.
    empty_database(db)
    editor = recreate_users(db, world)
    reviewed = run(db, "claimreview", feed, editor, status=ClaimStatus.PUBLISHED, site_url=site)
    again = run(db, "csv", csv_file, editor, mapping="public", status=ClaimStatus.PUBLISHED)
    # Only the claims the feed has no review of are new: the retracted one, listed in the
    # public export (its page says it was retracted) but with no verdict to review.
    assert again.created["claims"] == claims - reviewed.created["claims"] == 1
    assert db.scalar(select(func.count()).select_from(Claim)) == claims
