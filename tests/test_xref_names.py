"""Names written in another script count as shared words: "Буча" meets "Bucha"."""

from __future__ import annotations

from tests.factories import make_user
from tracker.audit import Actor
from tracker.models import Rating, Role
from tracker.services import articles, claims
from tracker.xref.engine import XrefEngine
from tracker.xref.lexical import (
    coverage,
    document_words,
    query_words,
    rare_names,
    shared_words,
)
from tracker.xref.matching import MatchSettings


def test_a_cyrillic_name_covers_its_latin_spelling():
    words = query_words("Что на самом деле произошло в Буче", "ru")
    terms, names = document_words("What really happened in Bucha", "en", "ru")
    assert coverage(words, terms, names) > 0


def test_names_only_ignores_ordinary_words_across_languages():
    words = query_words("Bucha 2022 massacre", "en")
    terms, names = document_words("Буча 2022", "ru", "en")
    assert coverage(words, terms, names, names_only=True) == 1 / 3  # Bucha, not the number


def test_an_abbreviation_meets_only_an_abbreviation():
    # "МИД" (the Foreign Ministry) folded to the key of "Modi", an Indian debunk's top word.
    words = query_words("Об этом заявили в МИД России", "ru")
    _terms, names = document_words("PM Modi, during a Gujarat speech", "en", "ru", names_only=True)
    assert coverage(words, set(), names, names_only=True) == 0
    assert shared_words("Об этом заявили в МИД", "ru", "PM Modi said so", "en") == []
    # Inflected with a case ending, as Russian writes it most of the time.
    assert shared_words("представитель МИДа заявила", "ru", "PM Modi said so", "en") == []
    assert shared_words("В МИДе заявили", "ru", "PM Modi said so", "en") == []
    assert shared_words("Учения НАТО и ФСБ", "ru", "NATO drills, the FSB said", "en") == [
        ("НАТО", "NATO"),
        ("ФСБ", "FSB"),
    ]


def bucha_debunk(db):
    by = Actor(make_user(db, Role.EDITOR))
    return articles.create_article(
        db,
        articles.ArticleInput(
            title="No, the killings in Bucha were not staged",
            claim_statement="The bodies in Bucha were actors.",
            language="en",
            url="https://fc.example/bucha",
            rating=Rating.FALSE,
        ),
        by=by,
    )


def test_a_russian_name_finds_the_english_debunk_lexically(db):
    debunk = bucha_debunk(db)
    engine = XrefEngine(MatchSettings(backend="none"), refresh_seconds=0)
    result = engine.match(db, "Что на самом деле произошло в Буче?", "ru", kinds=("article",))
    assert result.matches and result.matches[0].id == debunk.id
    assert result.matches[0].lexical > 0
    # The text's own word beside the document's: the reason listed English words alone.
    assert "“Буче” = “Bucha”" in result.matches[0].reason


def test_a_shared_name_is_kept_across_languages_when_fused(db):
    debunk = bucha_debunk(db)
    engine = XrefEngine(refresh_seconds=0)
    engine.refresh_all(db, "article")
    result = engine.match(db, "Постановка в Буче: тела на улицах оказались актёрами", "ru")
    top = result.matches[0]
    assert top.id == debunk.id and top.lexical and top.lexical > 0
    assert "“Bucha”" in top.reason and "across languages: Russian → English" in top.reason


def test_an_english_name_finds_a_russian_claim(db):
    editor = make_user(db, Role.EDITOR)
    claim = claims.create_claim(
        db,
        claims.ClaimInput(text="Винница: склад взорвали сами украинские военные.", language="ru"),
        by=Actor(editor),
    )
    engine = XrefEngine(MatchSettings(backend="none"), refresh_seconds=0)
    result = engine.match(db, "Who blew up the depot in Vinnytsia?", "en", kinds=("claim",))
    assert [m.id for m in result.matches] == [claim.id]
    assert "“Vinnytsia” = “Винница”" in result.matches[0].reason


def test_only_rare_names_count_across_languages(db):
    by = Actor(make_user(db, Role.EDITOR))
    for number in range(6):
        articles.create_article(
            db,
            articles.ArticleInput(
                title=f"Ukraine story number {number}",
                language="en",
                url=f"https://fc.example/u{number}",
            ),
            by=by,
        )
    bucha_debunk(db)
    rare = rare_names(db, "article", "Украина и Буча", "ru", collection=7, share=0.01)
    assert rare == {"buch"}  # "Ukraine" is in six of the seven records
