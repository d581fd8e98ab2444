"""compare, breakdown, check_text and the formatting helpers of tracker.xref.figures."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.xref.figures import (
    FigureFacts,
    FigurePart,
    Tolerance,
    breakdown,
    check_text,
    compare,
    subject_overlap,
)
from tracker.xref.formatting import (
    format_amount,
    format_number,
    format_period,
    format_quantity,
    format_ratio,
)
from tracker.xref.periods import extract_period
from tracker.xref.quantities import Quantity, extract_quantities

SEED_CLAIM = "Russia has recruited tens of thousands of foreign volunteers in Moscow"
SEED_SENTENCE = (
    "The claim says tens of thousands; UK Ministry of Defence, citing iStories, reported more "
    "than 1,500 for April 2023 – May 2024 (at least 6.7x lower)."
)


def seed_figure(**changes) -> FigureFacts:
    figure = FigureFacts(
        subject="foreign citizens recruited",
        value=1500,
        qualifier="more_than",
        place="Moscow",
        publisher="UK Ministry of Defence",
        cited_source="iStories",
        period_start=date(2023, 4, 1),
        period_end=date(2024, 5, 31),
        parts=(
            FigurePart("South and East Asia", 771),
            FigurePart("former Soviet republics", 523),
            FigurePart("Africa", 72),
        ),
    )
    return replace(figure, **changes)


def figure(value, qualifier="exact", **changes) -> FigureFacts:
    return FigureFacts(subject="soldiers", value=value, qualifier=qualifier, **changes)


def claim(text: str, lang: str = "en") -> Quantity:
    found = extract_quantities(text, lang)
    assert len(found) == 1, found
    return found[0]


# -- the seed example, end to end -----------------------------------------------------------


def test_seed_claim_against_seed_figure_gives_the_sentence():
    [check] = check_text(SEED_CLAIM, [seed_figure()], "en")
    assert check.comparison.reason == SEED_SENTENCE


def test_seed_comparison_numbers():
    [check] = check_text(SEED_CLAIM, [seed_figure()], "en")
    result = check.comparison
    assert (result.relation, result.bound) == ("overstates", "at least")
    assert result.ratio == pytest.approx(10_000 / 1_500)
    assert result.details is not None
    assert (result.details.claim_value, result.details.figure_value) == (10_000, 1_500)


def test_seed_breakdown():
    result = breakdown(seed_figure())
    assert (result.accounted, result.remainder, result.exceeds) == (1366, 134, False)
    assert result.remainder_qualifier == "more_than"
    assert result.sentence == (
        "771 (South and East Asia) + 523 (former Soviet republics) + 72 (Africa) = 1,366 "
        "accounted for; at least 134 of the more than 1,500 are not broken down."
    )


def test_parts_above_a_more_than_total_raise_it_instead_of_contradicting_it():
    parts = (FigurePart("South and East Asia", 1771), *seed_figure().parts[1:])
    result = breakdown(seed_figure(parts=parts))
    assert (result.accounted, result.exceeds) == (2366, False)
    assert result.sentence.endswith(": the total (more than 1,500) is at least 2,366.")
    exact = breakdown(seed_figure(parts=parts, qualifier="exact"))
    assert exact.exceeds and "the parts overlap or were counted differently" in exact.sentence


def test_a_claim_naming_a_part_is_checked_against_the_part():
    # It was checked against the total: "understates … more than 1,500 (at least 1.9x higher)".
    checks = check_text(
        "Russia recruited 771 fighters from South and East Asia in Moscow", [seed_figure()], "en"
    )
    assert checks[0].comparison.relation == "consistent"
    assert "reported 771 (South and East Asia, of more than 1,500)" in checks[0].comparison.reason
    [africa] = check_text("In Moscow, 5,000 were recruited from Africa", [seed_figure()], "en")[:1]
    assert (africa.comparison.relation, africa.figure.value) == ("overstates", 72)


def test_a_claim_naming_no_part_is_checked_against_the_total():
    [first, *_] = check_text(SEED_CLAIM, [seed_figure()], "en")
    assert first.figure.part_of is None


def test_seed_in_russian():
    [check] = check_text(
        "Россия завербовала десятки тысяч иностранных добровольцев в Москве",
        [seed_figure(subject="иностранцы завербованы", place="Москва")],
        "ru",
    )
    assert check.comparison.reason == SEED_SENTENCE


# -- both qualifiers count ------------------------------------------------------------------


def test_more_than_is_consistent_with_about_a_bit_more():
    result = compare(claim("more than 1,500"), figure(1600, "about"))
    assert result.relation == "consistent"


def test_tens_of_thousands_is_not_consistent_with_more_than_1500():
    result = compare(claim("tens of thousands"), figure(1500, "more_than"))
    assert result.relation == "overstates"


@pytest.mark.parametrize(
    ("text", "fig", "relation", "bound", "ratio"),
    [
        ("5,000", figure(1500), "overstates", "about", 5000 / 1500),
        ("500", figure(1500), "understates", "about", 3.0),
        ("1,520", figure(1500), "consistent", "about", 1520 / 1500),
        ("about 2,000", figure(1500), "overstates", "about", 2000 / 1500),
        ("about 1,600", figure(1500), "consistent", "about", 1600 / 1500),
        ("more than 5,000", figure(1500), "overstates", "at least", 5000 / 1500),
        ("more than 100", figure(1500), "understates", "at most", 15.0),
        ("more than 1,000", figure(1500), "consistent", "about", 1000 / 1500),
        ("fewer than 300", figure(1500), "understates", "at least", 5.0),
        ("up to 10,000", figure(1500), "overstates", "at most", 10_000 / 1500),
        ("up to 2,000", figure(1500), "consistent", "about", 2000 / 1500),
        ("hundreds", figure(5000), "understates", "at least", 5000 / 999),
        ("thousands", figure(1500), "consistent", "about", 1000 / 1500),
        ("tens of thousands", figure(1500), "overstates", "at least", 10_000 / 1500),
        ("between 2,000 and 3,000", figure(1000), "overstates", "at least", 2.0),
        ("between 200 and 300", figure(1000), "understates", "at least", 1000 / 300),
        ("between 1,000 and 2,000", figure(1500), "consistent", "about", 1000 / 1500),
        ("1,000", figure(1500, "more_than"), "understates", "at least", 1.5),
        ("5,000", figure(1500, "more_than"), "overstates", "at most", 5000 / 1500),
        ("5,000", figure(1500, "about"), "overstates", "about", 5000 / 1500),
        ("100", figure(1500, "less_than"), "understates", "at most", 15.0),
        ("5,000", figure(1200, lower=1000, upper=1500), "overstates", "at least", 5000 / 1500),
        ("500", figure(1200, lower=1000, upper=1500), "understates", "at least", 2.0),
        ("1,400", figure(1200, lower=1000, upper=1500), "consistent", "about", 1400 / 1200),
    ],
)
def test_relation_bound_and_ratio(text, fig, relation, bound, ratio):
    result = compare(claim(text), fig)
    assert (result.relation, result.bound) == (relation, bound)
    assert result.ratio == pytest.approx(ratio)


def test_exact_numbers_allow_for_their_rounding():
    assert compare(claim("1,500"), figure(1540)).relation == "consistent"


def test_exact_numbers_allow_no_more_than_their_rounding():
    assert compare(claim("1,500"), figure(1700)).relation == "understates"


def test_unrounded_numbers_allow_two_percent():
    assert compare(claim("771"), figure(797)).relation == "consistent"
    assert compare(claim("771"), figure(811)).relation == "understates"


def test_tolerance_is_configurable():
    loose = Tolerance(more_than_factor=10)
    result = compare(claim("tens of thousands"), seed_figure(), tolerance=loose)
    assert result.relation == "consistent"


def test_percentages_compare():
    result = compare(claim("between 20 and 25 percent"), figure(10, kind="percent"))
    assert (result.relation, result.ratio) == ("overstates", pytest.approx(2.0))
    # Shares are apart by points; "(at least 2x lower)" read as if 10% were a count.
    assert result.reason == (
        "The claim says between 20% and 25%; the published figure is 10% "
        "(at least 10 percentage points lower)."
    )


def test_money_in_the_same_currency_compares():
    fig = figure(2e9, kind="money", currency="USD", publisher="Kiel Institute")
    result = compare(claim("$2 billion"), fig)
    assert result.relation == "consistent"
    assert "Kiel Institute reported $2 billion" in result.reason


# -- not comparable --------------------------------------------------------------------------


def test_percentage_against_count_is_not_comparable():
    result = compare(claim("15%"), seed_figure())
    assert (result.relation, result.ratio, result.bound) == ("not_comparable", None, None)
    assert result.reason == (
        "The claim gives a percentage (15%) but the figure is a count (more than 1,500), "
        "so the two cannot be compared."
    )


def test_different_currencies_are_not_comparable():
    fig = figure(2e9, kind="money", currency="USD")
    result = compare(claim("2,3 млрд рублей", "ru"), fig)
    assert result.relation == "not_comparable"
    assert result.reason == (
        "The claim is in roubles (2.3 billion roubles) but the figure is in US dollars "
        "($2 billion), so the two cannot be compared."
    )


def test_periods_that_do_not_overlap_are_not_comparable():
    result = compare(claim("1,000"), seed_figure(), extract_period("in 2020"))
    assert result.relation == "not_comparable"
    assert result.reason == (
        "The claim's period (2020) does not overlap the figure's (April 2023 – May 2024), "
        "so the two cannot be compared."
    )


def test_an_open_claim_period_that_overlaps_is_comparable():
    result = compare(claim("1,000"), seed_figure(), extract_period("since February 2022"))
    assert result.relation == "understates"


def test_a_figure_without_period_is_comparable_with_any_claim_period():
    fig = seed_figure(period_start=None, period_end=None)
    assert compare(claim("1,000"), fig, extract_period("in 2020")).relation == "understates"


def test_zero_figure_has_no_ratio():
    result = compare(claim("500"), figure(0))
    assert (result.relation, result.ratio, result.bound) == ("overstates", None, None)


# -- breakdowns ----------------------------------------------------------------------------


def test_parts_exceeding_the_total():
    fig = figure(1500, parts=(FigurePart("army", 1000), FigurePart("navy", 700)))
    result = breakdown(fig)
    assert (result.remainder, result.exceeds) == (-200, True)
    assert result.sentence == (
        "1,000 (army) + 700 (navy) = 1,700, 200 more than the total (1,500): the parts overlap "
        "or were counted differently."
    )


def test_parts_adding_up():
    result = breakdown(figure(1000, parts=(FigurePart("", 600), FigurePart("", 400))))
    assert (result.remainder, result.exceeds) == (0, False)
    assert result.sentence == "600 + 400 = 1,000: the parts account for the whole total (1,000)."


def test_no_parts():
    result = breakdown(figure(1500, "about"))
    assert (result.accounted, result.remainder) == (0, 1500)
    assert result.sentence == "The figure (about 1,500) has no breakdown."


def test_money_parts():
    fig = figure(5e9, kind="money", currency="EUR", parts=(FigurePart("arms", 3e9),))
    assert breakdown(fig).sentence == (
        "€3 billion (arms) = €3 billion accounted for; €2 billion of the €5 billion are not "
        "broken down."
    )


# -- check_text and similarity -------------------------------------------------------------


def test_unrelated_figures_are_skipped():
    unrelated = FigureFacts(subject="grain exports", value=1500, place="Odesa")
    assert check_text(SEED_CLAIM, [unrelated]) == []


def test_a_better_similarity_plugs_in():
    unrelated = FigureFacts(subject="grain exports", value=1500, place="Odesa")
    checks = check_text(SEED_CLAIM, [unrelated], similarity=lambda text, fig: 0.9)
    assert [c.similarity for c in checks] == [0.9]


def test_checks_are_ranked_by_similarity_then_comparability():
    close, far = seed_figure(), seed_figure(subject="foreign volunteers", place="Kursk")
    text = "Moscow recruited 15% more foreign citizens: 5,000 in all"
    checks = check_text(text, [far, close], "en", min_similarity=0)
    assert [(c.figure.place, c.comparison.relation) for c in checks[:2]] == [
        ("Moscow", "overstates"),
        ("Moscow", "not_comparable"),
    ]


@pytest.mark.parametrize("text", ["", "🙂🔥💣", "1234567890", "no numbers at all", "\u00a0"])
def test_check_text_odd_input(text):
    assert isinstance(check_text(text, [seed_figure()]), list)


def test_subject_overlap_latin():
    assert subject_overlap(SEED_CLAIM, seed_figure()) == pytest.approx(0.75)


def test_subject_overlap_cyrillic():
    fig = seed_figure(subject="иностранцы завербованные", place="Москва")
    text = "В Москве завербовали иностранцев"
    assert subject_overlap(text, fig) == pytest.approx(1.0)


def test_subject_overlap_of_an_empty_subject_is_zero():
    assert subject_overlap(SEED_CLAIM, FigureFacts(subject="", value=1)) == 0.0


# -- formatting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (771, "771"),
        (1500, "1,500"),
        (250_000, "250,000"),
        (2.3e6, "2.3 million"),
        (1.5e9, "1.5 billion"),
        (1_234_567, "1,234,567"),
        (12.5, "12.5"),
        (0, "0"),
    ],
)
def test_format_number(value, text):
    assert format_number(value) == text


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ((15, "percent"), "15%"),
        ((2e9, "money", "USD"), "$2 billion"),
        ((500, "money", "EUR"), "€500"),
        ((2.3e9, "money", "RUB"), "2.3 billion roubles"),
        ((500, "money", "UAH"), "500 hryvnias"),
        ((7, "money", "JPY"), "JPY 7"),
    ],
)
def test_format_amount(args, text):
    assert format_amount(*args) == text


@pytest.mark.parametrize(
    ("text", "lang", "words"),
    [
        ("десятки тысяч", "ru", "tens of thousands"),
        ("Zehntausende", "de", "tens of thousands"),
        ("несколько тысяч", "ru", "several thousand"),
        ("Dutzende", "de", "dozens"),
        ("billions of dollars", "en", "billions of US dollars"),
        ("до 30%", "ru", "at most 30%"),
        ("менее 30%", "ru", "less than 30%"),
        ("не более 1000", "ru", "at most 1,000"),
        ("щонайменше 300", "uk", "at least 300"),
        ("rund 1,1 Millionen", "de", "about 1.1 million"),
        ("20–25%", "en", "between 20% and 25%"),
    ],
)
def test_format_quantity_in_english(text, lang, words):
    assert format_quantity(claim(text, lang)) == words


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        (date(2023, 1, 1), date(2023, 12, 31), "2023"),
        (date(2022, 1, 1), date(2023, 12, 31), "2022–2023"),
        (date(2024, 5, 1), date(2024, 5, 31), "May 2024"),
        (date(2023, 4, 1), date(2024, 5, 31), "April 2023 – May 2024"),
        (date(2022, 2, 24), date(2022, 2, 24), "24 February 2022"),
        (date(2022, 2, 24), date(2023, 3, 1), "24 February 2022 – 1 March 2023"),
        (date(2022, 2, 1), None, "since February 2022"),
        (None, date(2024, 5, 31), "until May 2024"),
        (None, None, ""),
    ],
)
def test_format_period(start, end, text):
    assert format_period(start, end) == text


@pytest.mark.parametrize(
    ("ratio", "text"),
    [(10 / 1.5, "6.7x"), (2.0, "2x"), (15.2, "15x"), (1.04, "1.04x"), (1234.0, "1,234x")],
)
def test_format_ratio(ratio, text):
    assert format_ratio(ratio) == text


# -- never an exception ----------------------------------------------------------------------

_VALUES = st.floats(min_value=0, max_value=1e15, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_check_text_never_raises(text):
    for check in check_text(text, [seed_figure()], min_similarity=0):
        assert check.comparison.reason.endswith(".")


@settings(max_examples=300, deadline=None)
@given(
    _VALUES,
    st.one_of(st.none(), _VALUES),
    st.sampled_from(["exact", "more_than", "less_than", "about", "vague", "range"]),
    _VALUES,
    st.sampled_from(["exact", "more_than", "less_than", "about"]),
)
def test_compare_never_raises(value, upper, qualifier, figure_value, figure_qualifier):
    quantity = Quantity(value, upper, qualifier, "count", None, 0, 1, "x")
    result = compare(quantity, figure(figure_value, figure_qualifier))
    assert result.relation in ("consistent", "overstates", "understates")
    assert result.ratio is None or result.ratio > 0


SHAHEDS = FigureFacts(
    subject="Shahed drones launched at Ukraine",
    value=3700,
    qualifier="about",
    period_start=date(2023, 1, 1),
    period_end=date(2023, 12, 31),
    publisher="Ukrainian Air Force",
)


@pytest.mark.parametrize(
    "text",
    [
        "За сутки Россия выпустила по Украине 100 шахедов.",
        "Лише за один день 2023 року Росія випустила 100 шахедів.",
        "Russia launched 100 Shaheds a day at Ukraine in 2023.",
        "Russland feuerte täglich 100 Shahed-Drohnen auf die Ukraine.",
    ],
)
def test_a_number_per_day_is_not_compared_with_a_years_total(text):
    # It "understated" the year's total 37 times; the two count over different spans.
    check = check_text(text, [SHAHEDS], min_similarity=0)[0]
    assert check.comparison.relation == "not_comparable"
    assert check.comparison.reason.startswith("The claim gives a number per day (100)")
    assert "the figure is for 2023 (about 3,700)" in check.comparison.reason


def test_a_number_per_year_is_compared_with_a_years_figure_and_a_total_with_a_rate():
    yearly = check_text(
        "Russia launches 300 Shaheds a year at Ukraine.", [SHAHEDS], min_similarity=0
    )
    assert yearly[0].comparison.relation == "understates"
    # "A year ago" is no rate.
    ago = check_text("A year ago Russia launched 4,000 Shaheds.", [SHAHEDS], min_similarity=0)
    assert ago[0].comparison.relation == "consistent"
    per_day = replace(SHAHEDS, subject="Shahed drones launched per day", value=100,
                      period_start=None, period_end=None)  # fmt: skip
    total = check_text("Russia launched 4,000 Shaheds at Ukraine.", [per_day], min_similarity=0)
    assert total[0].comparison.reason.startswith(
        "The claim gives a total (4,000) but the figure is per day (about 100)"
    )
    daily = check_text("Russia launches 105 Shaheds a day.", [per_day], min_similarity=0)
    assert daily[0].comparison.relation == "consistent"


def test_parts_a_little_above_a_rounded_total_account_for_it():
    # "4 more than the total: the parts overlap" was said of parts of 14,304 and "about 14,300".
    donbas = FigureFacts(
        subject="people killed in Donbas", value=14300, qualifier="about",
        parts=(FigurePart("civilians", 3404), FigurePart("servicemen", 4400),
               FigurePart("armed groups", 6500)),
    )  # fmt: skip
    result = breakdown(donbas)
    assert not result.exceeds and result.remainder == 0
    assert result.sentence.endswith("the parts account for the whole total (about 14,300).")
    exact = replace(donbas, qualifier="exact")
    assert breakdown(exact).exceeds


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("За сутки Россия выпустила 100 шахедов", "day"),
        ("Щомісяця гине 300 осіб", "month"),
        ("Russia loses 900 soldiers a week", "week"),
        ("За день до выборов задержали 300 человек", None),  # a day before: no rate
        ("A year ago 500 people died", None),
        ("За 2023 год погибли 500 человек", None),  # a year named, not a rate
    ],
)
def test_the_span_a_number_is_given_for(text, rate):
    from tracker.xref.rates import rate_near

    quantity = extract_quantities(text)[0]
    assert rate_near(text, quantity) == rate


def test_a_claim_period_mostly_outside_the_figures_is_not_compared():
    # "В 2024 году … 10 тысяч" was said to overstate the April 2023 – May 2024 figure,
    # though 7 of its 12 months lie after it.
    outside = check_text(
        "В 2024 году в Москве завербовали 10 тысяч иностранцев", [seed_figure()], min_similarity=0
    )[0]
    assert outside.comparison.relation == "not_comparable"
    assert "lies mostly outside the figure's (April 2023 – May 2024)" in outside.comparison.reason
    inside = check_text(
        "In 2023 Moscow recruited 20,000 foreigners", [seed_figure()], min_similarity=0
    )[0]
    assert inside.comparison.relation == "overstates"
