"""Matching when the semantic stage cannot score something: no model, another model's vectors,
a corrupted vector. The lexical stage alone must still find what the words find (queries are
paraphrases, not the debunk's own wording)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from tests.xref_app_support import engine_with_vectors, seed
from tracker.audit import Actor
from tracker.models import ClaimArticleLink, Vector
from tracker.services import articles, claims
from tracker.xref import embeddings
from tracker.xref.engine import XrefEngine, rebuild
from tracker.xref.matching import SUGGEST_MIN_SCORE, MatchSettings

PARAPHRASE = "Foreign volunteers recruited in Moscow number tens of thousands, says Russian TV"
FIGURE_PARAPHRASE = "Tens of thousands of foreigners were recruited in Moscow to fight for Russia."


def lexical_engine() -> XrefEngine:
    return XrefEngine(MatchSettings(backend="none"), refresh_seconds=0)


def test_without_a_model_a_paraphrase_still_finds_the_debunk(db):
    records = seed(db)
    result = lexical_engine().match(db, PARAPHRASE, "en", kinds=("article",))
    assert not result.semantic_used
    top = result.matches[0]
    assert top.id == records["debunk"].id
    assert top.score >= SUGGEST_MIN_SCORE
    assert top.method == "lexical" and "“recruitment”" in top.reason


def test_without_a_model_suggestions_are_still_stored(db):
    records = seed(db)
    claim = claims.create_claim(
        db, claims.ClaimInput(text=PARAPHRASE, language="en"), by=Actor(records["editor"])
    )
    found = lexical_engine().suggest_for_claim(db, claim)
    assert found.articles >= 1
    link = db.scalar(
        select(ClaimArticleLink).where(
            ClaimArticleLink.claim_id == claim.id,
            ClaimArticleLink.article_id == records["debunk"].id,
        )
    )
    assert link is not None


def test_without_a_model_the_figure_is_still_checked(db):
    records = seed(db)
    [found] = lexical_engine().figures(db, FIGURE_PARAPHRASE, "en")
    assert found.figure_id == records["figure"].id
    assert found.check.comparison.relation == "overstates"


def test_a_corrupted_vector_leaves_the_record_its_full_lexical_score(db):
    records = seed(db)
    engine = engine_with_vectors(db)
    vector = db.scalar(
        select(Vector).where(
            Vector.entity_type == "article", Vector.entity_id == records["debunk"].id
        )
    )
    vector.data = b"\x00garbage"
    db.commit()
    result = engine.match(db, PARAPHRASE, "en", kinds=("article",))
    top = result.matches[0]
    assert top.id == records["debunk"].id and top.semantic is None
    assert top.score >= SUGGEST_MIN_SCORE  # was 0.2 x lexical: never enough to suggest
    assert "no usable vector" in top.reason


def test_vectors_of_another_model_are_reported_and_matched_lexically(db):
    records = seed(db)
    engine_with_vectors(db)  # the default model's vectors
    db.commit()
    other = XrefEngine(MatchSettings(backend="use"), refresh_seconds=0)
    result = other.match(db, PARAPHRASE, "en", kinds=("article",))
    assert any("made by another model" in n and "tracker xref rebuild" in n for n in result.notices)
    assert result.matches[0].id == records["debunk"].id
    assert result.matches[0].score >= SUGGEST_MIN_SCORE


def test_rebuild_re_encodes_vectors_of_another_model(db):
    seed(db)
    engine_with_vectors(db)
    db.commit()
    other = XrefEngine(replace(MatchSettings(), backend="use"), refresh_seconds=0)
    counts = rebuild(db, other)
    assert counts["article"] == 2 and counts["claim"] == 2 and counts["figure"] == 1
    models = set(db.scalars(select(Vector.model)))
    assert models == {embeddings.get_encoder("use").model_id}
    result = other.match(db, PARAPHRASE, "en", kinds=("article",))
    assert not any("another model" in n for n in result.notices)


def test_a_reason_never_lists_stop_words(db):
    records = seed(db)
    article = articles.create_article(
        db,
        articles.ArticleInput(
            title="The recruitment of foreigners in Moscow",
            language="en",
            url="https://x.example/r",
        ),
        by=Actor(records["editor"]),
    )
    engine = engine_with_vectors(db)
    result = engine.match(db, "The recruitment in Moscow", "en", kinds=("article",))
    [match] = [m for m in result.matches if m.id == article.id]
    assert "“recruitment”" in match.reason and "“Moscow”" in match.reason
    assert "“The”" not in match.reason


def test_the_rebuild_counts_figure_totals_not_their_parts(db):
    from tracker.xref.store import count_live

    seed(db)  # one figure with three parts
    assert count_live(db, "figure") == 1
