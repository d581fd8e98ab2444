"""Whether a text names a figure's place, in any script: "в Москве", "in Moskau", "Moscow".

A figure counts something somewhere ("foreign citizens recruited in Moscow"); a claim about
another place, or about nothing in particular, is a weaker candidate than one that names the
place. Names are compared by their script-neutral keys (tracker.search.translit), loosely:
keys of the same name in different languages and cases differ in an ending or a vowel
("moskv" for Москве, "moskov" for Moscow, "moska" for Moskau), so two keys agree when one
starts with most of the other.
"""

from __future__ import annotations

import re

from tracker.search.analysis import analyse, fold
from tracker.search.translit import name_key

_MIN_PREFIX = 4


def _keys(text: str, lang: str | None, *, names_only: bool = False) -> set[str]:
    keys = set()
    for token in analyse(text, lang):
        surface = text[token.start : token.end]
        if names_only and not surface[:1].isupper():
            continue  # "region" in "Kyiv region" is not a name
        folded = fold(surface)
        key = name_key(folded) if len(folded) >= 3 else ""
        if key:
            keys.add(key[2:])  # without the script prefix
    return keys


def _agree(a: str, b: str) -> bool:
    if a == b:
        return True
    shorter = min(len(a), len(b))
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= max(_MIN_PREFIX, round(0.8 * shorter))


# Places whose Russian, Ukrainian or German names are no spelling of the English one, or
# are abbreviations: the English names of each, then what names it in a text: abbreviations
# in capitals (whole words, as written: "US", not the "us" of "give us"), and the starts of
# words in lower case. "США" did not name the United States, nor "Німеччина" Germany.
_OTHER_NAMES: tuple[tuple[frozenset[str], tuple[str, ...]], ...] = (
    (
        frozenset({"united states", "united states of america", "usa", "us", "u.s.", "america"}),
        ("США", "US", "USA", "U.S.", "америк", "amerik", "vereinigten staaten",
         "соединенные штаты", "сполучені штати"),
    ),
    (frozenset({"germany"}), ("ФРГ", "германи", "німеччин", "deutschland")),
    (
        frozenset({"united kingdom", "uk", "britain", "great britain"}),
        ("UK", "великобритан", "британи", "британі", "англи", "англі", "großbritannien"),
    ),
    (frozenset({"china"}), ("КНР", "кита", "china")),
    (frozenset({"hungary"}), ("венгри", "угорщин", "ungarn")),
    (frozenset({"turkey", "türkiye"}), ("турци", "туреччин", "türkei")),
    (frozenset({"european union", "eu"}), ("ЕС", "ЄС", "EU", "евросоюз", "євросоюз")),
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]+")


def _names_elsewhere(text: str, place: str) -> bool:
    wanted = " ".join(place.lower().split())
    for english, names in _OTHER_NAMES:
        if wanted in english:
            lowered = " " + " ".join(_WORD.findall(text.lower().replace("ё", "е")))
            return any(_written(text, lowered, name) for name in names)
    return False


def _written(text: str, lowered: str, name: str) -> bool:
    """Whether NAME is in the text: an abbreviation as a whole word, as written; another
    name as the start of a word of LOWERED (the text's words, lower case, spaced)."""
    if name.isupper():
        return re.search(rf"(?<![^\W\d_]){re.escape(name)}(?![^\W\d_])", text) is not None
    return f" {name}" in lowered


def names_place(text: str, lang: str | None, place: str) -> bool:
    """Whether `text` names `place` (every name of a multi-word place need not appear: one
    of its names is enough, "Kyiv" for "Kyiv region")."""
    if _names_elsewhere(text, place):
        return True
    wanted = _keys(place, "en", names_only=True)
    if not wanted:
        return False
    found = _keys(text, lang)
    return any(_agree(w, f) for w in wanted for f in found)
