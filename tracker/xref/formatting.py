"""Numbers, quantities, figures and periods written the way English readers write them.

1,500 · 2.3 million · 15% · 12.5% · $2 billion · €500 · 2.3 billion roubles · more than
1,500 · tens of thousands · between 20% and 25% · April 2023 – May 2024 · since February 2022.
"""

from __future__ import annotations

import math
from datetime import date

from tracker.xref._calendar import month_end
from tracker.xref._figure_model import FigureFacts
from tracker.xref.quantities import Quantity

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_PREFIX_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}
CURRENCY_NAMES = {
    "USD": "US dollars",
    "EUR": "euros",
    "GBP": "pounds sterling",
    "RUB": "roubles",
    "UAH": "hryvnias",
    "CHF": "Swiss francs",
}
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_VAGUE_BASES = (
    (10, "tens"),
    (100, "hundreds"),
    (1e3, "thousands"),
    (1e4, "tens of thousands"),
    (1e5, "hundreds of thousands"),
    (1e6, "millions"),
    (1e7, "tens of millions"),
    (1e8, "hundreds of millions"),
    (1e9, "billions"),
    (1e10, "tens of billions"),
    (1e11, "hundreds of billions"),
)
_SEVERAL = ((100, "hundred"), (1e3, "thousand"), (1e5, "hundred thousand"), (1e6, "million"))


def _plain(value: float, decimals: int = 2) -> str:
    """1500 -> "1,500"; 12.5 -> "12.5"; 2.30 -> "2.3" (no trailing zeros)."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_number(value: float) -> str:
    """A bare number: 771, 1,500, 250,000, 2.3 million, 1.5 billion, 1,234,567."""
    magnitude = abs(value)
    for scale, word in _SCALES:
        if magnitude >= scale:
            scaled = value / scale
            # Use a scale word only when it does not hide digits ("2.3 million", not
            # "1.23 million" for 1,234,567).
            if math.isclose(round(scaled, 2), scaled, rel_tol=1e-9, abs_tol=1e-9):
                return f"{_plain(scaled)} {word}"
            break
    return _plain(value)


def format_amount(value: float, kind: str = "count", currency: str | None = None) -> str:
    """A number with its unit: "1,500", "15%", "$2 billion", "2.3 billion roubles"."""
    number = format_number(value)
    if kind == "percent":
        return f"{number}%"
    if kind == "money" and currency:
        symbol = _PREFIX_SYMBOLS.get(currency)
        if symbol:
            return f"-{symbol}{number[1:]}" if number.startswith("-") else f"{symbol}{number}"
        name = CURRENCY_NAMES.get(currency)
        return f"{number} {name}" if name else f"{currency} {number}"
    return number


def vague_phrase(low: float, high: float, kind: str = "count", currency: str | None = None) -> str:
    """English words for a vague interval: (10,000, 99,999) -> "tens of thousands"."""
    phrase = None
    if (low, high) == (12, 99):
        phrase = "dozens"
    elif (low, high) == (24, 99):
        phrase = "several dozen"
    for base, words in _VAGUE_BASES:
        if phrase is None and (low, high) == (base, base * 10 - 1):
            phrase = words
    for base, words in _SEVERAL:
        if phrase is None and (low, high) == (base * 2, base * 10 - 1):
            phrase = f"several {words}"
    if phrase is None:
        low_text, high_text = (
            format_amount(low, kind, currency),
            format_amount(high, kind, currency),
        )
        return f"between {low_text} and {high_text}"
    if kind == "money" and currency:
        return f"{phrase} of {CURRENCY_NAMES.get(currency, currency)}"
    if kind == "percent":
        return f"{phrase} of percent"
    return phrase


def _qualified(
    qualifier: str, value: float, upper: float | None, kind: str, currency: str | None
) -> str:
    amount = format_amount(value, kind, currency)
    if qualifier == "vague" and upper is not None:
        return vague_phrase(value, upper, kind, currency)
    if qualifier == "range" and upper is not None:
        return f"between {amount} and {format_amount(upper, kind, currency)}"
    if qualifier == "more_than":
        return f"more than {amount}"
    if qualifier == "less_than":
        return f"{'fewer' if kind == 'count' else 'less'} than {amount}"
    if qualifier == "about":
        return f"about {amount}"
    return amount


# Qualifiers that include their number: "не более 1000" is at most 1,000, not "fewer than".
# Each ends with a space, as the quantity's words are matched against them.
_AT_MOST = tuple(
    f"{phrase} "
    for phrase in (
        "no more than", "not more than", "at most", "a maximum of", "up to", "не более",
        "не больше", "максимум", "вплоть до", "не більше", "не більш", "höchstens", "maximal",
        "nicht mehr als", "bis zu", "au plus", "pas plus de", "до", "аж до", "jusqu'à",
    )
)  # fmt: skip
_AT_LEAST = tuple(
    f"{phrase} "
    for phrase in (
        "at least", "no fewer than", "no less than", "not less than", "a minimum of",
        "не менее", "не меньше", "как минимум", "минимум", "по меньшей мере", "щонайменше",
        "не менше", "не менш", "як мінімум", "мінімум", "mindestens", "wenigstens", "au moins",
        "pas moins de",
    )
)  # fmt: skip


def format_quantity(quantity: Quantity) -> str:
    """A claim's quantity in English: "tens of thousands", "more than $2 billion", "15%",
    "at most 1,000" (for "не более 1000")."""
    words = " ".join(quantity.text.lower().split()) + " "
    amount = format_amount(quantity.value, quantity.kind, quantity.currency)
    if quantity.qualifier == "less_than" and words.startswith(_AT_MOST):
        return f"at most {amount}"
    if quantity.qualifier == "more_than" and words.startswith(_AT_LEAST):
        return f"at least {amount}"
    return _qualified(
        quantity.qualifier, quantity.value, quantity.upper, quantity.kind, quantity.currency
    )


def format_figure(figure: FigureFacts) -> str:
    """A figure's number in English: "more than 1,500", "between 20% and 25%"."""
    if figure.lower is not None and figure.upper is not None:
        return _qualified("range", figure.lower, figure.upper, figure.kind, figure.currency)
    if figure.lower is not None:
        return _qualified("more_than", figure.lower, None, figure.kind, figure.currency)
    if figure.upper is not None:
        return _qualified("less_than", figure.upper, None, figure.kind, figure.currency)
    return _qualified(figure.qualifier, figure.value, None, figure.kind, figure.currency)


