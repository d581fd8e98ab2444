"""German compound numbers written as one word: "zweihundertfünfzig", "fünfundzwanzig"."""

from __future__ import annotations

import re

_DE_UNITS = {
    "ein": 1,
    "eins": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
}
_DE_TENS = {
    "zwanzig": 20,
    "dreißig": 30,
    "dreissig": 30,
    "vierzig": 40,
    "fünfzig": 50,
    "sechzig": 60,
    "siebzig": 70,
    "achtzig": 80,
    "neunzig": 90,
}
_DE_TEENS = {
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
    "dreizehn": 13,
    "vierzehn": 14,
    "fünfzehn": 15,
    "sechzehn": 16,
    "siebzehn": 17,
    "achtzehn": 18,
    "neunzehn": 19,
}
_DE_BELOW_100 = re.compile(
    r"(?:(?P<u>" + "|".join(_DE_UNITS) + r")und)?(?P<t>" + "|".join(_DE_TENS) + r")"
    r"|(?P<teen>" + "|".join(_DE_TEENS) + r")|(?P<unit>" + "|".join(_DE_UNITS) + r")"
)


def _de_below_1000(word: str) -> int | None:
    if not word:
        return 0
    head, sep, tail = word.partition("hundert")
    if sep:
        hundreds = _DE_UNITS.get(head, 0 if head == "" else -1)
        rest = _de_below_1000(tail) if "hundert" not in tail else None
        if hundreds < 0 or rest is None or rest >= 100:
            return None
        return (hundreds or 1) * 100 + rest
    match = _DE_BELOW_100.fullmatch(word)
    if not match:
        return None
    if match["t"]:
        return _DE_TENS[match["t"]] + (_DE_UNITS[match["u"]] if match["u"] else 0)
    return _DE_TEENS.get(match["teen"] or "") or _DE_UNITS[match["unit"]]


def german_compound(word: str) -> int | None:
    """The value of a German compound number written as one word ("zweihundertfünfzig")."""
    head, sep, tail = word.partition("tausend")
    if not sep:
        return _de_below_1000(word)
    thousands = _de_below_1000(head)
    rest = _de_below_1000(tail)
    if thousands is None or rest is None:
        return None
    return (thousands or 1) * 1000 + rest
