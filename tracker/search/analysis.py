"""The one analyser: the same tokens for indexing, querying and highlighting, on every backend.

Steps for each word found in the text:

1. Unicode NFKC (full-width letters, ligatures, superscripts become plain) and case folding
   (so ß becomes "ss": "Straße" meets the Swiss "Strasse").
2. Apostrophes: inside a Cyrillic word they are dropped (м'ясо, мʼясо, м’ясо and мясо are one
   word); in a Latin word a French elision is cut off ("l'Ukraine" -> "ukraine"), an English
   possessive "'s" is removed, any other apostrophe is dropped ("don't" -> "dont").
3. Accent folding for Latin and Greek (é -> e, ü -> u, ø -> o, ł -> l) and for Cyrillic stress
   marks and ё -> е; й and ї stay distinct from и and і (different letters, different words).
4. Stemming with the document's language when it is known; for text of unknown language by
   script: Latin is stemmed as English; Cyrillic as Ukrainian when the text has more
   Ukrainian-only letters (і ї є ґ) than Russian-only ones (ы э ъ ё), else as Russian.
   Russian stems lose the fleeting е of "-ец" (иностранец, иностранца -> иностранц), as
   Ukrainian ones do (see `ukrainian`).

A URL gives the words of its host and the letter-only words of its path ("https://rt.com/
news/ukraine-war" -> "rt", "com", "news", "ukraine", "war"); a handle is a word ("@IlhanMN").
Numbers written with thousands separators are one token ("1,500", "1.500", "1 500" with a
no-break space -> "1500"); hyphens split words ("covid-19" -> "covid", "19"); a hashtag is
indexed as itself and as its camel-case parts ("#AustralianFires" -> "australian", "fires",
"australianfires"). Stop words are not removed here: the query side drops them (see
`is_stopword`), so exact phrases still find "to be or not to be".

The index stores analysed terms, so any change to what a text analyses to needs the
indexes rebuilt: bump `ANALYSER_VERSION` and add a migration that rebuilds them and records
the version (tests/test_search_analysis.py fingerprints the analyser to catch a change).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex

from tracker.search.stemming import STEMMED_LANGS, stemmer_for
from tracker.search.translit import name_key

# 2: fleeting vowel of -ец/-ець; stems of at least three letters; Київ/Києва.
# 3: name keys fold the last vowel of a name (Харків, Харьков) and alias Николаев/Миколаїв.
ANALYSER_VERSION = 3
CYRILLIC_LANGS = frozenset({"ru", "uk", "be", "bg", "mk", "kk", "ky", "tg", "mn"})

# When a query's language is unknown each word is expanded into the stems of these languages.
QUERY_LATIN_LANGS = ("en", "de", "fr")
QUERY_CYRILLIC_LANGS = ("ru", "uk")

LATIN, CYRILLIC, OTHER = "latin", "cyrillic", "other"

_APOSTROPHES = "'’ʼ`´‘ʻ"
_TAIL = r"(?:[" + _APOSTROPHES + r"][\p{L}\p{N}\p{M}]+)*"
# Words are split in two alternatives so that the number alternative between them is only
# tried where a word does not start with a letter: three times faster on plain text.
_PLAIN = (
    r"(?P<word>\p{L}[\p{L}\p{N}\p{M}]*" + _TAIL + ")"
    r"|(?P<num>\p{Nd}{1,3}(?:[,.\u00a0\u202f\u2009]\p{Nd}{3})+(?!\p{N}))"
    r"|(?P<word2>[\p{N}\p{M}][\p{L}\p{N}\p{M}]*" + _TAIL + ")"
)
_FAST = regex.compile(_PLAIN)
# Exactly one group is non-empty in each match. URLs and hashtags need "/", "www." or "#" in
# the text, so text without them is tokenised by _FAST with the same result.
_TOKEN = regex.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"]+"
    r"|(?<![\p{L}\p{N}@.])(?:[\p{L}\p{N}-]+\.)+\p{L}{2,}/[^\s<>\"]*)"
    r"|(?<=#)(?P<tag>[\p{L}\p{N}\p{M}]+" + _TAIL + ")|" + _PLAIN
)
_URL_PARTS = regex.compile(r"[\p{L}\p{N}]+")
_URL_NOISE = frozenset({"http", "https", "www"})
_CAMEL = regex.compile(r"\p{Lu}?\p{Ll}+|\p{Lu}+(?!\p{Ll})|\p{N}+")
_NUMBER_SEPARATORS = str.maketrans("", "", ",.\u00a0\u202f\u2009")
_ELISIONS = ("l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu")
_SPECIAL_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "þ": "th", "ð": "d", "ı": "i", "ŀ": "l"}
)
# Combining marks that make a distinct letter in Cyrillic and must survive folding:
# breve on и (й) and on у (ў), diaeresis on і (ї).
_KEEP_MARKS = {"и\u0306": "й", "у\u0306": "ў", "і\u0308": "ї"}
_MARK = regex.compile(r"\p{M}")
_NOT_WORD = regex.compile(r"[^\p{L}\p{N}\p{M}]")
_CYRILLIC_LETTER = regex.compile(r"[\u0400-\u04ff]")
# Accents are folded in words of the Latin, Greek and Cyrillic scripts only: elsewhere (e.g.
# Devanagari vowel signs) a combining mark is part of the letter.
_FOLDED_SCRIPT = regex.compile(r"[\p{Latin}\p{Greek}\p{Cyrillic}]")
_UKRAINIAN_LETTERS = frozenset("іїєґ")
_RUSSIAN_LETTERS = frozenset("ыэъё")
_CACHE_LIMIT = 500_000


@dataclass(frozen=True, slots=True)
class Token:
    """One analysed word: its place in the original text, its index form and name key."""

    start: int
    end: int
    term: str
    key: str


def script_of(word: str) -> str:
    """The script of a word, judged by its first letter."""
    for char in word:
        if char.isalpha():
            code = ord(char)
            if 0x0400 <= code <= 0x052F:
                return CYRILLIC
            if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
                return LATIN
            return OTHER
    return OTHER


def normalise_language(lang: str | None) -> str | None:
    """'en-GB', 'EN', 'en_US' -> 'en'; empty -> None."""
    if not lang:
        return None
    return lang.strip().lower().replace("_", "-").split("-")[0] or None


def guess_cyrillic_language(text: str) -> str:
    """'uk' when the text has more Ukrainian-only than Russian-only letters, else 'ru'."""
    lowered = text.lower()
    uk = sum(lowered.count(letter) for letter in _UKRAINIAN_LETTERS)
    ru = sum(lowered.count(letter) for letter in _RUSSIAN_LETTERS)
    return "uk" if uk > ru else "ru"


def _fold_marks(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    if decomposed == word and _MARK.search(word) is None:
        return word
    if not _FOLDED_SCRIPT.match(decomposed):
        return unicodedata.normalize("NFC", decomposed)
    for pair, letter in _KEEP_MARKS.items():
        decomposed = decomposed.replace(pair, letter)
    return unicodedata.normalize("NFC", _MARK.sub("", decomposed))


def _apostrophes(word: str) -> str:
    for mark in _APOSTROPHES[1:]:
        word = word.replace(mark, "'")
    if "'" not in word:
        return word
    if script_of(word) == LATIN:
        head, _, tail = word.partition("'")
        if head in _ELISIONS and tail:
            word = tail
        if word.endswith("'s"):
            word = word[:-2]
    return word.replace("'", "")


def fold(surface: str) -> str:
    """Normalise one word without stemming: NFKC, case, apostrophes, accents.

    NFKC can bring punctuation into a word ("2½" becomes "21⁄2" with a fraction slash); it is
    dropped, so that every term is one token for FTS5 and PostgreSQL alike.
    """
    word = _apostrophes(unicodedata.normalize("NFKC", surface).casefold())
    if not word.isascii():
        word = _fold_marks(word.translate(_SPECIAL_LETTERS))
    if not word.isalnum():
        word = _NOT_WORD.sub("", word)
    return word


def stem(word: str, lang: str | None) -> str:
    """Stem a folded word with the stemmer of `lang` (no stemming without one)."""
    if lang is None or lang not in STEMMED_LANGS or not word.isalpha():
        return word
    stemmed = stemmer_for(lang)(word)
    # Snowball's German and French steps may reintroduce nothing but ASCII; folding again is
    # cheap insurance that the index only ever holds folded forms.
    return stemmed if stemmed.isascii() else _fold_marks(stemmed)


def _stem_language(word: str, lang: str | None, cyrillic_default: str) -> str | None:
    script = script_of(word)
    if lang is not None:
        lang_script = CYRILLIC if lang in CYRILLIC_LANGS else LATIN
        if lang == "el" or lang == "ar":
            lang_script = OTHER
        if script == lang_script:
            return lang
    if script == LATIN:
        return "en"
    if script == CYRILLIC:
        return cyrillic_default
    return None


# Analysed form of each surface word, per (document language, Cyrillic default): text
# repeats its words, so most tokens cost one dictionary lookup.
_caches: dict[tuple[str | None, str], dict[str, tuple[str, str]]] = {}


def _cache_for(lang: str | None, cyrillic_default: str) -> dict[str, tuple[str, str]]:
    cache = _caches.get((lang, cyrillic_default))
    if cache is None or len(cache) >= _CACHE_LIMIT:
        cache = _caches[(lang, cyrillic_default)] = {}
    return cache


def _analyse_surface(
    surface: str, lang: str | None, cyrillic_default: str, cache: dict[str, tuple[str, str]]
) -> tuple[str, str]:
    found = cache.get(surface)
    if found is not None:
        return found
    folded = fold(surface)
    term = stem(folded, _stem_language(folded, lang, cyrillic_default))
    key = name_key(folded) if surface[:1].isupper() and len(folded) >= 3 else ""
    cache[surface] = (term, key)
    return term, key


def _url_words(url: str) -> Iterator[str]:
    # The host names the site; of the path only letter-only words (slugs) are kept, ids like
    # "0eJtwJyS1J" in t.co or pic.twitter.com links are noise.
    host, _, path = url.split("://", 1)[-1].partition("/")
    for part in _URL_PARTS.findall(host):
        if part.lower() not in _URL_NOISE:
            yield part
    for part in _URL_PARTS.findall(path):
        if part.isalpha():
            yield part


def _tag_words(tag: str) -> list[str]:
    parts = _CAMEL.findall(tag)
    return [*parts, tag] if len(parts) > 1 else [tag]


def iter_words(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (start, end, surface) of each word, hashtag parts included, in text order."""
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        kind = match.lastgroup
        if kind in ("word", "word2"):
            yield start, end, match.group()
        elif kind == "num":
            yield start, end, match.group().translate(_NUMBER_SEPARATORS)
        elif kind == "tag":
            for part in _tag_words(match.group()):
                yield start, end, part
        else:
            for part in _url_words(match.group()):
                yield start, end, part


