"""What is not a quantity: dates, times, phone numbers, list numbering; and the language guess.

``blocked_spans`` returns character ranges in which no number is read. Years are handled by
the extractor itself, because "2000" is a year in "in 2000" and a count in "around 2000
mercenaries".
"""

from __future__ import annotations

import re

from tracker.xref._calendar import MONTH_RE, month_number
from tracker.xref._lexicon import SP

_DATE_NUMERIC = re.compile(
    r"(?<![\d.,])(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}-\d{1,2}-\d{1,2})(?![\d])"
)
_DAY_MONTH = re.compile(
    r"(?<![\d.,])(?:\d{1,2}\.?" + SP + r"*[-–]" + SP + r"*)?"  # "21-22 March"
    r"\d{1,2}(?:st|nd|rd|th|er|\.|-?го|-?е)?" + SP + r"*(?:of" + SP + r"+)?" + MONTH_RE
)
# "2011-12", "2022/23": a year and the short form of the next one.
_SHORT_YEARS = re.compile(r"(?<![\d.,])(?:18|19|20)\d{2}[-–/]\d{2}(?![\d.,]?\d)")
# "May 24": a word then a day; the word is checked against the month names in Python, which
# is much faster on long texts than trying every month name at every position.
_WORD_DAY = re.compile(
    r"(?<![^\W\d_])(?P<word>[^\W\d_]{3,12}\.?)"
    + SP
    + r"+(?:\d{1,2}[-–])?\d{1,2}(?:st|nd|rd|th)?(?![\d.,]?\d)"
)
_TIME = re.compile(
    r"(?<![\d.,])\d{1,2}:\d{2}(?::\d{2})?(?!\d)|(?<![\d.,])\d{1,2}h\d{2}(?!\d)"
    r"|(?<![\d.,])\d{1,2}\.\d{2}" + SP + r"*(?:Uhr|a\.m\.|p\.m\.)"
)
_PHONE = re.compile(
    r"\+\d{1,3}(?:[\s\-().]*\d){6,}"
    r"|(?<![\d.,])\(\d{2,5}\)" + SP + r"*\d[\d\s-]{4,}\d"
    r"|(?<![\d.,-])\d{1,4}(?:-\d{2,4}){2,}(?![\d-])"
    # a trunk prefix: "0800 123 456", "044 123-45-67", "0 800 500 225" (not the "000 000"
    # of "50 000 000": a group after a digit and a space is part of that number)
    r"|(?<![\d.,-])(?<!\d[ \u00a0\u202f\u2009])0[ ]?\d{2,4}(?:[ -]\d{2,4})+(?![\d-])"
)
# URLs, e-mail addresses and file names carry digits that count nothing.
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.]+|\b[\w-]+\.(?:html?|pdf|php|aspx?)\b",
    re.IGNORECASE,
)
# "9/11", "24/7", "68/262": slashed numbers are dates, ratios or document numbers.
_SLASHED = re.compile(r"(?<![\d.,/])\d+(?:/\d+)+(?![\d/])")
# Television channels whose names carry a number ("Rossiya 1", "Россия-24", "5 канал").
_CHANNELS = re.compile(
    r"(?<![^\W\d_])(?:rossiya|rossija|russia|россия|росія)[- ]?(?:1|24)(?!\d)"
    r"|(?<![\d.,])\d{1,2}[- ]?(?:канал|kanal)(?![^\W\d_])",
    re.IGNORECASE,
)
_LIST_NUMBER = re.compile(r"(?m)^" + SP + r"*\(?\d{1,3}[.)](?=\s)")
_DE_ORDINAL = re.compile(
    r"(?<![^\W\d_])(?:der|die|das|dem|den|des|am|im|zum|zur|vom|beim)" + SP + r"+\d{1,3}\.(?=\s)",
    re.IGNORECASE,
)

_UK_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_RU_LETTERS = re.compile(r"[ыэъёЫЭЪЁ]")
_UK_WORDS = re.compile(r"(?<!\w)(?:року|році|що|та|від|для|це|але|як|понад|близько)(?!\w)", re.I)
_CYRILLIC = re.compile(r"[а-яА-ЯёЁіїєґІЇЄҐ]")
_LATIN = re.compile(r"[a-zA-Z]")
_GERMAN = re.compile(
    r"[äöüß]|\b(?:und|der|die|das|dem|den|ist|nicht|mehr|prozent|wurden|sind|ein|eine|mit)\b",
    re.IGNORECASE,
)
_FRENCH = re.compile(
    r"[éèêàçù]|\b(?:le|la|les|du|une|est|dans|pour|sont|ont|avec)\b", re.IGNORECASE
)
SUPPORTED_LANGUAGES = ("en", "ru", "uk", "de", "fr")


def guess_language(text: str) -> str:
    """A cheap guess among the supported languages, from the first few thousand characters."""
    sample = text[:4000]
    if len(_CYRILLIC.findall(sample)) > len(_LATIN.findall(sample)):
        if _UK_LETTERS.search(sample):
            return "uk"
        if _RU_LETTERS.search(sample):
            return "ru"
        return "uk" if _UK_WORDS.search(sample) else "ru"
    german = len(_GERMAN.findall(sample))
    french = len(_FRENCH.findall(sample))
    if german > french and german:
        return "de"
    if french:
        return "fr"
    return "en"


def resolve_language(text: str, lang: str | None) -> str:
    """The language code to use: the given one if supported (``en-GB`` -> ``en``), else a guess."""
    if lang:
        code = lang.strip().lower().replace("_", "-").split("-", 1)[0]
        if code in SUPPORTED_LANGUAGES:
            return code
    return guess_language(text)


def blocked_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Sorted, possibly overlapping character ranges in which numbers are not quantities."""
    # German ordinals are masked whatever the language: the articles before them are German.
    del lang
    patterns = [
        _DATE_NUMERIC,
        _SHORT_YEARS,
        _DAY_MONTH,
        _TIME,
        _PHONE,
        _LIST_NUMBER,
        _DE_ORDINAL,
        _URL,
        _SLASHED,
        _CHANNELS,
    ]
    spans = [m.span() for pattern in patterns for m in pattern.finditer(text)]
    spans += [m.span() for m in _WORD_DAY.finditer(text) if month_number(m["word"])]
    spans += inline_list_numbers(text)
    return sorted(spans)


# "1. Kyiv 2. Lviv 3. Odesa": numbering inside a line, recognised by counting up.
_INLINE_NUMBER = re.compile(r"(?<![\w.,])(\d{1,2})[.)](?=\s+\S)")


def inline_list_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of list numbers written inside a line: a run of at least two numbers, each one
    more than the last and followed by "." or ")" (a lone "2." may be a count ending a
    sentence, so it is left alone)."""
    spans: list[tuple[int, int]] = []
    run: list[tuple[int, int]] = []
    previous = None
    for match in _INLINE_NUMBER.finditer(text):
        number = int(match.group(1))
        if previous is not None and number == previous + 1:
            run.append(match.span())
        else:
            if len(run) >= 2:
                spans.extend(run)
            run = [match.span()]
        previous = number
    if len(run) >= 2:
        spans.extend(run)
    return spans
