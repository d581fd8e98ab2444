"""Periods in claims and figures: "from April 2023 to the end of May 2024", "в 2023 году".

``extract_period(text, lang=None)`` returns the period a text talks about, or None. Ranges
("between April 2023 and May 2024", "с апреля 2023 по май 2024", "April 2023 – May 2024")
win over open periods ("since February 2022", "by the end of May 2024"), which win over
single months, years and days ("in 2023", "im März 2022", "on 24 February 2022"); among
equals the first in the text wins.

A year is never invented: "from April to May 2024" borrows 2024 from its own end, but
"since February" and "last year" give None. A bare year without a preposition ("the 2023
report") is not taken as a period.

Relative periods ("last year", "в прошлом году", "торік", "this year", "over the past 12
months", "last month") need to know when the text was written: with ``reference`` (the
claim's first appearance, or today for a text checked now) they are resolved against it,
after any absolute period in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.xref._calendar import MONTH_RE, month_end, month_number
from tracker.xref._lexicon import COUNT_NOUN_AFTER, SP, YEAR_WORD, is_year

__all__ = ["Period", "extract_period"]


@dataclass(frozen=True, slots=True)
class Period:
    """A period with inclusive ``start`` and ``end`` dates; one of them may be open (None).

    ``span_start``/``span_end`` are the character offsets of ``text`` in the source.
    """

    start: date | None
    end: date | None
    span_start: int
    span_end: int
    text: str


_S = SP + "+"
_AND_WORDS = frozenset({"and", "и", "і", "та", "und", "et"})
_YEARS_WORD = r"(?:годах|годы|годов|гг\.|роках|роки|років|рр\.)(?![^\W\d_])"
_EDGE = (
    rf"(?:(?:the{_S})?(?P<{{p}}end>end{_S}of|конц[аеу]|конец|кін(?:ця|ець|ці)|ende|fin{_S}(?:de{_S})?)"
    rf"|(?:the{_S})?(?P<{{p}}begin>(?:beginning|start){_S}of|начал[аоуе]|початку|початок|anfang|"
    rf"début{_S}(?:de{_S})?)){_S}"
)
_POINT = (
    "(?:" + _EDGE + ")?(?:"
    rf"(?P<{{p}}d>\d{{1,2}})(?:st|nd|rd|th|er|\.)?{_S}(?:of{_S})?(?P<{{p}}m>{MONTH_RE})"
    rf"(?:,?{_S}(?P<{{p}}y>\d{{4}}))?"
    rf"|(?P<{{p}}m2>{MONTH_RE}){_S}(?P<{{p}}d2>\d{{1,2}})(?:st|nd|rd|th)?,?{_S}(?P<{{p}}y2>\d{{4}})"
    rf"|(?P<{{p}}m3>{MONTH_RE})(?:,?{_S}(?P<{{p}}y3>\d{{4}}))?"
    rf"|(?P<{{p}}dd>\d{{1,2}})\.(?P<{{p}}mm>\d{{1,2}})\.(?P<{{p}}y4>\d{{4}})"
    rf"|(?<![\d.,])(?P<{{p}}y5>\d{{4}})"
    rf")(?![\d])(?:{_S}{YEAR_WORD})?"
)


def _point(prefix: str) -> str:
    return _POINT.replace("{p}", prefix)


_RANGE = re.compile(
    rf"(?<![^\W\d_])(?:(?P<between>between|между|між|zwischen|entre){_S}"
    rf"|(?P<from>from|с|со|з|із|зі|от|від|von|de){_S}|(?P<from2>d['’])"
    rf"|(?P<within>in|during|throughout|for|в|во|за|у|протягом|im|en){_S})?"
    + _point("a")
    + rf"(?:{_S}(?P<join>to|till|until|through|and|по|до|и|і|та|bis|und|à|au|et){_S}"
    rf"|{SP}*(?P<dash>[-–—‒]){SP}*)" + _point("b") + rf"(?:{_S}{_YEARS_WORD})?",
    re.IGNORECASE,
)
_SINCE = re.compile(
    rf"(?<![^\W\d_])(?:since|from|starting{_S}(?:from|in)|с|со|з|із|зі|від|seit|ab|depuis|"
    rf"à{_S}partir{_S}de){_S}" + _point("a"),
    re.IGNORECASE,
)
_UNTIL = re.compile(
    rf"(?<![^\W\d_])(?:until|till|by|through|up{_S}to|до|по|bis|jusqu['’](?:en|à|au)){_S}"
    + _point("b"),
    re.IGNORECASE,
)
_HALF = (
    rf"(?:(?:the{_S})?(?P<half>first|second){_S}half{_S}of{_S}"
    rf"|(?P<halfru>первой|второй|першій|другій){_S}половин[еіи]{_S}"
    rf"|(?P<halfde>ersten|zweiten){_S}halbjahr{_S})"
)
_IN = re.compile(
    rf"(?<![^\W\d_])(?:in{_S}the{_S}year|in|during|throughout|for|on|в|во|за|у|протягом|"
    rf"в{_S}течение|на{_S}протяжении|im{_S}jahre?|im|am|während|en|le|pendant|durant|"
    rf"au{_S}cours{_S}de){_S}(?:{_HALF})?" + _point("a"),
    re.IGNORECASE,
)
_BARE = re.compile(_point("a"), re.IGNORECASE)
_HALF_SECOND = {"second", "второй", "другій", "zweiten"}
_YEARS_AFTER = re.compile(rf"{_YEARS_WORD}$", re.IGNORECASE)
# A quarter of a year: "Q1 2024", "the first quarter of 2024", "в первом квартале 2024 года".
_QUARTER_WORDS = {
    "1": 1, "first": 1, "перв": 1, "перш": 1, "ersten": 1,
    "2": 2, "second": 2, "втор": 2, "друг": 2, "zweiten": 2,
    "3": 3, "third": 3, "трет": 3, "dritten": 3,
    "4": 4, "fourth": 4, "четверт": 4, "vierten": 4,
    "i": 1, "ii": 2, "iii": 3, "iv": 4,
}  # fmt: skip
_QUARTER = re.compile(
    rf"(?<![^\W\d_])(?:Q(?P<q>[1-4]){_S}(?:of{_S})?"
    rf"|(?:the{_S})?(?P<en>first|second|third|fourth){_S}quarter{_S}(?:of{_S})?"
    rf"|(?:в{_S}|у{_S})?(?P<slav>перв|втор|трет|четверт|перш|друг)\w*{_S}квартал\w*{_S}"
    rf"|(?:в{_S}|у{_S})?(?P<roman>IV|I{{1,3}}){_S}(?:квартал\w*|quarter{_S}(?:of{_S})?){_S}"
    rf"|(?:im{_S})?(?P<de>ersten|zweiten|dritten|vierten){_S}quartal{_S})"
    rf"(?P<y>\d{{4}})(?![\d])(?:{_S}{YEAR_WORD})?",
    re.IGNORECASE,
)
# A decade: "в 1990-х годах", "у 1990-х роках", "in the 1990s", "in den 1990er Jahren".
_DECADE_SUFFIX = r"(?:-?(?:х|е|ые|их|ті|тих)|s|er)(?![^\W\d_])"
_DECADE = re.compile(r"(?<![\d])(?P<y>1[89]\d0|20\d0)" + _DECADE_SUFFIX, re.IGNORECASE)
_DECADE_TAIL = re.compile(_DECADE_SUFFIX, re.IGNORECASE)
# A season of a year (winter, which spans two years, is left out): "летом 2023", "влітку
# 2023 року", "in the summer of 2023", "im Sommer 2023".
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11)}
_SEASON = re.compile(
    rf"(?<![^\W\d_])(?:(?P<spring>весной|навесні|spring|frühling|frühjahr)"
    rf"|(?P<summer>летом|влітку|улітку|summer|sommer)"
    rf"|(?P<autumn>осенью|восени|autumn|fall|herbst))"
    rf"{_S}(?:(?:of|des|im){_S})?(?P<y>\d{{4}})(?![\d])",
    re.IGNORECASE,
)
# A date written with digits alone is a day, preposition or not: "24.02.2022 загинули 40",
# "2022-02-24".
_NUMERIC_DAY = re.compile(
    r"(?<![\d.])(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?![\d])"
    r"|(?<![\d-])(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})(?![\d])"
)


def _interval(match: re.Match[str], p: str, year: int | None = None) -> tuple[date, date] | None:
    """First and last day of a point; None without a usable year."""
    g = match.groupdict()
    day = g[p + "d"] or g[p + "d2"] or g[p + "dd"]
    month_name = g[p + "m"] or g[p + "m2"] or g[p + "m3"]
    month = month_number(month_name) if month_name else (int(g[p + "mm"]) if g[p + "mm"] else None)
    raw_year = g[p + "y"] or g[p + "y2"] or g[p + "y3"] or g[p + "y4"] or g[p + "y5"]
    year = int(raw_year) if raw_year else year
    if year is None or not is_year(year):
        return None
    try:
        if month is None:
            first, last = date(year, 1, 1), date(year, 12, 31)
        elif day is None:
            first, last = date(year, month, 1), month_end(year, month)
        else:
            first = last = date(year, month, int(day))
    except ValueError:
        return None
    if g[p + "end"]:
        return last, last
    if g[p + "begin"]:
        return first, first
    return first, last


def _has_year(match: re.Match[str], p: str) -> bool:
    g = match.groupdict()
    return any(g[p + k] for k in ("y", "y2", "y3", "y4", "y5"))


def _month_of(match: re.Match[str], p: str) -> int | None:
    g = match.groupdict()
    name = g[p + "m"] or g[p + "m2"] or g[p + "m3"]
    return month_number(name) if name else None


# A list of years that a plural "years" word closes: "в 2022, 2023 и 2024 годах" is all three
# (the range below took the last two).
_YEAR_LIST = re.compile(
    rf"(?<![^\W\d_])(?:(?:в|во|у|in){_S})?(?P<first>\d{{4}})(?:,{SP}*\d{{4}})+,?{_S}"
    rf"(?:и|і|та|й|and|und){_S}(?P<last>\d{{4}}){_S}{_YEARS_WORD}",
    re.IGNORECASE,
)


def _ranges(text: str) -> list[tuple[int, int, date | None, date | None]]:
    found: list[tuple[int, int, date | None, date | None]] = []
    for m in _YEAR_LIST.finditer(text):
        first, last = int(m["first"]), int(m["last"])
        if is_year(first) and is_year(last) and first <= last:
            found.append((m.start(), m.end(), date(first, 1, 1), date(last, 12, 31)))
    for m in _RANGE.finditer(text):
        word = (m["join"] or "").lower()
        # "в 2022 и 2023 годах" and "in 2022 and 2023" are both years; "April and May" alone
        # is no range.
        both_years = word in _AND_WORDS and bool(
            _YEARS_AFTER.search(m.group()) or (m["within"] and m["ay5"] and m["by5"])
        )
        if word in _AND_WORDS and not m["between"] and not both_years:
            continue
        if m["between"] and word not in _AND_WORDS:
            continue
        if m["within"] and not m["dash"] and not both_years:
            continue
        if m["dash"] and not (
            _has_year(m, "b") and (_has_year(m, "a") or (_month_of(m, "a") and _month_of(m, "b")))
        ):
            continue  # a dash joins two years, or two months of a year ("феврале-марте 2023")
        end = _interval(m, "b")
        if end is None:
            continue
        year = end[1].year
        month_a, month_b = _month_of(m, "a"), _month_of(m, "b")
        if not _has_year(m, "a") and month_a and month_b and month_a > month_b:
            year -= 1  # "from November to February 2024"
        start = _interval(m, "a", year)
        if start is None or start[0] > end[1]:
            continue
        found.append((m.start(), m.end(), start[0], end[1]))
    return found


# "от 1000 до 2000 иностранцев": "до 2000" ends a range of counts that starts with a number
# no year is (a year starts a period: "с 1990 до 2000 года").
_COUNT_FROM = re.compile(
    rf"(?<![^\W\d_])(?:from|от|від|з|із|с|со|von|de){_S}(?P<count>\d[\d.,\u00a0\u202f ]*?){SP}*$",
    re.IGNORECASE,
)


def _ends_a_count_range(text: str, start: int) -> bool:
    before = _COUNT_FROM.search(text, max(0, start - 30), start)
    if before is None:
        return False
    digits = before["count"].strip()
    return not (digits.isdigit() and len(digits) == 4 and is_year(int(digits)))


def _open(text: str) -> list[tuple[int, int, date | None, date | None]]:
    found: list[tuple[int, int, date | None, date | None]] = []
    for m in _SINCE.finditer(text):
        point = _interval(m, "a")
        if point:
            found.append((m.start(), m.end(), point[0], None))
    for m in _UNTIL.finditer(text):
        point = _interval(m, "b")
        counted = COUNT_NOUN_AFTER.match(text, m.end())  # "до 2000 человек": a count
        if point and not _ends_a_count_range(text, m.start()) and not counted:
            found.append((m.start(), m.end(), None, point[1]))
    return found


def _singles(text: str) -> list[tuple[int, int, date | None, date | None]]:
    found: list[tuple[int, int, date | None, date | None]] = []
    for m in _IN.finditer(text):
        point = _interval(m, "a")
        if point is None or _DECADE_TAIL.match(text, m.end()):
            continue  # "в 1990-х" is the decade, not 1990
        first, last = point
        if (m["half"] or m["halfru"] or m["halfde"]) and first.month == 1 and last.month == 12:
            second = (m["half"] or m["halfru"] or m["halfde"]).lower() in _HALF_SECOND
            if second:
                first = date(first.year, 7, 1)
            else:
                last = date(first.year, 6, 30)
        found.append((m.start(), m.end(), first, last))
    for m in _BARE.finditer(text):
        if (m["am"] or m["am2"] or m["am3"]) and _has_year(m, "a"):
            point = _interval(m, "a")
            if point:
                found.append((m.start(), m.end(), point[0], point[1]))
    for m in _QUARTER.finditer(text):
        quarter = _QUARTER_WORDS[(m["q"] or m["en"] or m["slav"] or m["de"] or m["roman"]).lower()]
        year = int(m["y"])
        if is_year(year):
            first_month = 3 * quarter - 2
            last = month_end(year, first_month + 2)
            found.append((m.start(), m.end(), date(year, first_month, 1), last))
    for m in _DECADE.finditer(text):
        first_year = int(m["y"])
        found.append((m.start(), m.end(), date(first_year, 1, 1), date(first_year + 9, 12, 31)))
    for m in _SEASON.finditer(text):
        season = next(name for name in _SEASON_MONTHS if m[name])
        first_month, last_month = _SEASON_MONTHS[season]
        year = int(m["y"])
        if is_year(year):
            found.append(
                (m.start(), m.end(), date(year, first_month, 1), month_end(year, last_month))
            )
    for m in _NUMERIC_DAY.finditer(text):
        try:
            if m["iy"]:
                day = date(int(m["iy"]), int(m["im"]), int(m["id"]))
            else:
                day = date(int(m["y"]), int(m["m"]), int(m["d"]))
        except ValueError:
            continue
        if is_year(day.year):
            found.append((m.start(), m.end(), day, day))
    return found


# Relative periods, by what they are relative to (see `_relative`).
_WORD_START, _WORD_END = r"(?<![^\W\d_])", r"(?![^\W\d_])"
_LAST_YEAR = re.compile(
    _WORD_START + rf"(?:last{_S}year|(?:в{_S}|за{_S})?(?:прошл|минувш)(?:ом|ого|ый){_S}год[уа]?"
    rf"|(?:у{_S}|за{_S})?минул(?:ого|ому|ий){_S}р(?:оку|оці|ік)|торік|letzte[ns]?{_S}jahr(?:es)?"
    rf"|im{_S}(?:letzten|vergangenen){_S}jahr|vergangene[ns]?{_S}jahr(?:es)?"
    rf"|l['’]ann[ée]e{_S}derni[èe]re|l['’]an{_S}(?:dernier|pass[ée]))" + _WORD_END,
    re.IGNORECASE,
)
_THIS_YEAR = re.compile(
    _WORD_START + rf"(?:this{_S}year|(?:в{_S})?(?:этом|текущем){_S}году"
    rf"|(?:цього|поточного){_S}року|(?:у|в){_S}(?:цьому|поточному){_S}році"
    rf"|(?:dieses|in{_S}diesem){_S}jahr|cette{_S}ann[ée]e)" + _WORD_END,
    re.IGNORECASE,
)
_PAST_YEAR = re.compile(
    _WORD_START + rf"(?:(?:in|over|during){_S}the{_S}(?:past|last){_S}(?:year|12{_S}months"
    rf"|twelve{_S}months)|за{_S}последн(?:ий{_S}год|ие{_S}12{_S}месяцев)"
    rf"|за{_S}останн(?:ій{_S}рік|і{_S}12{_S}місяців)|in{_S}den{_S}letzten{_S}12{_S}monaten)"
    + _WORD_END,
    re.IGNORECASE,
)
_LAST_MONTH = re.compile(
    _WORD_START + rf"(?:last{_S}month|(?:в{_S})?прошлом{_S}месяце|минулого{_S}місяця"
    rf"|letzten{_S}monat|le{_S}mois{_S}dernier)" + _WORD_END,
    re.IGNORECASE,
)


def _relative(text: str, reference: date | None) -> list[tuple[int, int, date | None, date | None]]:
    """Periods said relative to when the text was written (REFERENCE); none without it."""
    if reference is None:
        return []
    year = reference.year
    previous_month_end = reference.replace(day=1) - timedelta(days=1)
    periods = (
        (_LAST_YEAR, date(year - 1, 1, 1), date(year - 1, 12, 31)),
        (_THIS_YEAR, date(year, 1, 1), reference),
        (_PAST_YEAR, reference - timedelta(days=365), reference),
        (_LAST_MONTH, previous_month_end.replace(day=1), previous_month_end),
    )
    return [
        (m.start(), m.end(), first, last)
        for pattern, first, last in periods
        for m in pattern.finditer(text)
    ]


def extract_period(
    text: str, lang: str | None = None, *, reference: date | None = None
) -> Period | None:
    """The period ``text`` talks about, or None (see the module docstring).

    ``lang`` is accepted for symmetry with ``extract_quantities``; month names of all
    supported languages are recognised at once. ``reference``: when the text was written,
    for "last year" and the like.
    """
    del lang
    if not text:
        return None
    for finder in (_ranges, _open, _singles, lambda t: _relative(t, reference)):
        candidates = finder(text)
        if candidates:
            start, end, first, last = min(candidates, key=lambda c: (c[0], -c[1]))
            return Period(first, last, start, end, text[start:end])
    return None
