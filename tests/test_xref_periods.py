"""extract_period: the period test set (our spec) plus targeted and adversarial cases."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.xref_support import load_jsonl
from tracker.xref.periods import Period, extract_period

PERIODS = load_jsonl("periods.jsonl")


def _as_row(period: Period | None) -> dict[str, str | None] | None:
    if period is None:
        return None
    return {
        "start": period.start.isoformat() if period.start else None,
        "end": period.end.isoformat() if period.end else None,
        "text": period.text,
    }


def test_data_set_has_enough_cases():
    assert len(PERIODS) >= 25
    assert {"en", "ru", "uk", "de", "fr"} <= {record["lang"] for record in PERIODS}


@pytest.mark.parametrize("record", PERIODS, ids=[r["id"] for r in PERIODS])
def test_period_case(record):
    assert _as_row(extract_period(record["text"], record["lang"])) == record["expected"]


@pytest.mark.parametrize("record", PERIODS, ids=[r["id"] for r in PERIODS])
def test_period_offsets_slice_the_span(record):
    period = extract_period(record["text"])
    if period is not None:
        assert record["text"][period.span_start : period.span_end] == period.text


def test_seed_period():
    period = extract_period("from April 2023 to the end of May 2024")
    assert period is not None
    assert (period.start, period.end) == (date(2023, 4, 1), date(2024, 5, 31))


def test_open_end_is_none():
    period = extract_period("since February 2022")
    assert period is not None
    assert (period.start, period.end) == (date(2022, 2, 1), None)


def test_year_is_borrowed_backwards_across_new_year():
    period = extract_period("from November to February 2024")
    assert period is not None
    assert (period.start, period.end) == (date(2023, 11, 1), date(2024, 2, 29))


@pytest.mark.parametrize(
    "text",
    [
        "since February",
        "с апреля по май",
        "last year",
        "the 2023 report",
        "on 30 February 2023",
        "in 2500",
        "more than 1,500 recruits",
    ],
)
def test_no_period(text):
    assert extract_period(text) is None


def test_a_range_wins_over_an_earlier_single_year():
    period = extract_period("In 2024 they said that from April to May 2023 prices rose")
    assert period is not None
    assert period.text == "from April to May 2023"


def test_second_half_of_a_year():
    period = extract_period("in the second half of 2023")
    assert period is not None
    assert (period.start, period.end) == (date(2023, 7, 1), date(2023, 12, 31))


def test_numeric_dates():
    period = extract_period("between 24.02.2022 and 01.03.2023")
    assert period is not None
    assert (period.start, period.end) == (date(2022, 2, 24), date(2023, 3, 1))


@pytest.mark.parametrize("text", ["", " ", "🙂🔥", "2023", "1234567890", "May", "\n"])
def test_odd_input_never_raises(text):
    extract_period(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises_and_offsets_slice_the_span(text):
    period = extract_period(text)
    if period is not None:
        assert text[period.span_start : period.span_end] == period.text
        assert period.start is not None or period.end is not None
        if period.start and period.end:
            assert period.start <= period.end


WRITTEN = date(2026, 3, 15)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Russia recruited 50,000 foreigners last year.", date(2025, 1, 1), date(2025, 12, 31)),
        ("В прошлом году завербовали 20 тысяч", date(2025, 1, 1), date(2025, 12, 31)),
        ("Торік у Москві завербували 20 тисяч", date(2025, 1, 1), date(2025, 12, 31)),
        ("за минулий рік", date(2025, 1, 1), date(2025, 12, 31)),
        ("Letztes Jahr kamen 5.000", date(2025, 1, 1), date(2025, 12, 31)),
        ("l'année dernière", date(2025, 1, 1), date(2025, 12, 31)),
        ("this year alone 5,000", date(2026, 1, 1), WRITTEN),
        ("в этом году", date(2026, 1, 1), WRITTEN),
        ("over the past 12 months", date(2025, 3, 15), WRITTEN),
        ("за последний год", date(2025, 3, 15), WRITTEN),
        ("last month", date(2026, 2, 1), date(2026, 2, 28)),
        # An absolute period in the same text wins over a relative one.
        ("in 2023, and more last year", date(2023, 1, 1), date(2023, 12, 31)),
    ],
)
def test_relative_periods_are_resolved_against_when_the_text_was_written(text, start, end):
    period = extract_period(text, reference=WRITTEN)
    assert period is not None and (period.start, period.end) == (start, end)


@pytest.mark.parametrize("text", ["last year", "в прошлом году", "торік", "this year"])
def test_relative_periods_are_never_guessed_without_a_date(text):
    assert extract_period(text) is None


def test_a_word_that_only_starts_like_a_relative_period_is_not_one():
    assert extract_period("the last yearly report", reference=WRITTEN) is None
