"""Quantities in claims: "more than 1,500", "tens of thousands", "2,3 млрд рублей", "20–25%".

``extract_quantities(text, lang=None)`` returns every number in a text that counts something,
is a percentage or an amount of money, with its qualifier ("more than", "about", ...) and an
interval for vague amounts and ranges. Years, dates, times, durations, ages, measurements,
ordinals, phone numbers, identifiers ("Article 5", "S-400") and list numbering are left out.

English, Russian, Ukrainian, German and French are read at once; ``lang`` only decides the
decimal mark ("1,500 млрд" vs "1,500 billion"), German ordinals ("der 3. Punkt") and what
"Billion" means. Without ``lang`` the language is guessed from the script and a few words.

How each part reads the text is documented in its module: digits and separators in
``_digits``, spelled-out numbers in ``_words``, vague amounts and their intervals in
``_vague``, qualifier/scale/unit words in ``_lexicon``, what is masked in ``_masks``.
Periods ("from April 2023 to May 2024") are read by ``tracker.xref.periods``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from tracker.xref import _lexicon as lx
from tracker.xref._assemble import Blocked, Item, Kind, Qualifier, finish, join_ranges, vague_items
from tracker.xref._digits import NUMBER, parse_number
from tracker.xref._masks import blocked_spans, resolve_language
from tracker.xref._words import (
    QUALIFIED_ONLY,
    SCALES,
    STANDALONE_SCALES,
    VAGUE_PREFIXES,
    is_number_start,
    read_words,
)
from tracker.xref.periods import Period, extract_period

#: Reads the longest spelled-out number at the start of a list of normalised words and
#: returns (value, words used) or None. See ``tracker.xref._words.read_words``.
WordReader = Callable[[Sequence[str], str], "tuple[float, int] | None"]

__all__ = [
    "Kind",
    "Period",
    "Qualifier",
    "Quantity",
    "QuantityExtractor",
    "WordReader",
    "extract_period",
    "extract_quantities",
]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One quantity found in a text.

    ``value`` is the number (the lower end for ranges and vague amounts, whose upper end is
    ``upper``); ``start``/``end`` are character offsets so that ``text == source[start:end]``.
    The span covers the qualifier, currency, scale and unit words ("more than $2 billion"),
    not the counted noun.
    """

    value: float
    upper: float | None
    qualifier: Qualifier
    kind: Kind
    currency: str | None
    start: int
    end: int
    text: str


_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ`][^\W\d_]+)*(?:-[^\W\d_]+(?:['’ʼ`][^\W\d_]+)*)*")
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "ё": "е"})
_GAP = re.compile(lx.SP + "+")
_BARE_MULTIPLIERS = frozenset({"hundred", "dozen"})
_OTHER_END = re.compile(lx.SP + r"*[-–—]" + lx.SP + r"*\d+(?:[.,]\d+)?")


def _normalise(word: str) -> str:
    return word.lower().translate(_APOSTROPHES)


class QuantityExtractor:
    """Finds quantities in text. ``word_reader`` reads spelled-out numbers (pluggable so that
    the benchmark can compare readers); the default is our own multilingual lexicon."""

    def __init__(self, word_reader: WordReader = read_words) -> None:
        self._read_words = word_reader

    def extract(self, text: str, lang: str | None = None) -> list[Quantity]:
        """All quantities in ``text``, in order of appearance. Never raises on odd input."""
        if not text or not any(ch.isdigit() or ch.isalpha() for ch in text):
            return []
        lang = resolve_language(text, lang)
        blocked = Blocked(blocked_spans(text, lang))
        items = self._digit_items(text, lang, blocked)
        taken = Blocked([(i.start, i.end) for i in items])
        items += self._word_items(text, lang, blocked, taken)
        items.sort(key=lambda i: i.start)
        finished = [q for q in (finish(text, i) for i in join_ranges(text, items)) if q]
        taken = Blocked([(i.start, i.end) for i in finished])
        finished += vague_items(text, blocked, taken)
        return _to_quantities(text, finished)

    # -- numbers written with digits -------------------------------------------------------

    def _digit_items(self, text: str, lang: str, blocked: Blocked) -> list[Item]:
        items = []
        for match in NUMBER.finditer(text):
            start, end = match.span()
            if blocked.overlaps(start, end):
                continue
            item = _digit_item(text, lang, match.group(), start, end)
            if item is not None:
                items.append(item)
        return items

    # -- numbers written with words --------------------------------------------------------

    def _word_items(self, text: str, lang: str, blocked: Blocked, taken: Blocked) -> list[Item]:
        tokens = [(m.start(), m.end(), _normalise(m.group())) for m in _WORD.finditer(text)]
        items: list[Item] = []
        index = 0
        while index < len(tokens):
            start, _, word = tokens[index]
            if not is_number_start(word):
                index += 1
                continue
            run = [word]
            last = index
            while last + 1 < len(tokens) and len(run) < 10:
                if not _GAP.fullmatch(text, tokens[last][1], tokens[last + 1][0]):
                    break
                last += 1
                run.append(tokens[last][2])
            read = self._read_words(run, lang)
            if read is None:
                index += 1
                continue
            value, used = read
            end = tokens[index + used - 1][1]
            if blocked.overlaps(start, end) or taken.overlaps(start, end):
                index += used
                continue
            previous = tokens[index - 1][2] if index else ""
            if _acceptable_words(text, run[:used], value, previous, start):
                item = _word_item(text, start, end, value)
                if item is not None:
                    items.append(item)
            index += used
        return items


