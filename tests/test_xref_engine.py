"""The cross-referencing engine on the application's database (both backends)."""

from __future__ import annotations

import logging
from concurrent.futures import wait
from datetime import date

import pytest
from sqlalchemy import or_, select

from tests.xref_app_support import DEBUNK_STATEMENT, RUSSIAN_CLAIM, engine_with_vectors, seed
from tracker.audit import Actor
from tracker.models import (
    ClaimArticleLink,
    ClaimFigureLink,
    ClaimLink,
    LinkStatus,
    Vector,
)
from tracker.services import claims
from tracker.xref import embeddings, matching, semantic
from tracker.xref.engine import XrefEngine, rebuild
from tracker.xref.store import VectorStore, refresh_vectors


def test_vectors_are_computed_once_and_again_only_when_the_text_changes(db):
    records = seed(db)
    encoder = embeddings.get_encoder("default")
    ids = [records["published"].id, records["draft"].id]
    assert refresh_vectors(db, "claim", ids, encoder) == 2
    assert refresh_vectors(db, "claim", ids, encoder) == 0
    draft = records["draft"]
    claims.update_claim(
        db,
        draft,
        claims.ClaimInput(text="A different text now.", language="en"),
        expected_version=draft.version,
        by=Actor(records["editor"]),
    )
    assert refresh_vectors(db, "claim", ids, encoder) == 1
    claims.soft_delete(db, draft, by=Actor(records["editor"]))
    refresh_vectors(db, "claim", ids, encoder)
    stored = db.scalars(select(Vector.entity_id).where(Vector.entity_type == "claim")).all()
    assert stored == [records["published"].id]


def test_a_russian_claim_finds_the_english_debunk_across_languages(db):
    records = seed(db)
    engine = engine_with_vectors(db)
    result = engine.match(db, RUSSIAN_CLAIM, "ru", kinds=("article",))
    assert result.semantic_used
    assert result.matches[0].id == records["debunk"].id
    assert "across languages: Russian → English" in result.matches[0].reason


def test_an_english_text_is_matched_with_the_shared_words_as_reason(db):
    records = seed(db)
    engine = engine_with_vectors(db)
    result = engine.match(db, DEBUNK_STATEMENT, "en", kinds=("article",))
    top = result.matches[0]
    assert top.id == records["debunk"].id and top.method == "lexical+semantic"
    # Each of the text's words once, as the document first writes it (its title here).
    assert "Shared words:" in top.reason and "“recruitment”" in top.reason


def test_the_allowed_filter_and_exclusions_are_applied(db):
    records = seed(db)
    engine = engine_with_vectors(db)
    text = "Pentagon laboratories in Ukraine produce bioweapons"
    everything = {m.id for m in engine.match(db, text, "en", kinds=("claim",)).matches}
    assert {records["published"].id, records["draft"].id} <= everything
    public = engine.match(
        db,
        text,
        "en",
        kinds=("claim",),
        allowed=lambda kind, ids: {records["published"].id} & set(ids),
    )
    assert [m.id for m in public.matches] == [records["published"].id]
    excluded = engine.match(
        db, text, "en", kinds=("claim",), exclude={"claim": {records["published"].id}}
    )
    assert records["published"].id not in {m.id for m in excluded.matches}


@pytest.mark.parametrize(
    ("text", "notice"),
    [
        ("", "the text is empty"),
        ("   \n\t ", "the text is empty"),
        ("1234 5678 90", "only numbers or symbols"),
        ("🙂🙂🙂 🚀", "only numbers or symbols"),
    ],
)
def test_texts_without_words_give_a_clear_empty_result(db, text, notice):
    seed(db)
    result = engine_with_vectors(db).match(db, text)
    assert result.matches == []
    assert notice in result.notices[0]


def test_a_very_long_text_is_cut_with_a_notice(db):
    seed(db)
    text = (DEBUNK_STATEMENT + " ") * 1500  # about 110,000 characters
    result = engine_with_vectors(db).match(db, text, "en")
    assert "the first 5,000 were matched" in result.notices[0]
    assert result.matches


def test_a_text_in_another_script_matches_nothing_strongly(db):
    seed(db)
    result = engine_with_vectors(db).match(db, "ภาษาไทยเป็นภาษาราชการของประเทศไทย", None)
    assert all(m.score < 0.3 for m in result.matches)


def test_a_corrupted_stored_vector_falls_back_to_lexical_and_says_so(db, caplog):
    records = seed(db)
    engine = engine_with_vectors(db)
    vector = db.scalar(
        select(Vector).where(
            Vector.entity_type == "article", Vector.entity_id == records["debunk"].id
        )
    )
    vector.data = b"\x00garbage"
    db.commit()
    with caplog.at_level(logging.ERROR, logger="tracker.xref"):
        result = engine.match(db, DEBUNK_STATEMENT, "en", kinds=("article",))
    assert any("corrupted" in notice for notice in result.notices)
    assert result.matches[0].id == records["debunk"].id  # still found, lexically
    assert result.matches[0].semantic is None
    assert any("corrupted article vector" in r.getMessage() for r in caplog.records)


