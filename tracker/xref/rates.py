"""Numbers per day, week, month or year: "100 drones a day", "за сутки", "щомісяця".

A claim's "100 Shaheds in one day" and a figure's "about 3,700 in 2023" count the same things
over different spans: compared as they stand, the claim "understated" the figure 37 times.
``rate_near(text, quantity)`` finds the span a claim's number is given for, in its own
clause; ``rate_in_words`` the one a figure's unit or subject names ("per day"), and
``spans_about`` whether a figure's period is about that long. Numbers for different spans are
not compared.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from tracker.xref.quantities import Quantity

Rate = Literal["day", "week", "month", "year"]

# Each span's words in English, Russian, Ukrainian and German. "A year" is a rate, not "a
# year ago", nor "за день до выборов" (a day before); "за год" is "in a year", not "за 2023
# год" (a number stands between them).
_WORDS: dict[Rate, str] = {
    "day": (
        r"per day|a day|each day|every day|daily|in (?:a|one) (?:single )?day|a single day|"
        r"за сутки|в сутки|за день|в день|за один день|каждый день|ежедневно|ежесуточно|"
        r"за добу|на добу|щодня|щоденно|кожного дня|кожен день|"
        r"pro tag|am tag|täglich|an einem tag"
    ),
    "week": (
        r"per week|a week|each week|every week|weekly|"
        r"в неделю|за неделю|каждую неделю|еженедельно|"
        r"на тиждень|за тиждень|щотижня|щотижнево|кожного тижня|"
        r"pro woche|in der woche|wöchentlich"
    ),
    "month": (
        r"per month|a month|each month|every month|monthly|"
        r"в месяц|за месяц|каждый месяц|ежемесячно|"
        r"на місяць|за місяць|щомісяця|щомісячно|кожного місяця|"
        r"pro monat|im monat|monatlich"
    ),
    "year": (
        r"per year|a year|each year|every year|annually|per annum|yearly|"
        r"в год|за год|каждый год|ежегодно|"
        r"на рік|за рік|щороку|щорічно|кожного року|"
        r"pro jahr|im jahr|jährlich"
    ),
}
_RATE = re.compile(
    r"(?<![^\W\d_])(?:"
    + "|".join(f"(?P<{rate}>{words})" for rate, words in _WORDS.items())
    + r")(?![^\W\d_])(?!\s+(?:ago|later|after|before|earlier|назад|тому|до|перед|спустя|після)\b)",
    re.IGNORECASE,
)
# A clause ends at these: "100 a day. In 2023, 3,700" gives the rate to the 100 alone.
_CLAUSE_END = re.compile(r"[.;!?\n]|,\s+(?:а|но|але|but|while|whereas|aber)\s")
_REACH = 60
# How long each span is, and how much longer or shorter a figure's period may be to be
# compared with a number for it: "за год" (in a year) against April 2023 – May 2024 is.
_DAYS: dict[Rate, float] = {"day": 1, "week": 7, "month": 30.44, "year": 365.25}
_SPAN_FACTOR = 2.0


def rate_near(text: str, quantity: Quantity) -> Rate | None:
    """The span the claim gives QUANTITY for, when its clause says one ("за сутки", "a day")."""
    start = max(0, quantity.start - _REACH)
    before = text[start : quantity.start]
    ends = list(_CLAUSE_END.finditer(before))
    if ends:
        start += ends[-1].end()
    end = min(len(text), quantity.end + _REACH)
    after = _CLAUSE_END.search(text, quantity.end, end)
    if after:
        end = after.start()
    found = _RATE.search(text[start:end])
    return _rate_of(found)


def rate_in_words(words: str | None) -> Rate | None:
    """The span a figure's unit or subject names ("drones launched per day")."""
    return _rate_of(_RATE.search(words or ""))


def spans_about(rate: Rate, start: date | None, end: date | None) -> bool:
    """Whether a closed period is about as long as RATE's span (half to twice as long)."""
    if start is None or end is None:
        return False
    ratio = ((end - start).days + 1) / _DAYS[rate]
    return 1 / _SPAN_FACTOR <= ratio <= _SPAN_FACTOR


_RATES: dict[str | None, Rate] = {rate: rate for rate in _DAYS}


def _rate_of(found: re.Match[str] | None) -> Rate | None:
    return _RATES.get(found.lastgroup) if found else None
