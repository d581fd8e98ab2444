"""extract_quantities: the whole test set (our spec) plus targeted and adversarial cases."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.xref_support import as_rows, expected_rows, load_jsonl
from tracker.xref.quantities import Quantity, extract_quantities

SENTENCES = load_jsonl("sentences.jsonl") + load_jsonl("heldout.jsonl")


def _one(text: str, lang: str | None = None) -> Quantity:
    found = extract_quantities(text, lang)
    assert len(found) == 1, found
    return found[0]


def test_data_set_is_large_and_multilingual():
    languages = {record["lang"] for record in SENTENCES}
    negatives = [record for record in SENTENCES if not record["expected"]]
    assert len({record["id"] for record in SENTENCES}) == len(SENTENCES) >= 80
    assert {"en", "ru", "uk", "de", "fr"} <= languages
    assert len(negatives) >= 10


@pytest.mark.parametrize("record", SENTENCES, ids=[r["id"] for r in SENTENCES])
def test_sentence_with_its_language(record):
    assert as_rows(extract_quantities(record["text"], record["lang"])) == expected_rows(record)


@pytest.mark.parametrize("record", SENTENCES, ids=[r["id"] for r in SENTENCES])
def test_sentence_with_language_guessed(record):
    assert as_rows(extract_quantities(record["text"])) == expected_rows(record)


@pytest.mark.parametrize("record", SENTENCES, ids=[r["id"] for r in SENTENCES])
def test_offsets_slice_the_span(record):
    text = record["text"]
    for quantity in extract_quantities(text, record["lang"]):
        assert text[quantity.start : quantity.end] == quantity.text


@pytest.mark.parametrize("record", SENTENCES, ids=[r["id"] for r in SENTENCES])
def test_numbers_are_floats(record):
    for quantity in extract_quantities(record["text"], record["lang"]):
        assert isinstance(quantity.value, float)
        assert quantity.upper is None or isinstance(quantity.upper, float)


def test_seed_claim_is_tens_of_thousands():
    q = _one("Russia has recruited tens of thousands of foreign volunteers in Moscow", "en")
    assert (q.value, q.upper, q.qualifier, q.kind) == (10_000, 99_999, "vague", "count")


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("1,500 soldiers", "en", 1500),
        ("1,500 солдат", "ru", 1500),
        ("1,5 тыс. солдат", "ru", 1500),
        ("1,500 млрд рублей", "ru", 1.5e9),
        ("1,500 billion dollars", "en", 1.5e12),
        ("1.500 billion dollars", "en", 1.5e9),
        ("1.500 Mrd. Euro", "de", 1.5e12),
        ("1.500 Soldaten", "de", 1500),
        ("0.500 million", "en", 500_000),
        ("1.500,25 Euro", "de", 1500.25),
        ("1,500.25 dollars", "en", 1500.25),
        ("2\u2009300\u2009000 refugees", "en", 2_300_000),
        ("1'500 Franken", "de", 1500),
    ],
)
def test_separators_are_read_per_language_and_digit_count(text, lang, value):
    assert _one(text, lang).value == pytest.approx(value)


def test_german_billion_is_a_million_millions():
    assert _one("2 Billionen Euro Schulden", "de").value == pytest.approx(2e12)


def test_english_billion_is_a_thousand_millions():
    assert _one("2 billion euros of debt", "en").value == pytest.approx(2e9)


def test_genitive_thousand_after_a_qualifier_is_one_thousand():
    q = _one("Более тысячи наёмников", "ru")
    assert (q.value, q.qualifier) == (1000, "more_than")


def test_plural_thousands_without_a_qualifier_is_vague():
    q = _one("Тысячи наёмников", "ru")
    assert (q.value, q.upper, q.qualifier) == (1000, 9999, "vague")


def test_several_thousand_is_vague_not_one_thousand():
    q = _one("several thousand volunteers", "en")
    assert (q.value, q.upper, q.qualifier) == (2000, 9999, "vague")


def test_a_few_hundred_is_vague():
    q = _one("a few hundred protesters", "en")
    assert (q.value, q.upper, q.qualifier) == (200, 999, "vague")


def test_year_like_number_after_a_qualifier_is_a_count():
    q = _one("more than 2000 mercenaries", "en")
    assert (q.value, q.qualifier) == (2000, "more_than")


@pytest.mark.parametrize(
    "text",
    [
        "in 2000 the programme started",
        "до 2025 года",
        "the 2022 invasion",
        "2022 року",
        "from 2014 to 2022",
        "in the 1990s",
        "24.02.2022",
        "2022-02-24",
        "February 24, 2022",
        "24 лютого",
        "at 14:30",
        "at 5 p.m.",
        "um 4 Uhr",
        "3rd brigade",
        "3-й батальон",
        "5-та бригада",
        "1er mars",
        "S-400 and F-16",
        "COVID-19",
        "G7 summit",
        "Article 5",
        "resolution No. 2758",
        "пункт 3",
        "+7 (495) 123-45-67",
        "8-800-555-35-35",
        "1. First point\n2. Second point",
        "a 20-year-old soldier",
        "for 3 days",
        "10 years ago",
        "a 500 km front",
        "one of the soldiers",
        "один из солдат",
        "ein Soldat",
        "version 1.2.3",
        "call 0800 123 456",
        "see https://example.org/news/2017/0901/1538-report.html",
        "write to press2017@example.org",
        "the 9/11 attacks",
        "open 24/7",
        "resolution 68/262",
        "§§ 79-80 of the Constitution",
        "Flight 9525 crashed",
        "see issue 13 of the review",
        "рейс 302",
        "the protests of 2011-12",
        "On June 13-14, 2003 the Czech Republic voted",
        "the coup of February 20-22, 2014",
        "Rossiya 1 repeated the claim",
        "Россия-24 сообщила",
        "5 канал показал",
        "on 21-22 March 2014",
        "21–22 марта",
        "10 times more profitable",
        "в 10 раз больше",
        "two thirds of the voters",
        "The Germans have destroyed five\nthousand years of history",
        "hundred soldiers",
    ],
)
def test_not_a_quantity(text):
    assert extract_quantities(text) == []


def test_m_after_a_number_is_millions_only_for_money():
    assert _one("USD 3m", "en").value == pytest.approx(3e6)
    assert extract_quantities("a 3m cable", "en") == []


def test_decreasing_pair_is_not_a_range():
    found = extract_quantities("the number fell from 2,000 to 1,000", "en")
    assert [(q.value, q.qualifier) for q in found] == [(2000, "exact"), (1000, "exact")]


def test_range_inherits_the_scale_of_its_end():
    q = _one("от 10 до 15 тысяч долларов", "ru")
    assert (q.value, q.upper, q.kind, q.currency) == (10_000, 15_000, "money", "USD")


def test_range_does_not_inherit_a_scale_that_would_invert_it():
    q = _one("from 500 to 2 million", "en")
    assert (q.value, q.upper) == (500, 2_000_000)


def test_vague_money():
    q = _one("billions of dollars", "en")
    assert (q.value, q.kind, q.currency) == (1e9, "money", "USD")


def test_spelled_out_ukrainian_genitive():
    assert _one("близько двохсот цивільних", "uk").value == 200


def test_spelled_out_german_compound():
    assert _one("fünfundzwanzig Soldaten", "de").value == 25


def test_spelled_out_french():
    assert _one("quatre-vingt-douze soldats", "fr").value == 92


def test_postfix_qualifier():
    q = _one("5,000 or more refugees", "en")
    assert (q.value, q.qualifier, q.text) == (5000, "more_than", "5,000 or more")


def test_approximately_sign():
    q = _one("~1,500 recruits", "en")
    assert (q.qualifier, q.text) == ("about", "~1,500")


@pytest.mark.parametrize("lang", [None, "en", "ru", "xx", "en-GB", "", "UK"])
def test_any_language_code_is_accepted(lang):
    assert _one("more than 1,500 recruits", lang).value == 1500


@pytest.mark.parametrize(
    "text",
    ["", " ", "\n\n", "🙂🔥💣", "1234567890", "0", "%%%", "$", "€€€ 💶", "\u00a0\u2009\u202f"],
)
def test_odd_input_never_raises(text):
    assert isinstance(extract_quantities(text), list)


def test_a_single_line_break_does_not_split_a_quantity():
    q = _one("more than\n1,500\nrecruits", "en")
    assert (q.text, q.value) == ("more than\n1,500", 1500)


def test_a_blank_line_splits_quantities():
    found = extract_quantities("between 20\n\nand 25 percent", "en")
    assert [q.text for q in found] == ["20", "25 percent"]


def test_mixed_scripts():
    found = extract_quantities("Zelensky said: «более 1500 наёмников», and 20% more", None)
    assert [q.text for q in found] == ["более 1500", "20%"]


def test_long_text_is_read_to_the_end():
    text = "Nothing here. " * 7200 + "More than 1,500 recruits."
    assert len(text) > 100_000
    assert [q.value for q in extract_quantities(text)] == [1500]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.sampled_from([None, "en", "ru", "uk", "de", "fr", "zz"]))
def test_arbitrary_text_never_raises_and_offsets_slice_the_span(text, lang):
    for quantity in extract_quantities(text, lang):
        assert text[quantity.start : quantity.end] == quantity.text
        assert quantity.start < quantity.end
        assert isinstance(quantity.value, float)


_PIECES = [
    *"0123456789 ,.-–%$€₽+\u00a0\u2009\n",
    "тыс.",
    "млн",
    "million",
    "более ",
    "about ",
    "до ",
    "between ",
    " and ",
    "k",
    "bn",
]
_NUMBERISH = st.lists(st.sampled_from(_PIECES), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(_NUMBERISH)
def test_number_soup_never_raises_and_offsets_slice_the_span(text):
    for quantity in extract_quantities(text):
        assert text[quantity.start : quantity.end] == quantity.text
        assert quantity.upper is None or quantity.upper >= quantity.value