def test_a_model_that_fails_to_load_leaves_lexical_matching_and_says_so(db, monkeypatch, caplog):
    records = seed(db)

    class Broken(embeddings.UseEncoder):
        name = "broken"

        def _load(self):
            raise OSError("weights file missing")

    monkeypatch.setitem(embeddings._FACTORIES, "broken", Broken)
    monkeypatch.setattr(embeddings, "_CACHE", {})
    engine = XrefEngine(XrefEngine().settings.__class__(backend="broken"), refresh_seconds=0)
    with caplog.at_level(logging.ERROR, logger="tracker.xref"):
        result = engine.match(db, DEBUNK_STATEMENT, "en", kinds=("article",))
    assert result.matches[0].id == records["debunk"].id
    assert "lexical only" in result.matches[0].reason
    assert any("semantic stage unavailable" in n for n in result.notices)
    assert any("semantic stage failed" in r.getMessage() for r in caplog.records)


def test_the_vectors_are_scored_while_the_full_text_index_is_searched(db, monkeypatch):
    records = seed(db)
    engine = engine_with_vectors(db)
    futures, finished_first = [], []
    start_scores, lexical_hits = matching.start_scores, matching.lexical_hits

    def recorded_start(*args, **kwargs):
        futures.append(start_scores(*args, **kwargs))
        return futures[-1]

    def lexical_after_scoring(*args, **kwargs):
        # The scores were begun before the lexical stage, so they can finish without it
        wait(futures, timeout=30)
        finished_first.append(bool(futures) and all(f.done() for f in futures))
        return lexical_hits(*args, **kwargs)

    monkeypatch.setattr(matching, "start_scores", recorded_start)
    monkeypatch.setattr(matching, "lexical_hits", lexical_after_scoring)
    result = engine.match(db, RUSSIAN_CLAIM, "ru", kinds=("article",))
    assert finished_first == [True]
    assert result.semantic_used and result.matches[0].id == records["debunk"].id


def test_a_failure_while_scoring_leaves_lexical_matching_and_says_so(db, monkeypatch):
    records = seed(db)
    engine = engine_with_vectors(db)

    def failing(*args, **kwargs):
        raise embeddings.SemanticUnavailable("the encoder returned non-finite values")

    monkeypatch.setattr(semantic, "query_scores", failing)
    result = engine.match(db, DEBUNK_STATEMENT, "en", kinds=("article",))
    assert result.matches[0].id == records["debunk"].id
    assert "lexical only" in result.matches[0].reason
    assert "the encoder returned non-finite values" in result.notices


def test_figure_check_of_the_seed_example_in_russian(db):
    records = seed(db)
    engine = engine_with_vectors(db)
    [found] = engine.figures(db, RUSSIAN_CLAIM, "ru")
    assert found.figure_id == records["figure"].id
    comparison = found.check.comparison
    assert comparison.relation == "overstates" and round(comparison.ratio, 1) == 6.7
    assert comparison.reason == (
        "The claim says tens of thousands; UK Ministry of Defence, citing iStories, reported "
        "more than 1,500 for April 2023 – May 2024 (at least 6.7x lower)."
    )


def test_a_passage_on_several_subjects_gets_the_figure_check_of_its_sentence(db):
    # Pasted whole, the passage scored 0.07 against the recruitment figure (0.31 alone).
    records = seed(db)
    passage = (
        "Официальный представитель МИД Мария Захарова в четверг снова обвинила Запад во лжи. "
        "По её словам, в Москве с апреля 2023 года завербовали десятки тысяч иностранцев. "
        "Она также заявила, что удар по Виннице был нанесён по законной военной цели. "
        "Кроме того, она раскритиковала новый пакет помощи Украине на 50 миллиардов долларов."
    )
    [found] = engine_with_vectors(db).figures(db, passage, "ru")
    assert found.figure_id == records["figure"].id
    assert found.check.comparison.relation == "overstates"
    assert found.check.comparison.reason.startswith("The claim says tens of thousands;")


def test_a_text_without_numbers_gets_no_figure_check(db):
    seed(db)
    assert engine_with_vectors(db).figures(db, "Foreigners are recruited in Moscow.", "en") == []


