"""Vague amounts: "tens of thousands", "сотни", "Zehntausende", "several thousand".

Each becomes an interval. The rule is the lenient reading of the words: a plural of a power
of ten N ("thousands", "тысячи", "Tausende") is N .. 10·N − 1; "tens of N" is 10·N .. 100·N − 1;
"dozens" is 12 .. 99; "several N" / "a few N" / "несколько N" is 2·N .. 10·N − 1. A lower bound
this low only ever makes a claim look *more* consistent with a figure, so a verdict of
"overstates" stays safe. (Read strictly, "thousands" would start at 2,000.)
"""

from __future__ import annotations

import re

from tracker.xref._lexicon import SP

_S = SP + "+"


def _interval(base: float, several: bool = False) -> tuple[float, float]:
    high = 99.0 if base == 12 else base * 10.0 - 1
    return float(base * 2 if several else base), high


# (pattern, base, several?) - longer phrases first so that "tens of thousands" wins over "tens".
_TABLE: list[tuple[str, float, bool]] = [
    # English
    (rf"(?:tens|dozens){_S}(?:of{_S})?thousands", 1e4, False),
    (rf"hundreds{_S}(?:of{_S})?thousands", 1e5, False),
    (rf"(?:tens|dozens){_S}of{_S}millions", 1e7, False),
    (rf"hundreds{_S}of{_S}millions", 1e8, False),
    (rf"(?:tens|dozens){_S}of{_S}billions", 1e10, False),
    (rf"hundreds{_S}of{_S}billions", 1e11, False),
    (rf"(?:several|a{_S}few|a{_S}couple{_S}of){_S}hundred{_S}thousand", 1e5, True),
    (rf"(?:several|a{_S}few|a{_S}couple{_S}of){_S}thousand", 1e3, True),
    (rf"(?:several|a{_S}few|a{_S}couple{_S}of){_S}hundred", 1e2, True),
    (rf"(?:several|a{_S}few|a{_S}couple{_S}of){_S}million", 1e6, True),
    (rf"(?:several|a{_S}few|a{_S}couple{_S}of){_S}billion", 1e9, True),
    (rf"(?:several|a{_S}few|a{_S}couple{_S}of){_S}dozen", 12, True),
    ("thousands", 1e3, False),
    ("hundreds", 1e2, False),
    ("millions", 1e6, False),
    ("billions", 1e9, False),
    ("dozens", 12, False),
    # Russian
    (rf"десят(?:ки|ков|кам|ками|ках){_S}тысяч", 1e4, False),
    (rf"сот(?:ни|ен|ням|нями|нях){_S}тысяч", 1e5, False),
    (rf"десят(?:ки|ков|кам|ками|ках){_S}миллион(?:ов|ы|ам|ами|ах)", 1e7, False),
    (rf"сот(?:ни|ен|ням|нями|нях){_S}миллион(?:ов|ы|ам|ами|ах)", 1e8, False),
    (rf"десят(?:ки|ков|кам|ками|ках){_S}миллиард(?:ов|ы|ам|ами|ах)", 1e10, False),
    (rf"сот(?:ни|ен|ням|нями|нях){_S}миллиард(?:ов|ы|ам|ами|ах)", 1e11, False),
    (rf"нескольк(?:о|их|им|ими){_S}сот(?:ен|ни|ням|нями){_S}тысяч", 1e5, True),
    (rf"нескольк(?:о|их|им|ими){_S}десят(?:ков|ки|кам|ками){_S}тысяч", 1e4, True),
    (rf"нескольк(?:о|их|им|ими){_S}тысяч", 1e3, True),
    (rf"нескольк(?:о|их|им|ими){_S}сот(?:ен|ни|ням|нями)", 1e2, True),
    (rf"нескольк(?:о|их|им|ими){_S}десят(?:ков|ки|кам|ками)", 10, True),
    (rf"нескольк(?:о|их|им|ими){_S}миллион(?:ов|ам|ами)", 1e6, True),
    (rf"нескольк(?:о|их|им|ими){_S}миллиард(?:ов|ам|ами)", 1e9, True),
    ("тысяч(?:и|ам|ами|ах)?", 1e3, False),
    ("сот(?:ни|ен|ням|нями|нях)", 1e2, False),
    ("десят(?:ки|ков|кам|ками|ках)", 10, False),
    ("миллион(?:ы|ов|ам|ами|ах)", 1e6, False),
    ("миллиард(?:ы|ов|ам|ами|ах)", 1e9, False),
    # Ukrainian
    (rf"десят(?:ки|ків|кам|ками|ках){_S}тисяч", 1e4, False),
    (rf"сот(?:ні|ень|ням|нями|нях){_S}тисяч", 1e5, False),
    (rf"десят(?:ки|ків|кам|ками|ках){_S}мільйон(?:ів|и|ам|ами|ах)", 1e7, False),
    (rf"сот(?:ні|ень|ням|нями|нях){_S}мільйон(?:ів|и|ам|ами|ах)", 1e8, False),
    (rf"десят(?:ки|ків|кам|ками|ках){_S}мільярд(?:ів|и|ам|ами|ах)", 1e10, False),
    (rf"сот(?:ні|ень|ням|нями|нях){_S}мільярд(?:ів|и|ам|ами|ах)", 1e11, False),
    (rf"(?:де)?кіль(?:ка|кох|ком|кома){_S}сот(?:ень|ні|ням|нями){_S}тисяч", 1e5, True),
    (rf"(?:де)?кіль(?:ка|кох|ком|кома){_S}десят(?:ків|ки|кам|ками){_S}тисяч", 1e4, True),
    (rf"(?:де)?кіль(?:ка|кох|ком|кома){_S}тисяч", 1e3, True),
    (rf"(?:де)?кіль(?:ка|кох|ком|кома){_S}сот(?:ень|ні|ням|нями)", 1e2, True),
    (rf"(?:де)?кіль(?:ка|кох|ком|кома){_S}десят(?:ків|ки|кам|ками)", 10, True),
    (rf"(?:де)?кіль(?:ка|кох|ком|кома){_S}мільйон(?:ів|ам|ами)", 1e6, True),
    (rf"(?:де)?кіль(?:ка|кох|ком|кома){_S}мільярд(?:ів|ам|ами)", 1e9, True),
    ("тисяч(?:і|ам|ами|ах)?", 1e3, False),
    ("сот(?:ні|ень|ням|нями|нях)", 1e2, False),
    ("десят(?:ки|ків|кам|ками|ках)", 10, False),
    ("мільйон(?:и|ів|ам|ами|ах)", 1e6, False),
    ("мільярд(?:и|ів|ам|ами|ах)", 1e9, False),
    # German
    ("zehntausenden?", 1e4, False),
    ("hunderttausenden?", 1e5, False),
    ("tausenden?", 1e3, False),
    ("hunderten?", 1e2, False),
    ("dutzenden?", 12, False),
    ("millionen", 1e6, False),
    ("milliarden", 1e9, False),
    (rf"(?:mehrere|einige|ein{_S}paar){_S}hunderttausend", 1e5, True),
    (rf"(?:mehrere|einige|ein{_S}paar){_S}zehntausend", 1e4, True),
    (rf"(?:mehrere|einige|ein{_S}paar){_S}tausend", 1e3, True),
    (rf"(?:mehrere|einige|ein{_S}paar){_S}hundert", 1e2, True),
    (rf"(?:mehrere|einige|ein{_S}paar){_S}dutzend", 12, True),
    (rf"(?:mehrere|einige|ein{_S}paar){_S}millionen", 1e6, True),
    # French
    (rf"dizaines{_S}de{_S}milliers", 1e4, False),
    (rf"centaines{_S}de{_S}milliers", 1e5, False),
    (rf"dizaines{_S}de{_S}millions", 1e7, False),
    (rf"centaines{_S}de{_S}millions", 1e8, False),
    (rf"(?:plusieurs|quelques){_S}centaines{_S}de{_S}milliers", 1e5, True),
    (rf"(?:plusieurs|quelques){_S}dizaines{_S}de{_S}milliers", 1e4, True),
    (rf"(?:plusieurs|quelques){_S}milliers", 1e3, True),
    (rf"(?:plusieurs|quelques){_S}centaines", 1e2, True),
    (rf"(?:plusieurs|quelques){_S}dizaines", 10, True),
    (rf"(?:plusieurs|quelques){_S}millions", 1e6, True),
    ("milliers", 1e3, False),
    ("centaines", 1e2, False),
    ("dizaines", 10, False),
    ("milliards", 1e9, False),
]