def _cyrillic_default(text: str, lang: str | None) -> str:
    if lang in ("ru", "uk"):
        return lang
    return guess_cyrillic_language(text) if _CYRILLIC_LETTER.search(text) else "ru"


def analyse(text: str, lang: str | None = None) -> list[Token]:
    """Analyse a text into tokens with their offsets (used for highlighting)."""
    lang = normalise_language(lang)
    cyrillic = _cyrillic_default(text, lang)
    cache = _cache_for(lang, cyrillic)
    tokens = []
    for start, end, surface in iter_words(text):
        term, key = _analyse_surface(surface, lang, cyrillic, cache)
        if term:
            tokens.append(Token(start, end, term, key))
    return tokens


def matched_spans(text: str, lang: str | None, wanted: frozenset[str]) -> list[tuple[int, int]]:
    """(start, end) of each word of TEXT whose index form or name key is in WANTED, in text
    order: what highlighting needs, without a Token for every word (a results page
    highlights some forty texts per request)."""
    if "/" in text or "#" in text or "www." in text:
        tokens = analyse(text, lang)
        return [(t.start, t.end) for t in tokens if t.term in wanted or t.key in wanted]
    lang = normalise_language(lang)
    cyrillic = _cyrillic_default(text, lang)
    cache = _cache_for(lang, cyrillic)
    spans = []
    for match in _FAST.finditer(text):
        word, num, word2 = match.groups()
        surface = word or word2 or num.translate(_NUMBER_SEPARATORS)
        term, key = cache.get(surface) or _analyse_surface(surface, lang, cyrillic, cache)
        if term and (term in wanted or key in wanted):
            spans.append(match.span())
    return spans