def test_suggestions_are_stored_once_and_never_override_a_decision(db):
    records = seed(db)
    engine = engine_with_vectors(db)
    claim = claims.create_claim(
        db, claims.ClaimInput(text=RUSSIAN_CLAIM, language="ru"), by=Actor(records["editor"])
    )
    first = engine.suggest_for_claim(db, claim)
    assert first.articles >= 1 and first.figures == 1
    link = db.scalar(
        select(ClaimArticleLink).where(
            ClaimArticleLink.claim_id == claim.id,
            ClaimArticleLink.article_id == records["debunk"].id,
        )
    )
    assert link.status == LinkStatus.SUGGESTED and link.reason and link.method
    link.status = LinkStatus.REJECTED
    db.flush()
    again = engine.suggest_for_claim(db, claim)
    assert (again.articles, again.figures) == (0, 0)
    db.refresh(link)
    assert link.status == LinkStatus.REJECTED
    figure_link = db.scalar(select(ClaimFigureLink).where(ClaimFigureLink.claim_id == claim.id))
    assert figure_link.relation.value == "overstates" and "6.7x" in figure_link.reason


def test_similar_claims_are_suggested_between_languages(db):
    records = seed(db)
    engine = engine_with_vectors(db)
    claim = claims.create_claim(
        db,
        claims.ClaimInput(
            text="Лаборатории Пентагона на Украине производят биологическое оружие.", language="ru"
        ),
        by=Actor(records["editor"]),
    )
    engine.suggest_for_claim(db, claim)
    others = set(db.scalars(select(ClaimLink.other_claim_id).where(ClaimLink.claim_id == claim.id)))
    assert records["published"].id in others


def test_a_claim_link_found_again_from_the_other_side_points_from_it(db):
    # Its reason ("Russian → English") was rewritten by the second match while the link
    # still pointed from the first claim: that claim's page read the languages backwards.
    records = seed(db)
    engine = engine_with_vectors(db)
    claim = claims.create_claim(
        db,
        claims.ClaimInput(
            text="Лаборатории Пентагона на Украине производят биологическое оружие.", language="ru"
        ),
        by=Actor(records["editor"]),
    )
    engine.suggest_for_claim(db, claim)
    published = records["published"]
    engine.suggest_for_claim(db, published)
    link = db.scalar(
        select(ClaimLink).where(
            or_(ClaimLink.claim_id == claim.id, ClaimLink.other_claim_id == claim.id),
            or_(ClaimLink.claim_id == published.id, ClaimLink.other_claim_id == published.id),
        )
    )
    assert (link.claim_id, link.other_claim_id) == (published.id, claim.id)
    assert "English → Russian" in link.reason


def test_rebuild_is_resumable(db):
    seed(db)
    engine = XrefEngine(refresh_seconds=0)
    first = rebuild(db, engine)
    assert first["article"] == 2 and first["figure"] == 1 and first["claim"] == 2
    second = rebuild(db, engine)
    assert (second["article"], second["figure"], second["claim"]) == (0, 0, 0)


def test_the_store_tells_when_a_kind_has_no_vectors_so_no_query_is_encoded_for_it(db):
    records = seed(db)
    encoder = embeddings.get_encoder("default")
    store = VectorStore(refresh_seconds=60)
    assert store.may_have_vectors(db, "article", encoder)  # not read yet
    assert len(store.index(db, "article", encoder).index) == 0
    assert not store.may_have_vectors(db, "article", encoder)
    refresh_vectors(db, "article", [records["debunk"].id], encoder)
    store.refresh_seconds = 0  # the empty index is now due to be read again
    assert store.may_have_vectors(db, "article", encoder)
    assert len(store.index(db, "article", encoder).index) == 1
    assert store.may_have_vectors(db, "article", encoder)


@pytest.mark.parametrize(
    ("written", "relation"),
    [
        # In mid-2024 "last year" is 2023, within the figure's April 2023 - May 2024.
        (date(2024, 6, 1), "overstates"),
        # In 2026 it is 2025, a period the figure does not cover: nothing to compare.
        (date(2026, 12, 7), None),
    ],
)
def test_last_year_in_a_claim_is_the_year_before_it_was_written(db, written, relation):
    seed(db)
    text = "Russia recruited 50,000 foreigners in Moscow last year."
    found = engine_with_vectors(db).figures(db, text, "en", reference=written)
    assert [f.check.comparison.relation for f in found] == ([relation] if relation else [])


def test_a_suggestion_found_by_the_english_summary_says_so(db):
    # Its reason said "English → Russian" on a Russian claim's page, which read as an error.
    records = seed(db)
    engine = engine_with_vectors(db)
    claim = claims.create_claim(
        db,
        claims.ClaimInput(text=RUSSIAN_CLAIM, language="ru", summary_en=DEBUNK_STATEMENT),
        by=Actor(records["editor"]),
    )
    engine.suggest_for_claim(db, claim)
    link = db.scalar(
        select(ClaimArticleLink).where(
            ClaimArticleLink.claim_id == claim.id,
            ClaimArticleLink.article_id == records["debunk"].id,
        )
    )
    assert link.reason.startswith("By its English summary: ")