def _renderings(day: date) -> tuple[str, str, str]:
    """A date as year, month and year, and day month year: "2024", "May 2024", "3 May 2024"."""
    month = f"{_MONTHS[day.month - 1]} {day.year}"
    return str(day.year), month, f"{day.day} {month}"


def format_period(start: date | None, end: date | None) -> str:
    """A period as readers write it.

    "2023", "2022–2023", "May 2024", "April 2023 – May 2024", "24 February 2022",
    "since February 2022", "until May 2024"; an empty string when both ends are open.
    """
    if start is None:
        return "" if end is None else "until " + _granular(end, start_of_unit=False)
    if end is None:
        return "since " + _granular(start, start_of_unit=True)
    whole_months = start.day == 1 and end == month_end(end.year, end.month)
    if whole_months and start.month == 1 and end.month == 12:
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if whole_months:
        first, last = _renderings(start)[1], _renderings(end)[1]
        return first if first == last else f"{first} – {last}"
    first, last = _renderings(start)[2], _renderings(end)[2]
    return first if first == last else f"{first} – {last}"


def _granular(day: date, *, start_of_unit: bool) -> str:
    """An open end at the coarsest precision that is exact for it."""
    year, month, full = _renderings(day)
    if start_of_unit:
        if (day.month, day.day) == (1, 1):
            return year
        return month if day.day == 1 else full
    if (day.month, day.day) == (12, 31):
        return year
    return month if day == month_end(day.year, day.month) else full


def format_ratio(ratio: float) -> str:
    """6.666 -> "6.7x"; 2.0 -> "2x"; 15.2 -> "15x"; 1.04 -> "1.04x"."""
    if ratio >= 10:
        return f"{_plain(round(ratio), 0)}x"
    text = _plain(ratio, 1)
    if text == "1":
        text = _plain(ratio, 2)
    return f"{text}x"
