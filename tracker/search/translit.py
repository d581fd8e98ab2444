"""Script-neutral keys for names, so Зеленский, Зеленського and Zelenskyy meet.

Cyrillic-to-Latin is deterministic, Latin-to-Cyrillic is not, so both scripts are mapped
into one lossy Latin "key" alphabet: the spelling differences of the usual romanisations
(y/i/j, kh/h, ts/tz/c, w/v, doubled letters) are folded away, then the common Russian and
Ukrainian case endings of names are cut, so the key of an inflected Cyrillic name equals the
key of its English spelling. Keys are only made for name-like (capitalised) tokens at index
time and are stored with a "_" prefix in a column of their own, so they never collide with
ordinary words.
"""

from __future__ import annotations

import re

CYRILLIC_KEY = "_c"
LATIN_KEY = "_l"

_CYRILLIC = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "є": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ў": "u",
    "ф": "f",
    "х": "h",
    "ц": "c",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "",
    "ы": "i",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
}
_CYRILLIC_TABLE = str.maketrans(_CYRILLIC)


def cyrillic_to_latin(text: str) -> str:
    """Lower-cased TEXT with its Cyrillic letters in the Latin of the keys ("Харків" ->
    "harkiv"): readable enough for a URL slug, not a romanisation to show."""
    return text.lower().translate(_CYRILLIC_TABLE)


# Applied in order to the romanised form: longer spellings first.
_LATIN_FOLDS = (
    ("x", "ks"),
    ("q", "k"),
    ("shch", "sh"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("kh", "h"),
    # ж is kept apart from й (both could otherwise end as "i") under a letter now free.
    ("zh", "q"),
    ("tz", "c"),
    ("ts", "c"),
    ("ck", "k"),
    ("ph", "f"),
    ("w", "v"),
    ("y", "i"),
    ("j", "i"),
    # Russian г is romanised g, Ukrainian г is h (Гончаренко: Goncharenko / Honcharenko).
    ("g", "h"),
    ("ia", "a"),
    ("iu", "u"),
    ("ie", "e"),
)
# A Latin c sounds k except before e, i (y already folded) and h: Macron, Макрон.
_HARD_C = re.compile(r"c(?![eih])")
_DOUBLES = re.compile(r"(.)\1+")
# Case endings of Slavic surnames and place names, as they look after folding.
_NAME_ENDINGS = re.compile(r"(?:oho|omu|imi|ami|ih|im|om|oi|ei|ou|a|e|i|o|u)$")
# Ukrainian closes the last syllable of many names with і where Russian, and Ukrainian's own
# other cases, have о or е: Київ, Києва, Киев; Харків, Харькове; Львів, Львова; Запоріжжя,
# Запорожье. So the last vowel before the final consonants is one letter in a key (Kyiv,
# Kiev, Київ and Киеве all meet).
_LAST_VOWEL = re.compile(r"[eio](?=[^aeiou]+$)")
# Names whose Russian and Ukrainian forms differ in more than that, by their folded keys.
_KEY_ALIASES = {
    "nikolaov": "mikolaov",  # Николаев, Миколаїв (Mykolaiv)
}
_MIN_KEY = 3
# English names of places that are not a romanisation of their Cyrillic name: they take the
# Cyrillic name's key, so "Moscow" finds "в Москве" and "Москва" finds "Moscow".
_EXONYMS = {
    "moscow": "москва",
    "russia": "россия",
    "crimea": "крым",
    "europe": "европа",
    "kremlin": "кремль",
    "warsaw": "варшава",
    "poland": "польша",
    "georgia": "грузия",
}


def name_key(token: str, *, for_query: bool = False, same_script: bool = False) -> str:
    """Return the key of a case-folded, accent-folded name token, or '' if it has none.

    Only Latin and Cyrillic letters take part; a token with digits or other scripts has no
    key. An index key is prefixed with its own script, a query key with the other script
    (with SAME_SCRIPT, with its own: Харьков for Харків, Kiev for Kyiv).
    """
    latin = token.translate(_CYRILLIC_TABLE)
    cyrillic = latin != token
    prefix = CYRILLIC_KEY if cyrillic != (for_query and not same_script) else LATIN_KEY
    if not cyrillic and token in _EXONYMS:
        latin = _EXONYMS[token].translate(_CYRILLIC_TABLE)
    if not latin.isascii() or not latin.isalpha():
        return ""
    for old, new in _LATIN_FOLDS:
        latin = latin.replace(old, new)
    latin = _DOUBLES.sub(r"\1", _HARD_C.sub("k", latin))
    cut = _NAME_ENDINGS.sub("", latin)
    if len(cut) >= _MIN_KEY:
        latin = cut
    if len(latin) < _MIN_KEY:
        return ""
    latin = _LAST_VOWEL.sub("o", latin)
    return prefix + _KEY_ALIASES.get(latin, latin)