# Alternation takes the first pattern that matches, not the longest: phrases before words.
_TABLE.sort(key=lambda row: _S not in row[0])

_OPEN = r"(?<![^\W\d_])"
_CLOSE = r"(?![^\W\d_])"
#: One pattern for all vague amounts; the group name ``v<N>`` points into ``VAGUE_INTERVALS``.
VAGUE = re.compile(
    _OPEN
    + "(?:"
    + "|".join(f"(?P<v{i}>{pattern})" for i, (pattern, _, _) in enumerate(_TABLE))
    + ")"
    + _CLOSE,
    re.IGNORECASE,
)
VAGUE_INTERVALS: dict[str, tuple[float, float]] = {
    f"v{i}": _interval(base, several) for i, (_, base, several) in enumerate(_TABLE)
}


def _top_level_alternatives(group: str) -> list[str]:
    """Split the inside of a group at its own ``|``, not at those of nested groups."""
    parts, depth, current = [], 0, ""
    for char in group:
        depth += (char == "(") - (char == ")")
        if char == "|" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def _first_letters(pattern: str) -> set[str]:
    """The letters a table pattern can start with (patterns open with a word or a group)."""
    if not pattern.startswith("(?:"):
        if not pattern[0].isalpha():
            raise ValueError(f"vague pattern must start with a letter or a group: {pattern!r}")
        return {pattern[0].lower()}
    depth, close = 0, 0
    for index, char in enumerate(pattern):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            close = index
            break
    letters: set[str] = set()
    for alternative in _top_level_alternatives(pattern[3:close]):
        letters |= _first_letters(alternative)
    if pattern[close + 1 : close + 2] == "?":
        letters |= _first_letters(pattern[close + 2 :])
    return letters


# Matching ~90 alternatives at every word is slow on long texts: group them by first letter.
_BUCKETS: dict[str, re.Pattern[str]] = {}
for _letter in sorted({c for pattern, _, _ in _TABLE for c in _first_letters(pattern)}):
    _BUCKETS[_letter] = re.compile(
        "(?:"
        + "|".join(
            f"(?P<v{i}>{pattern})"
            for i, (pattern, _, _) in enumerate(_TABLE)
            if _letter in _first_letters(pattern)
        )
        + ")"
        + _CLOSE,
        re.IGNORECASE,
    )
_STARTS = re.compile(_OPEN + "[" + "".join(_BUCKETS) + "]", re.IGNORECASE)


def find_vague(text: str) -> list[tuple[int, int, str]]:
    """Non-overlapping vague amounts as (start, end, key into ``VAGUE_INTERVALS``)."""
    found: list[tuple[int, int, str]] = []
    last_end = 0
    for start in _STARTS.finditer(text):
        if start.start() < last_end:
            continue
        match = _BUCKETS[start.group().lower()].match(text, start.start())
        if match:
            found.append((match.start(), match.end(), match.lastgroup or "v0"))
            last_end = match.end()
    return found
