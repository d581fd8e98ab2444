"""Numbers written with digits: "1,500", "1.500", "1 500", "1 500", "2,3", "12.5", "1'500".

Whether "1,500" and "1.500" are fifteen hundred or one and a half is decided here:

* two different separators: the last one is the decimal mark ("1.500,25", "1,500.25");
* one separator used more than once, or a space or apostrophe: thousands ("1.500.000");
* one comma or point followed by anything but exactly three digits: a decimal ("2,3", "12.5");
* one comma or point followed by exactly three digits ("1,500", "1.500"): thousands, unless
  a scale word follows and the separator is the language's decimal mark ("1,500 млрд" is 1.5
  billion in Russian, "1.500 billion" is 1.5 billion in English). Nobody writes one and a half
  people as "1,500 people", so without a scale word the reading is always thousands.
"""

from __future__ import annotations

import re

#: A number: digits with optional groups of three and an optional decimal part.
NUMBER = re.compile(
    r"(?<![\d.,'])(?:\d{1,3}(?P<sep>[,.'\u00a0\u2009\u202f ])\d{3}(?:(?P=sep)\d{3})*"
    r"(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![.,]?\d)"
)

DECIMAL_MARK = {"en": "."}  # every other supported language writes a decimal comma


def decimal_mark(lang: str) -> str:
    """The decimal separator of a language."""
    return DECIMAL_MARK.get(lang, ",")


def parse_number(raw: str, lang: str, *, scale_follows: bool) -> float:
    """The value of a digit string matched by ``NUMBER`` (see the module docstring)."""
    separators = [ch for ch in raw if not ch.isdigit()]
    if not separators:
        return float(raw)
    kinds = set(separators)
    if len(kinds) == 2:
        decimal = separators[-1]
        head, _, tail = raw.rpartition(decimal)
        return float(_digits(head) + "." + tail)
    sep = separators[0]
    if len(separators) > 1 or sep not in ",.":
        return float(_digits(raw))
    head, _, tail = raw.partition(sep)
    if len(tail) != 3 or head == "0":
        return float(head + "." + tail)
    if scale_follows and sep == decimal_mark(lang):
        return float(head + "." + tail)
    return float(head + tail)


def _digits(raw: str) -> str:
    return "".join(ch for ch in raw if ch.isdigit())


def is_plain_integer(raw: str) -> bool:
    """Whether the number was written as bare digits, as years are."""
    return raw.isdigit()
