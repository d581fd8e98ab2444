"""Reading dates written in the many ways markup and spreadsheets write them.

Rules, in order:

1. ISO 8601 (``2020-07-05``, ``2020-07-05T10:00:00+05:30``, ``2020-08-31 17:22:16``,
   ``...Z``): the calendar date AS WRITTEN is kept. A time zone is not converted to UTC,
   because the publisher's own date is the one readers see ("2020-07-05T01:00+05:30" is
   5 July in India although it is 4 July in UTC).
2. Explicit ``formats`` given by the caller (``strptime`` patterns, e.g. a mapping's
   ``"%d.%m.%Y"``) are tried before the guesses below.
3. Numbers separated by dots (``03.10.2017``) are day first: that is the convention
   everywhere dots are used (German, Russian, Czech...).
4. Numbers separated by ``/`` or ``-`` with the year last: when one of the first two parts
   is over 12 the order is clear; when both parts are equal it does not matter; otherwise
   (``05/07/2020``) the date is AMBIGUOUS and is left empty with a warning, unless the
   caller says ``dayfirst=True`` or ``False`` (a mapping can, for a known source).
5. Month names in English (``July 5, 2020``, ``5 Jul 2020``) through dateutil; a text
   that lacks the day, month or year is refused rather than completed with today's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from dateutil import parser as dateutil_parser

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T ]\d)")
_YMD = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})$")
_HAS_LETTER = re.compile(r"[^\W\d_]")
MIN_YEAR = 1900


@dataclass(frozen=True)
class DateResult:
    """A parsed date, or why there is none. ``warning`` is set when a repair was made."""

    value: date | None
    error: str | None = None
    warning: str | None = None


def parse_date(
    raw: object, *, formats: Sequence[str] = (), dayfirst: bool | None = None
) -> DateResult:
    """Parse RAW (normally a string) into a ``date`` following the module's rules."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return DateResult(None)
    if isinstance(raw, datetime):
        return _checked(raw.date(), None)
    if isinstance(raw, date):
        return _checked(raw, None)
    if not isinstance(raw, str):
        return DateResult(None, error=f"not a date: {_show(raw)}")
    text = raw.strip()
    for fmt in formats:
        try:
            return _checked(datetime.strptime(text, fmt).date(), None)
        except ValueError:
            continue
    if match := _ISO.match(text):
        return _parse_iso(text, match)
    if match := _YMD.match(text):
        year, month, day = (int(g) for g in match.groups())
        return _make(year, month, day, text)
    if match := _NUMERIC.match(text):
        return _parse_numeric(text, match, dayfirst)
    if _HAS_LETTER.search(text):
        return _parse_words(text)
    return DateResult(None, error=f"not a date: {_show(text)}")


def _parse_iso(text: str, match: re.Match[str]) -> DateResult:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        # The date part is sound but the time is not (e.g. "2020-07-05T25:00"): keep
        # the date, say so.
        year, month, day = (int(g) for g in match.groups())
        result = _make(year, month, day, text)
        if result.value is None:
            return result
        return DateResult(result.value, warning=f"time part of {_show(text)} ignored")
    return _checked(parsed.date(), None)


def _parse_numeric(text: str, match: re.Match[str], dayfirst: bool | None) -> DateResult:
    first, sep, second, year_text = match.groups()
    a, b = int(first), int(second)
    year = int(year_text)
    if len(year_text) == 2:
        return DateResult(None, error=f"two-digit year in {_show(text)}")
    if sep == ".":
        return _make(year, b, a, text)
    if a > 12 or a == b:
        return _make(year, b, a, text)
    if b > 12:
        return _make(year, a, b, text)
    if dayfirst is None:
        return DateResult(
            None,
            error=(f"ambiguous date {_show(text)}: day {a} of month {b} or day {b} of month {a}"),
        )
    day, month = (a, b) if dayfirst else (b, a)
    return _make(year, month, day, text)


def _parse_words(text: str) -> DateResult:
    # Two different defaults reveal a part that dateutil would silently fill in.
    try:
        one = dateutil_parser.parse(text, default=datetime(2001, 1, 1))
        two = dateutil_parser.parse(text, default=datetime(2002, 2, 2))
    except (ValueError, OverflowError):
        return DateResult(None, error=f"not a date: {_show(text)}")
    if one.date() != two.date():
        return DateResult(None, error=f"incomplete date {_show(text)}: day, month or year missing")
    return _checked(one.date(), None)


def _make(year: int, month: int, day: int, text: str) -> DateResult:
    try:
        return _checked(date(year, month, day), None)
    except ValueError:
        return DateResult(None, error=f"no such day: {_show(text)}")


def _checked(value: date, warning: str | None) -> DateResult:
    if value.year < MIN_YEAR:
        return DateResult(None, error=f"implausible year {value.year}")
    return DateResult(value, warning=warning)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
