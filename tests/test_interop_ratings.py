"""Mapping other organisations' ratings onto our scale (rating_words.toml)."""

from __future__ import annotations

import pytest

from tracker.interop.ratings import map_rating, vocabulary
from tracker.interop.scale import VERDICTS


@pytest.mark.parametrize(
    ("word", "lang", "expected"),
    [
        ("False", "en", "false"),
        ("Falso", "pt", "false"),
        ("Falso.", "es", "false"),
        ("Engañoso", "es", "misleading"),
        ("Faux", "fr", "false"),
        ("Falsch", "de", "false"),
        ("झूठ", "hi", "false"),
        ("ভুয়া", "bn", "false"),
        ("زائف", "ar", "false"),
        ("錯誤", "zh", "false"),
        ("證據不足", "zh", "unproven"),
        ("Фейк", "ru", "false"),
        ("Фейк", "uk", "false"),
        ("Неправда", "uk", "false"),
        ("Маніпуляція", "uk", "misleading"),
        ("Манипуляция", "ru", "misleading"),
        ("Частково правда", "uk", "missing_context"),
        ("Без контексту", "uk", "missing_context"),
        ("Без контекста", "ru", "missing_context"),
        ("Правда", "uk", "accurate"),
        ("Сатира", "ru", "satire"),
        ("Half true", "en", "missing_context"),
        ("Mostly false", "en", "misleading"),
        ("não_é_bem_assim", "pt", "missing_context"),
        ("really_false", "fr", "false"),
        ("Missing context", None, "missing_context"),
    ],
)
def test_words_map_to_our_scale(word, lang, expected):
    assert map_rating(None, None, None, word, lang).rating == expected


def test_rule_names_the_word_and_its_language():
    mapping = map_rating(None, None, None, "Falso", "pt")
    assert mapping.rule == "alternateName 'Falso' (pt) → false"


def test_english_word_on_a_page_in_another_language():
    mapping = map_rating(None, None, None, "False", "bn")
    assert mapping.rule == "alternateName 'False' (en) → false"


def test_accents_are_optional():
    assert map_rating(None, None, None, "Enganoso", "es").rating == "misleading"


def test_number_on_our_scale_decides_when_the_word_is_unknown():
    mapping = map_rating("1", "5", "1", "ये तस्वीर अफ्रीका की है", "hi")
    assert (mapping.rating, mapping.source, mapping.confidence) == ("false", "ratingValue", 0.5)
    assert mapping.rule.startswith("ratingValue 1 of 1–5 → false")


def test_number_on_another_scale_is_not_converted():
    mapping = map_rating(4, 6, None, None, None)
    assert mapping.rating is None
    assert mapping.rule == "ratingValue 4 of ?–6 is not our 1–5 scale"


def test_four_has_no_equivalent():
    assert map_rating(4, 5, 1, None, None).rating is None


def test_minus_one_means_no_number():
    assert map_rating(-1, -1, -1, None, None).rule == "no rating given"


def test_word_wins_over_a_disagreeing_number_and_says_so():
    mapping = map_rating("3", "5", "1", "Misleading", "en")
    assert mapping.rating == "misleading"
    assert mapping.rule.endswith("ratingValue 3 of 1–5 would give missing_context")


def test_sentence_is_unclear():
    sentence = "The Health Desk Experts said current data shows roughly 10% of people"
    mapping = map_rating("", "5", "1", sentence, "en")
    assert (mapping.rating, mapping.confidence) == (None, 0.0)


def test_sentence_beginning_with_a_verdict_is_mapped_with_lower_confidence():
    mapping = map_rating(None, None, None, "False. The video is from 2015.", "en")
    assert mapping.rating == "false"
    assert mapping.confidence < 0.95


def test_misattributed_maps_to_misleading_with_its_reason():
    mapping = map_rating(None, None, None, "Misattributed", "en")
    assert mapping.rating == "misleading"
    assert "wrong source or caption" in mapping.rule


def test_unknown_word_is_not_guessed():
    assert map_rating(None, None, None, "Zombie claim", "en").rating is None


def test_vocabulary_covers_every_verdict():
    assert {entry.verdict for entry in vocabulary()} == VERDICTS


def test_vocabulary_covers_the_required_languages():
    langs = {entry.lang for entry in vocabulary()}
    assert {"en", "es", "pt", "fr", "de", "hi", "bn", "ar", "zh", "ru", "uk"} <= langs
