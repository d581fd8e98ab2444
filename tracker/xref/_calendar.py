"""Month names in English, Russian, Ukrainian, German and French, in their grammatical cases.

Used to mask dates before numbers are read and to read periods. English month names must be
capitalised ("May", not "may") because several of them are also common words.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date


def _forms(stem: str, endings: str) -> list[str]:
    return [stem + ending for ending in endings.split("|")]


_RU = [
    _forms("январ", "ь|я|е|ем|ю"),
    _forms("феврал", "ь|я|е|ем|ю"),
    _forms("март", "|а|е|ом|у"),
    _forms("апрел", "ь|я|е|ем|ю"),
    ["май", "мая", "мае", "маем", "маю"],
    _forms("июн", "ь|я|е|ем|ю"),
    _forms("июл", "ь|я|е|ем|ю"),
    _forms("август", "|а|е|ом|у"),
    _forms("сентябр", "ь|я|е|ем|ю"),
    _forms("октябр", "ь|я|е|ем|ю"),
    _forms("ноябр", "ь|я|е|ем|ю"),
    _forms("декабр", "ь|я|е|ем|ю"),
]
_UK = [
    _forms("січ", "ень|ня|ні|нем|ню"),
    _forms("лют", "ий|ого|ому|ім|им"),
    _forms("берез", "ень|ня|ні|нем|ню"),
    _forms("квіт", "ень|ня|ні|нем|ню"),
    _forms("трав", "ень|ня|ні|нем|ню"),
    _forms("черв", "ень|ня|ні|нем|ню"),
    _forms("лип", "ень|ня|ні|нем|ню"),
    _forms("серп", "ень|ня|ні|нем|ню"),
    _forms("верес", "ень|ня|ні|нем|ню"),
    _forms("жовт", "ень|ня|ні|нем|ню"),
    _forms("листопад", "|а|і|ом|у"),
    _forms("груд", "ень|ня|ні|нем|ню"),
]
_DE = [
    ["januar", "jänner"],
    ["februar"],
    ["märz", "maerz"],
    ["april"],
    ["mai"],
    ["juni"],
    ["juli"],
    ["august"],
    ["september"],
    ["oktober"],
    ["november"],
    ["dezember"],
]
_FR = [
    ["janvier"],
    ["février", "fevrier"],
    ["mars"],
    ["avril"],
    ["mai"],
    ["juin"],
    ["juillet"],
    ["août", "aout"],
    ["septembre"],
    ["octobre"],
    ["novembre"],
    ["décembre", "decembre"],
]
_EN = [
    ["January", "Jan"],
    ["February", "Feb"],
    ["March", "Mar"],
    ["April", "Apr"],
    ["May"],
    ["June", "Jun"],
    ["July", "Jul"],
    ["August", "Aug"],
    ["September", "Sept", "Sep"],
    ["October", "Oct"],
    ["November", "Nov"],
    ["December", "Dec"],
]

#: lower-cased (or, for English, capitalised) month name -> month number.
MONTHS: dict[str, int] = {}
for _table in (_RU, _UK, _DE, _FR):
    for _number, _names in enumerate(_table, start=1):
        for _name in _names:
            MONTHS[_name] = _number
_EN_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(_EN, start=1):
    for _name in _names:
        _EN_MONTHS[_name] = _number
        _EN_MONTHS[_name.upper()] = _number


def _alternation(names: list[str]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


#: A month name in any supported language; English ones case-sensitive, the rest not.
MONTH_RE = (
    r"(?:(?i:"
    + _alternation(list(MONTHS))
    + r")|(?-i:"
    + _alternation(list(_EN_MONTHS))
    + r"))\.?(?![^\W\d_])"
)


def month_number(name: str) -> int | None:
    """The month number of a month name found by ``MONTH_RE``, or None."""
    name = name.rstrip(".")
    return _EN_MONTHS.get(name) or MONTHS.get(name.lower())


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, monthrange(year, month)[1])
