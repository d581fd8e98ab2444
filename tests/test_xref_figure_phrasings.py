"""Figure checks for the seed example in several languages and phrasings, and a claim about
another subject and place that must not be checked against it."""

from __future__ import annotations

import pytest

from tests.xref_app_support import engine_with_vectors, seed
from tracker.xref.places import names_place

PHRASINGS = [
    ("ru", "В Москве завербовали десятки тысяч иностранных добровольцев"),
    (
        "ru",
        "Украинские власти скрывают, что в Москве за год завербовали десятки тысяч иностранцев.",
    ),
    ("ru", "Россия набрала в Москве десятки тысяч иностранных наёмников."),
    ("ru", "Десятки тысяч иностранцев подписали контракты с армией в Москве."),
    ("uk", "У Москві завербували десятки тисяч іноземців для війни."),
    ("uk", "Росія найняла в Москві десятки тисяч іноземних добровольців."),
    ("en", "Tens of thousands of foreigners signed up in Moscow to fight for Russia."),
    ("de", "In Moskau wurden Zehntausende Ausländer für den Krieg angeworben."),
]


@pytest.fixture
def engine(db):
    records = seed(db)
    engine = engine_with_vectors(db)
    db.commit()
    return engine, records


@pytest.mark.parametrize(("lang", "text"), PHRASINGS)
def test_each_phrasing_gets_the_figure_check(db, engine, lang, text):
    xref, records = engine
    found = xref.figures(db, text, lang)
    assert [f.figure_id for f in found] == [records["figure"].id]
    assert found[0].check.comparison.relation == "overstates"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("ru", "На стороне Киева воюют десятки тысяч наёмников из стран НАТО"),
        ("en", "Tens of thousands of mercenaries from NATO countries are fighting for Kyiv."),
    ],
)
def test_mercenaries_fighting_for_kyiv_are_not_checked_against_moscow_recruitment(
    db, engine, lang, text
):
    xref, _records = engine
    assert xref.figures(db, text, lang) == []


@pytest.mark.parametrize(
    ("text", "lang", "named"),
    [
        ("В Москве завербовали", "ru", True),
        ("У Москві завербували", "uk", True),
        ("In Moskau wurden", "de", True),
        ("recruited in Moscow", "en", True),
        ("На стороне Киева воюют", "ru", False),
        ("Мосты взорваны", "ru", False),
    ],
)
def test_a_place_is_recognised_in_any_script_and_case(text, lang, named):
    assert names_place(text, lang, "Moscow") is named


def test_generic_words_of_a_place_do_not_count():
    assert not names_place("the whole region was shelled", "en", "Kyiv region")
    assert names_place("Kyiv was shelled", "en", "Kyiv region")


@pytest.mark.parametrize(
    ("text", "place", "named"),
    [
        # Names that are no spelling of the English one: none of these named their place.
        ("США выделили Украине 200 млрд долларов", "United States", True),
        ("Сполучені Штати виділили", "United States", True),
        ("the US gave Ukraine", "United States", True),
        ("they gave us nothing", "United States", False),
        ("У Німеччині перебуває близько мільйона", "Germany", True),
        ("В Германии 600 тысяч беженцев", "Germany", True),
        ("In Polen leben", "Germany", False),
        ("Великобритания передала", "United Kingdom", True),
        ("ЄС виділив", "European Union", True),
        ("все страны мира", "European Union", False),
    ],
)
def test_places_named_otherwise_in_other_languages(text, place, named):
    assert names_place(text, None, place) is named
