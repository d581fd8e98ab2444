"""The stemmer of each language: Snowball's, our light Ukrainian one, and Snowball's Russian
with the fleeting vowel of "-ец" removed and no stem shorter than three letters."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import snowballstemmer

from tracker.search import ukrainian

SNOWBALL = {
    "ar": "arabic",
    "ca": "catalan",
    "cs": "czech",
    "da": "danish",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "hu": "hungarian",
    "it": "italian",
    "lt": "lithuanian",
    "nl": "dutch",
    "no": "norwegian",
    "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian",
    "ru": "russian",
    "sr": "serbian",
    "sv": "swedish",
    "tr": "turkish",
}
STEMMED_LANGS = frozenset(SNOWBALL) | {"uk"}


@cache
def stemmer_for(lang: str) -> Callable[[str], str]:
    if lang == "uk":
        return ukrainian.stem
    snowball = snowballstemmer.stemmer(SNOWBALL[lang]).stemWord
    if lang != "ru":
        return snowball

    def russian(word: str) -> str:
        stemmed: str = snowball(word)
        if len(stemmed) < 3 <= len(word) - 1:
            # Snowball reads the "-ев" of "Киев" as an ending and leaves "ки"; the other cases
            # (Киева, Киеве) keep "киев". A stem this short says more about the rule than the word.
            return word
        # The е of "-ец" drops in every other form: иностранец, иностранца -> иностранц.
        if stemmed.endswith("ец") and len(stemmed) > 3:
            return stemmed[:-2] + "ц"
        return stemmed

    return russian