def _acceptable_words(text: str, words: list[str], value: float, previous: str, start: int) -> bool:
    """Whether a spelled-out number stands for a quantity in its context."""
    if value == 1 and len(words) == 1:
        return False  # "one of them", "один из", "ein Soldat"
    if len(words) == 1 and words[0] in _BARE_MULTIPLIERS:
        return False  # English needs "a hundred"; "a few hundred" is a vague amount
    if len(words) == 1 and words[0] in SCALES:
        if previous in VAGUE_PREFIXES:
            return False  # "several thousand" is read as a vague amount
        if words[0] in QUALIFIED_ONLY:
            # "более тысячи" is 1,000; "тысячи людей" is "thousands of people".
            return bool(lx.QUALIFIER_BEFORE.search(text, max(0, start - 40), start))
        return words[0] in STANDALONE_SCALES
    return True


def _word_item(text: str, start: int, end: int, value: float) -> Item | None:
    """A spelled-out number with what follows it; a scale abbreviation may follow too
    ("двадцать пять млн")."""
    raw, scale = value, 1.0
    scale_match = lx.SCALE_AFTER.match(text, end)
    if scale_match and scale_match.lastgroup not in ("million_m", "billion_m"):
        scale = lx.SCALE_VALUES[scale_match.lastgroup or "thousand"]
        end = scale_match.end()
    item = _item_after(text, start, end, raw * scale, raw)
    if item is not None:
        item.scale = scale
    return item


def _digit_item(text: str, lang: str, raw: str, start: int, end: int) -> Item | None:
    currency_match = lx.CURRENCY_BEFORE.search(text, max(0, start - 6), start)
    left = currency_match.start() if currency_match else start
    previous = text[start - 1] if start else ""
    if not currency_match:
        if previous.isalpha() or previous in ("№", "#"):
            return None  # "G7", "№5"
        if previous == "-" and start > 1 and text[start - 2].isalpha():
            return None  # "S-400", "COVID-19", "Су-34"
    if lx.IDENTIFIER_BEFORE.search(text, max(0, left - 20), left):
        return None
    position = end
    half = lx.AND_A_HALF.match(text, position)
    if half and lx.SCALE_AFTER.match(text, half.end()):
        position = half.end()
    scale_match = lx.SCALE_AFTER.match(text, position)
    currency = currency_match.lastgroup if currency_match else None
    if (
        scale_match
        and scale_match.lastgroup in ("million_m", "billion_m")
        and not currency
        and not lx.CURRENCY_AFTER.match(text, scale_match.end())
    ):
        scale_match = None  # "3m" is money next to a currency ("USD 3m"), otherwise metres
    if not scale_match:
        following = text[end : end + 5]
        if following[:1].isalpha():
            return None  # "3rd", "1990s", "5G"
        if (
            following[:1] == "-"
            and following[1:2].isalpha()
            and not following.lower().startswith("-odd")
        ):
            return None  # "3-й", "20-year-old", "1990-х"
    value = parse_number(raw, lang, scale_follows=bool(scale_match))
    if half and scale_match:
        value += 0.5
    scale = 1.0
    if scale_match:
        scale = lx.SCALE_VALUES[scale_match.lastgroup or "thousand"]
        word = scale_match.group().strip().lower()
        if word.startswith("billion") and lang in ("de", "fr"):
            scale = 1e12  # German and French "Billion" is a million million
        position = scale_match.end()
    item = _item_after(text, left, position, value * scale, value, currency)
    if item is not None:
        item.scale = scale
        item.year_like = (
            item.kind == "count"
            and not scale_match
            and raw.isdigit()
            and len(raw) == 4
            and lx.is_year(int(raw))
        )
    return item


def _item_after(
    text: str, start: int, position: int, value: float, raw: float, currency: str | None = None
) -> Item | None:
    """Read the unit after a number (and its scale); None if the number is not a quantity."""
    kind: Kind = "count"
    percent = lx.PERCENT_AFTER.match(text, position)
    if percent and not currency:
        kind = "percent"
        position = percent.end()
    else:
        after = lx.CURRENCY_AFTER.match(text, position)
        if after and (currency is None or after.lastgroup == currency):
            currency = after.lastgroup
            position = after.end()
    if currency:
        kind = "money"
    if kind == "count" and lx.NOT_A_COUNT_AFTER.match(text, position):
        return None  # "3 days", "20 years", "14:00 Uhr", "500 km"
    other_end = _OTHER_END.match(text, position)
    if kind == "count" and other_end and lx.NOT_A_COUNT_AFTER.match(text, other_end.end()):
        return None  # the "2" of "в 2-3 раза", "3–5 days": the unit follows the range's end
    return Item(start, position, value, raw, kind=kind, currency=currency)


def _to_quantities(text: str, items: list[Item]) -> list[Quantity]:
    out: list[Quantity] = []
    last_end = -1
    for item in sorted(items, key=lambda i: (i.start, -i.end)):
        finite = math.isfinite(item.value) and math.isfinite(item.upper or 0.0)
        if item.start < last_end or not finite:
            continue  # overlapping, or hundreds of digits that overflow a float
        last_end = item.end
        out.append(
            Quantity(
                value=item.value,
                upper=item.upper,
                qualifier=item.qualifier,
                kind=item.kind,
                currency=item.currency,
                start=item.start,
                end=item.end,
                text=text[item.start : item.end],
            )
        )
    return out


_DEFAULT = QuantityExtractor()


def extract_quantities(text: str, lang: str | None = None) -> list[Quantity]:
    """All quantities in ``text`` (see the module docstring). ``lang`` is an ISO 639-1 code."""
    return _DEFAULT.extract(text, lang)
