"""ClaimReview into the database: the 32 real items, ratings as written and mapped, matching."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from tests.factories import make_user
from tests.interop_db_support import run
from tests.interop_support import CLAIMREVIEW_DIR, DATA, fixture_id, real_claimreview_fixtures
from tests.interop_support import require as require_data
from tracker.interop.claimreview_in import parse_claimreview
from tracker.models import (
    Article,
    Claim,
    ClaimArticleLink,
    ClaimStatus,
    Comment,
    LinkStatus,
    Rating,
    Role,
)

REAL = real_claimreview_fixtures()


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def _review(**changes) -> dict:
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checks.example.org/review/1",
        "claimReviewed": "The bridge was built in 1990",
        "datePublished": "2022-03-01",
        "inLanguage": "en",
        "author": {"@type": "Organization", "name": "Example Checks"},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "A. Blogger"},
            "datePublished": "2022-02-20",
            "appearance": [{"@type": "CreativeWork", "url": "https://blog.example.net/post/7"}],
        },
        "reviewRating": {"@type": "Rating", "alternateName": "Falso"},
    }
    review.update(changes)
    return review


def _write(tmp_path, *reviews, name="reviews.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r) for r in reviews) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def editor(db):
    user = make_user(db, Role.EDITOR)
    db.commit()
    return user


# --- the 32 real items -----------------------------------------------------------------


@pytest.mark.parametrize("fixture", REAL, ids=[fixture_id(f) for f in REAL])
def test_real_page_imports_as_an_article_and_a_claim(db, editor, tmp_path, fixture):
    page = require_data(CLAIMREVIEW_DIR / fixture["page_file"])
    result = run(db, "claimreview", page, editor, report=tmp_path / "r.jsonl")
    assert (result.rejected, result.imported) == (0, 1)
    article = db.scalar(select(Article))
    claim = db.scalar(select(Claim))
    assert article.claimreview and article.url.startswith("http")
    expected = parse_claimreview(fixture["claimreview"], base_url=fixture["page_url"])
    assert claim.text == expected.claim_reviewed
    link = db.scalar(select(ClaimArticleLink))
    assert (link.claim_id, link.article_id, link.status) == (
        claim.id,
        article.id,
        LinkStatus.CONFIRMED,
    )


def test_all_32_real_objects_import(db, editor, tmp_path):
    objects = require_data(CLAIMREVIEW_DIR / "claimreviews.jsonl")
    result = run(db, "claimreview", objects, editor)
    assert (result.read, result.imported, result.rejected) == (32, 32, 0)
    assert (_count(db, Article), _count(db, Claim)) == (32, 32)


def test_real_folder_twice_gives_32_articles_and_changes_nothing_the_second_time(
    db, editor, tmp_path
):
    require_data(CLAIMREVIEW_DIR)
    first = run(db, "claimreview", CLAIMREVIEW_DIR, editor)
    assert (first.read, first.imported, first.rejected) == (64, 32, 0)
    second = run(db, "claimreview", CLAIMREVIEW_DIR, editor)
    assert (second.imported, second.updated, second.unchanged) == (0, 0, 64)
    assert (_count(db, Article), _count(db, Claim)) == (32, 32)


# --- ratings ---------------------------------------------------------------------------------


def test_rating_is_kept_as_written_and_mapped_when_clear(db, editor, tmp_path):
    run(db, "claimreview", _write(tmp_path, _review()), editor)
    article = db.scalar(select(Article))
    claim = db.scalar(select(Claim))
    assert (article.rating_text, article.rating, claim.rating) == (
        "Falso",
        Rating.FALSE,
        Rating.FALSE,
    )


def test_the_mapping_is_shown_on_the_claim(db, editor, tmp_path):
    run(db, "claimreview", _write(tmp_path, _review()), editor)
    (comment,) = db.scalars(select(Comment)).all()
    assert "“Falso”" in comment.body
    assert "alternateName 'Falso'" in comment.body
    assert "confidence 0.95" in comment.body


def test_an_unclear_rating_is_kept_but_not_put_on_our_scale(db, editor, tmp_path):
    rating = {"@type": "Rating", "alternateName": "Experts say the numbers are unclear"}
    run(db, "claimreview", _write(tmp_path, _review(reviewRating=rating)), editor)
    article = db.scalar(select(Article))
    assert (article.rating_text, article.rating) == ("Experts say the numbers are unclear", None)
    assert db.scalar(select(Claim)).rating is None
    assert "Not put on our scale" in db.scalar(select(Comment.body))


# --- what becomes of a review ----------------------------------------------------------------


def test_the_claim_gets_its_appearance_date_claimant_and_language(db, editor, tmp_path):
    run(db, "claimreview", _write(tmp_path, _review()), editor)
    claim = db.scalar(select(Claim))
    (appearance,) = claim.appearances
    assert (appearance.url, appearance.appeared_on.isoformat()) == (
        "https://blog.example.net/post/7",
        "2022-02-20",
    )
    assert (claim.claimant, claim.language, claim.status) == (
        "A. Blogger",
        "en",
        ClaimStatus.DRAFT,
    )


def test_a_claimants_wikipedia_page_is_not_an_appearance_and_the_claim_keeps_its_date(
    db, editor, tmp_path
):
    item = {
        "@type": "CreativeWork",
        "url": "https://youtu.be/jA8iEODBe5Q",
        "datePublished": "2020-03-18",
        "author": {"name": "M. Masina", "sameAs": "https://en.wikipedia.org/wiki/M_Masina"},
    }
    run(db, "claimreview", _write(tmp_path, _review(itemReviewed=item)), editor)
    claim = db.scalar(select(Claim))
    assert [(a.url, a.appeared_on.isoformat()) for a in claim.appearances] == [
        ("https://youtu.be/jA8iEODBe5Q", "2020-03-18")
    ]
    assert (claim.claimant, claim.first_seen.isoformat()) == ("M. Masina", "2020-03-18")
    assert "https://en.wikipedia.org/wiki/M_Masina" in db.scalar(select(Comment.body))


def test_a_claim_without_appearances_is_first_seen_on_its_date(db, editor, tmp_path):
    item = {"@type": "Claim", "author": {"name": "Several persons"}, "datePublished": "2021-07-30"}
    run(db, "claimreview", _write(tmp_path, _review(itemReviewed=item)), editor)
    assert db.scalar(select(Claim.first_seen)).isoformat() == "2021-07-30"


def test_the_article_keeps_how_its_rating_was_mapped(db, editor, tmp_path):
    run(db, "claimreview", _write(tmp_path, _review()), editor)
    article = db.scalar(select(Article))
    assert "alternateName 'Falso'" in article.rating_rule
    assert article.rating_confidence == 0.95


def test_the_public_article_shows_an_unmapped_rating_as_written(client, db, editor, tmp_path):
    rating = {"@type": "Rating", "alternateName": "Experts say the numbers are unclear"}
    run(db, "claimreview", _write(tmp_path, _review(reviewRating=rating)), editor)
    page = client.get(f"/articles/{db.scalar(select(Article.id))}").get_data(as_text=True)
    assert "“Experts say the numbers are unclear”" in page
    assert "not put on our scale" in page


def test_a_rule_not_sure_enough_is_shown_as_such_not_as_a_mapping(client, db, editor, tmp_path):
    # "not put on our scale — mapped by the rule: ratingValue 1 of 1–5 → false" read as a
    # contradiction (a real AFP page: a sentence as the label, 1 on 1-5).
    rating = {"@type": "Rating", "ratingValue": "1", "bestRating": "5", "worstRating": "1",
              "alternateName": "The photo shows a slave trader in Africa"}  # fmt: skip
    run(db, "claimreview", _write(tmp_path, _review(reviewRating=rating)), editor)
    page = client.get(f"/articles/{db.scalar(select(Article.id))}").get_data(as_text=True)
    assert "not put on our scale" in page and "mapped by the rule" not in page
    assert "was not sure enough (confidence 0.50), so a person decides" in page


def test_the_public_article_shows_the_mapping_rule_and_confidence(client, db, editor, tmp_path):
    run(db, "claimreview", _write(tmp_path, _review()), editor)
    page = client.get(f"/articles/{db.scalar(select(Article.id))}").get_data(as_text=True)
    assert "alternateName &#39;Falso&#39;" in page
    assert "(confidence 0.95)" in page


def test_the_desk_article_shows_the_mapping_rule_and_confidence(client, db, login_as, tmp_path):
    editor = login_as(Role.EDITOR)
    run(db, "claimreview", _write(tmp_path, _review()), editor)
    page = client.get(f"/desk/articles/{db.scalar(select(Article.id))}").get_data(as_text=True)
    assert "“Falso”" in page
    assert "(confidence 0.95)" in page


def test_a_later_page_fills_in_the_language_of_the_claim(db, editor, tmp_path):
    folder = tmp_path / "both"
    folder.mkdir()
    unknown = _review(claimReviewed="Xyzzy 1990 qwrtp")
    del unknown["inLanguage"]
    _write(folder, unknown, name="a.jsonl")
    _write(folder, _review(claimReviewed="Xyzzy 1990 qwrtp", inLanguage="de"), name="b.jsonl")
    run(db, "claimreview", folder / "a.jsonl", editor)
    assert db.scalar(select(Claim.language)) == "und"
    result = run(db, "claimreview", folder / "b.jsonl", editor)
    assert (result.updated, db.scalar(select(Claim.language))) == (1, "de")


def test_cited_articles_of_another_organisation_are_suggested_links(db, editor, tmp_path):
    cited = {
        "@type": "Article",
        "url": "https://other.example.org/check/9",
        "headline": "The bridge is from 1962",
        "publisher": {"@type": "Organization", "name": "Other Checks"},
        "review": {"@type": "Review", "reviewRating": {"alternateName": "Pants on fire"}},
    }
    run(db, "claimreview", _write(tmp_path, _review(citation=[cited])), editor)
    article = db.scalar(select(Article).where(Article.publisher == "Other Checks"))
    assert (article.title, article.rating_text, article.rating) == (
        "The bridge is from 1962",
        "Pants on fire",
        Rating.FALSE,
    )
    link = db.scalar(select(ClaimArticleLink).where(ClaimArticleLink.article_id == article.id))
    assert link.status == LinkStatus.SUGGESTED


def test_a_review_without_a_claim_text_gives_an_article_only(db, editor, tmp_path):
    review = _review()
    del review["claimReviewed"]
    review["itemReviewed"] = {"@type": "Claim"}
    run(db, "claimreview", _write(tmp_path, review), editor)
    assert (_count(db, Article), _count(db, Claim)) == (1, 0)


def test_published_status_needs_a_clear_rating(db, editor, tmp_path):
    unclear = _review(
        url="https://checks.example.org/review/2",
        reviewRating={"@type": "Rating", "alternateName": "Hmm"},
    )
    path = _write(tmp_path, _review(), unclear)
    result = run(db, "claimreview", path, editor, status=ClaimStatus.PUBLISHED)
    assert (result.imported, result.rejected) == (1, 1)
    assert db.scalar(select(Claim.status)) == ClaimStatus.PUBLISHED


def test_an_analyst_cannot_import_as_published(db, tmp_path):
    analyst = make_user(db, Role.ANALYST)
    db.commit()
    path = _write(tmp_path, _review())
    result = run(db, "claimreview", path, analyst, status=ClaimStatus.PUBLISHED)
    assert result.rejected == 1
    assert _count(db, Claim) == 0


def test_google_fact_check_api_response_imports_its_reviews(db, editor):
    result = run(db, "claimreview", DATA / "factcheck_api.json", editor)
    # The file has two reviews of one claim and, on purpose, a claim without a review.
    assert (result.imported, result.rejected) == (2, 1)
    assert (_count(db, Article), _count(db, Claim)) == (2, 2)


# --- bad input -------------------------------------------------------------------------------


def test_malformed_line_is_rejected_with_its_line_and_the_rest_imports(db, editor, tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        json.dumps(_review()) + "\n{not json\n"
        + json.dumps(_review(url="https://checks.example.org/review/3")) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    report = tmp_path / "report.jsonl"
    result = run(db, "claimreview", path, editor, report=report)
    assert (result.imported, result.rejected) == (2, 1)
    (line,) = [json.loads(x) for x in report.read_text(encoding="utf-8").splitlines()]
    assert line["line"] == 2
    assert line["reason"].startswith("invalid JSON")


def test_the_same_review_twice_in_one_file_is_a_rejected_duplicate(db, editor, tmp_path):
    report = tmp_path / "report.jsonl"
    result = run(db, "claimreview", _write(tmp_path, _review(), _review()), editor, report=report)
    assert (result.imported, result.rejected) == (1, 1)
    line = json.loads(report.read_text(encoding="utf-8"))
    assert (line["line"], "duplicate of" in line["reason"]) == (2, True)


def test_the_same_review_in_two_files_fills_in_what_the_first_lacked(db, editor, tmp_path):
    folder = tmp_path / "both"
    folder.mkdir()
    undated = _review()
    del undated["datePublished"]
    _write(folder, undated, name="a.jsonl")
    _write(folder, _review(), name="b.jsonl")
    result = run(db, "claimreview", folder, editor)
    assert (result.imported, result.updated, result.rejected) == (1, 1, 0)
    assert db.scalar(select(Article.published_on)).isoformat() == "2022-03-01"


def test_the_desk_shows_who_made_the_claim(client, db, login_as, tmp_path):
    editor = login_as(Role.EDITOR)
    run(db, "claimreview", _write(tmp_path, _review()), editor)
    claim_id = db.scalar(select(Claim.id))
    page = client.get(f"/desk/claims/{claim_id}").get_data(as_text=True)
    assert "Claimed by:</strong> A. Blogger" in page
