"""Turn anything a user types into a safe query: words, "exact phrases", -exclusions.

No character of the input ever reaches a full-text engine's syntax: the input is cut into
words by the analyser (so FTS5 keywords like NEAR, AND, '*', ':' or '^' are just words or
nothing), and the backends quote every index term themselves. Unbalanced quotes are ignored,
input beyond `MAX_QUERY_CHARS` is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.search.analysis import is_stopword, iter_words, query_keys, query_variants

MAX_QUERY_CHARS = 10_000
# Clauses looked at before document frequencies decide which to keep ("any" mode reads a
# whole claim or article; the rarest words are kept, see base.MAX_ANY_CLAUSES).
MAX_CANDIDATE_CLAUSES = 200
MAX_PHRASE_WORDS = 12
MAX_EXCLUDED = 32

Alternative = tuple[str, ...]
"""A sequence of index terms: one term for a word, several (adjacent) for a phrase."""


@dataclass(frozen=True)
class Clause:
    """One word or phrase of a query, as the index forms it may take (OR'ed together)."""

    alternatives: tuple[Alternative, ...]
    surface: str


@dataclass(frozen=True)
class ParsedQuery:
    """What the user asked for, before analysis: plain words, phrases and exclusions."""

    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.phrases)


@dataclass(frozen=True)
class AnalysedQuery:
    """A query in index terms: clauses to match (all or any) and clauses to exclude."""

    clauses: tuple[Clause, ...] = ()
    excluded: tuple[Clause, ...] = ()
    terms: frozenset[str] = field(default=frozenset())

    @property
    def is_empty(self) -> bool:
        return not self.clauses


def _words(text: str) -> list[str]:
    return [surface for _start, _end, surface in iter_words(text)]


def parse_query(text: str) -> ParsedQuery:
    """Parse user input. Never fails: at worst the result is empty."""
    text = (text or "")[:MAX_QUERY_CHARS]
    words: list[str] = []
    phrases: list[tuple[str, ...]] = []
    excluded: list[tuple[str, ...]] = []
    pieces = text.split('"')
    if len(pieces) % 2 == 0:
        # An odd number of quotes: the last one opens nothing, read what follows as words.
        pieces[-2:] = [pieces[-2] + " " + pieces[-1]]
    for index, piece in enumerate(pieces):
        if index % 2 == 1:
            phrase = tuple(_words(piece))[:MAX_PHRASE_WORDS]
            before = pieces[index - 1]
            negated = before.endswith("-") and (len(before) == 1 or before[-2].isspace())
            if not phrase:
                continue
            if negated:
                excluded.append(phrase)
            elif len(phrase) == 1:
                words.append(phrase[0])
            else:
                phrases.append(phrase)
            continue
        for chunk in piece.split():
            found = _words(chunk)
            if chunk.startswith("-") and len(chunk) > 1:
                excluded.extend((word,) for word in found)
            else:
                words.extend(found)
    return ParsedQuery(tuple(words), tuple(phrases), tuple(excluded))


def _phrase_clause(surfaces: tuple[str, ...], lang: str | None) -> Clause | None:
    per_word = [query_variants(surface, lang) for surface in surfaces]
    if not all(per_word):
        return None
    # One alternative per stemmer (the n-th variant of each word, or its last one): a phrase
    # is read in one language, not in every mix of them.
    width = max(len(variants) for variants in per_word)
    alternatives = dict.fromkeys(
        tuple(variants[min(i, len(variants) - 1)] for variants in per_word) for i in range(width)
    )
    return Clause(tuple(alternatives), " ".join(surfaces))


def _word_clause(
    surface: str, lang: str | None, with_key: bool, same_script: bool = False
) -> Clause | None:
    variants = query_variants(surface, lang)
    if not variants:
        return None
    alternatives = [(variant,) for variant in variants]
    if with_key:
        alternatives += [(key,) for key in query_keys(surface, same_script=same_script)]
    return Clause(tuple(alternatives), surface)


_GROUP_START = re.compile(r"\d{1,3}")
_GROUP = re.compile(r"\d{3}")


def _units(words: list[str]) -> list[tuple[str, ...]]:
    """The words, with a number written in groups of digits and plain spaces ("1 500", as
    Russian and Ukrainian write it) kept together as one unit."""
    units: list[tuple[str, ...]] = []
    i = 0
    while i < len(words):
        end = i + 1
        if _GROUP_START.fullmatch(words[i]):
            while end < len(words) and _GROUP.fullmatch(words[end]):
                end += 1
        units.append(tuple(words[i:end]))
        i = end
    return units


def _number_clause(groups: tuple[str, ...]) -> Clause:
    """A number typed as digit groups: written as one number in a text ("1500", "1,500",
    "1 500" with a no-break space, all indexed as 1500) or as the same groups in a row."""
    return Clause((("".join(groups),), groups), " ".join(groups))


def analyse_query(
    query: ParsedQuery | str, *, mode: str = "all", lang: str | None = None
) -> AnalysedQuery:
    """Analyse a parsed query into index terms.

    Stop words are dropped unless the query has nothing else. Name keys (transliteration)
    are added to every word in "all" mode, where people type names in lower case, and only
    to capitalised words in "any" mode, where the query is a whole text. In "all" mode a
    word also meets other spellings of a name in its own script (Харьков finds Харків,
    Kiev finds Kyiv); in "any" mode, where a whole claim is matched, a name spelt alike
    would then count twice, by its word and by its key.
    """
    parsed = parse_query(query) if isinstance(query, str) else query
    words = [word for word in parsed.words if not is_stopword(word, lang)]
    if not words and not parsed.phrases:
        words = list(parsed.words)
    clauses: list[Clause] = []
    seen: set[Alternative] = set()

    def add(clause: Clause | None) -> None:
        # An index form already asked for by an earlier clause is not asked for again
        # ("Trump ... trump's"): FTS5's bm25() would count it twice, and it adds nothing.
        if clause is None:
            return
        fresh = tuple(alt for alt in clause.alternatives if alt not in seen)
        if fresh:
            seen.update(fresh)
            clauses.append(Clause(fresh, clause.surface))

    for unit in _units(words):
        if len(unit) > 1:
            add(_number_clause(unit))
        else:
            surface = unit[0]
            add(_word_clause(surface, lang, mode == "all" or surface[:1].isupper(), mode == "all"))
        if len(clauses) >= MAX_CANDIDATE_CLAUSES:
            break
    for phrase in parsed.phrases:
        add(_phrase_clause(phrase, lang))
    excluded = [
        clause
        for clause in (
            _phrase_clause(surfaces, lang)
            if len(surfaces) > 1
            else _word_clause(surfaces[0], lang, mode == "all")
            for surfaces in parsed.excluded[:MAX_EXCLUDED]
        )
        if clause is not None
    ]
    chosen = tuple(clauses)
    terms = frozenset(term for clause in chosen for alt in clause.alternatives for term in alt)
    return AnalysedQuery(chosen, tuple(excluded), terms)