def index_terms(text: str, lang: str | None = None) -> tuple[list[str], list[str]]:
    """The index form of a text: its terms in order and the name keys it carries.

    The same tokens as `analyse`, without offsets, on a faster path (indexing a million
    documents spends its time here).
    """
    if not text:
        return [], []
    lang = normalise_language(lang)
    cyrillic = _cyrillic_default(text, lang)
    cache = _cache_for(lang, cyrillic)
    get = cache.get
    terms: list[str] = []
    keys: list[str] = []
    if "/" not in text and "#" not in text and "www." not in text:
        # Plain text, the common case: words and numbers only.
        for word, num, word2 in _FAST.findall(text):
            surface = word or word2 or num.translate(_NUMBER_SEPARATORS)
            found = get(surface) or _analyse_surface(surface, lang, cyrillic, cache)
            if found[0]:
                terms.append(found[0])
                if found[1]:
                    keys.append(found[1])
        return terms, keys
    for url, tag, word, num, word2 in _TOKEN.findall(text):
        if word or word2:
            surfaces: Iterable[str] = (word or word2,)
        elif num:
            surfaces = (num.translate(_NUMBER_SEPARATORS),)
        elif tag:
            surfaces = _tag_words(tag)
        else:
            surfaces = _url_words(url)
        for surface in surfaces:
            found = get(surface) or _analyse_surface(surface, lang, cyrillic, cache)
            if found[0]:
                terms.append(found[0])
                if found[1]:
                    keys.append(found[1])
    return terms, keys


