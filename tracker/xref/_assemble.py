"""Assembling quantities: the working item, masked spans, ranges, qualifiers, vague amounts.

Private to ``tracker.xref.quantities``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Literal, TypeGuard, get_args

from tracker.xref import _lexicon as lx
from tracker.xref._vague import VAGUE_INTERVALS, find_vague

Qualifier = Literal["exact", "more_than", "less_than", "about", "vague", "range"]
Kind = Literal["count", "percent", "money"]
_QUALIFIERS: frozenset[str] = frozenset(get_args(Qualifier))


def _is_qualifier(name: str | None) -> TypeGuard[Qualifier]:
    """The qualifier patterns' group names are qualifiers; this lets mypy know it."""
    return name in _QUALIFIERS


@dataclass(slots=True)
class Item:
    """A quantity being assembled; offsets cover what has been read so far."""

    start: int
    end: int
    value: float
    raw: float
    scale: float = 1.0
    kind: Kind = "count"
    currency: str | None = None
    qualifier: Qualifier = "exact"
    upper: float | None = None
    year_like: bool = False


_DASH_GAP = re.compile(lx.SP + r"*[-–—‒]" + lx.SP + "*")
_WORD_GAP = re.compile(
    lx.SP + r"+(?P<w>to|and|до|и|і|та|й|bis|und|à|et)" + lx.SP + "+", re.IGNORECASE
)
_BETWEEN = re.compile(
    r"(?<![^\W\d_])(?:between|между|між|zwischen|entre)" + lx.SP + "+$", re.IGNORECASE
)
_FROM = re.compile(
    r"(?<![^\W\d_])(?:from|от|від|з|із|зі|с|со|von|de)" + lx.SP + r"+$|(?<![^\W\d_])d['’]$",
    re.IGNORECASE,
)
_AND_WORDS = frozenset({"and", "и", "і", "та", "й", "und", "et"})


class Blocked:
    """Fast "does this range touch a masked span?" over merged, sorted spans."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, end - 1) - 1
        return i >= 0 and self._ends[i] > start


def join_ranges(text: str, items: list[Item]) -> list[Item]:
    """Join "20–25%", "between 20 and 25 percent", "от 10 до 15 тысяч" into ranges."""
    out: list[Item] = []
    index = 0
    while index < len(items):
        if index + 1 < len(items):
            joined = _join(text, items[index], items[index + 1])
            if joined is not None:
                out.append(joined)
                index += 2
                continue
        out.append(items[index])
        index += 1
    return out


# A year word after a number: "от 1000 до 2000 года" ends a period, not a range of counts.
_YEAR_AFTER = re.compile(
    lx.SP + r"*(?:(?:year|jahr)(?![^\W\d_])|" + lx.YEAR_WORD + ")", re.IGNORECASE
)


def _join(text: str, a: Item, b: Item) -> Item | None:
    if a.end > b.start or a.year_like:
        return None
    if b.year_like and (a.kind != "count" or _YEAR_AFTER.match(text, b.end)):
        # "от 1000 до 2000 иностранцев" is a range whose end looks like a year; "с 1990 до
        # 2000" (a year-like start) and "до 2000 года" are periods.
        return None
    word_gap = _WORD_GAP.fullmatch(text, a.end, b.start)
    if not word_gap and not _DASH_GAP.fullmatch(text, a.end, b.start):
        return None
    between = _BETWEEN.search(text, max(0, a.start - 20), a.start)
    start_from = _FROM.search(text, max(0, a.start - 20), a.start)
    if word_gap:
        word = word_gap["w"].lower()
        if word in _AND_WORDS and not between:
            return None
        if word == "до" and not start_from:
            return None
        if word not in _AND_WORDS and between:
            between = None
    if a.kind != "count" and b.kind != "count" and (a.kind, a.currency) != (b.kind, b.currency):
        return None
    low = a.value
    if b.scale != 1 and a.scale == 1 and a.raw < b.raw:
        low = a.raw * b.scale  # "от 10 до 15 тысяч", "$1–2 billion"
    if low >= b.value:
        return None  # "from 2,000 to 1,000" is a change, not a range
    intro = between or (start_from if not word_gap or word_gap["w"].lower() != "and" else None)
    kind, currency = (b.kind, b.currency) if b.kind != "count" else (a.kind, a.currency)
    return Item(
        intro.start() if intro else a.start,
        b.end,
        low,
        low,
        b.scale,
        kind,
        currency,
        "range",
        b.value,
    )


def finish(text: str, item: Item) -> Item | None:
    """Attach qualifiers before and after; drop year-like numbers that are years."""
    if item.qualifier == "range":
        return item
    before = lx.QUALIFIER_BEFORE.search(text, max(0, item.start - 40), item.start)
    phrase = ""
    if before:
        phrase = before.group().strip().lower()
        name = before.lastgroup or "about"
        qualifier = "about" if name == "about_sign" else name
        if _is_qualifier(qualifier):
            item.qualifier = qualifier
        item.start = before.start()
    after = lx.QUALIFIER_AFTER.match(text, item.end)
    if after:
        if not before and _is_qualifier(after.lastgroup):
            item.qualifier = after.lastgroup
        item.end = after.end()
    counted = bool(before) and bool(lx.COUNT_NOUN_AFTER.match(text, item.end))
    if item.year_like and (not before or phrase in lx.TEMPORAL_QUALIFIERS) and not counted:
        return None  # "in 2000", "2022 року", "до 2025 года"; but "around 2000 mercenaries"
    return item


def vague_items(text: str, blocked: Blocked, taken: Blocked) -> list[Item]:
    items = []
    for start, end, key in find_vague(text):
        if blocked.overlaps(start, end) or taken.overlaps(start, end):
            continue
        low, high = VAGUE_INTERVALS[key]
        item = Item(start, end, low, low, qualifier="vague", upper=high)
        money = lx.CURRENCY_AFTER.match(text, end)
        if money:
            item.kind, item.currency, item.end = "money", money.lastgroup, money.end()
        items.append(item)
    return items