def query_variants(surface: str, lang: str | None = None) -> tuple[str, ...]:
    """The index forms a query word may have: one per plausible stemmer, deduplicated.

    With a known language only its stemmer is used (for words in its script); otherwise
    Latin words are stemmed as English, German and French, Cyrillic ones as Russian and
    Ukrainian, since the word must find documents indexed under any of them.
    """
    lang = normalise_language(lang)
    folded = fold(surface)
    if not folded:
        return ()
    script = script_of(folded)
    chosen = _stem_language(folded, lang, "ru") if lang else None
    if chosen is not None and lang is not None and chosen == lang:
        languages: tuple[str | None, ...] = (lang,)
    elif script == LATIN:
        languages = QUERY_LATIN_LANGS
    elif script == CYRILLIC:
        languages = QUERY_CYRILLIC_LANGS
    else:
        languages = (None,)
    variants = dict.fromkeys(stem(folded, language) for language in languages)
    return tuple(variant for variant in variants if variant)


def query_keys(surface: str, *, same_script: bool = False) -> tuple[str, ...]:
    """The name keys of a query word: the one that meets the name in the other script, and
    with SAME_SCRIPT the one that meets other spellings in its own (none for short words)."""
    folded = fold(surface)
    if len(folded) < 3:
        return ()
    keys = [name_key(folded, for_query=True)]
    if same_script:
        keys.append(name_key(folded, for_query=True, same_script=True))
    return tuple(key for key in keys if key)


@cache
def _stopwords(lang: str) -> frozenset[str]:
    try:
        text = resources.files("tracker.search").joinpath(f"stopwords/{lang}.txt").read_text()
    except FileNotFoundError:
        return frozenset()
    return frozenset(fold(word) for word in text.split())


def is_stopword(surface: str, lang: str | None = None) -> bool:
    """Whether a query word is a stop word of `lang` (unknown: of English, Russian, Ukrainian).

    Only the query side uses this: the word is still in the index, so dropping it from a
    query never loses a match, it only stops the word from forcing or inflating one.
    """
    word = fold(surface)
    lang = normalise_language(lang)
    if lang is not None:
        return word in _stopwords(lang)
    script = script_of(word)
    if script == LATIN:
        return word in _stopwords("en")
    if script == CYRILLIC:
        return word in _stopwords("ru") or word in _stopwords("uk")
    return False
