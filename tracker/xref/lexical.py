"""The lexical stage of matching on an absolute scale, and the words a reason shows.

The full-text index ranks (BM25 with stemming and Cyrillic/Latin name keys); here its hits get
a score that can be compared with thresholds, and the words a match shares with the query
are listed for the reason. A name counts as shared across scripts when the name keys of the
two spellings agree ("Буча" and "Bucha", "Вінниця" and "Vinnytsia").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Article, Claim, Figure
from tracker.search.analysis import analyse, index_terms, is_stopword
from tracker.search.translit import cyrillic_to_latin

Hits = list[tuple[Any, float]]


@dataclass(frozen=True)
class QueryWord:
    """One content word of a query: its index form, the script-neutral body of its name key
    ('' for words that are not names) and how it was written."""

    term: str
    name: str
    surface: str = ""


def _name_body(key: str) -> str:
    # Keys carry a script prefix ("_c", "_l"); the rest is the same for both spellings.
    return key[2:] if key else ""


# An abbreviation in capitals, in either script: "НАТО", "ФСБ", "МИД", "NATO"; Russian and
# Ukrainian inflect one with a case ending in lower case ("МИДа", "в МИДе", "ЗСУшники" not).
_ACRONYM = re.compile(r"\b([A-ZА-ЯЁІЇЄҐ]{2,5})(?:[а-яёіїєґ]{1,2})?\b")


def _acronym_name(surface: str) -> str:
    """The name an abbreviation is matched by: its letters romanised, unfolded ("=mid").

    A name key folds vowels and endings so that "Харків" meets "Kharkiv"; for three capital
    letters that made "МИД" (the Foreign Ministry) the key of "Modi". An abbreviation
    meets only an abbreviation: "НАТО" meets "NATO", "ФСБ" meets "FSB".
    """
    found = _ACRONYM.fullmatch(surface)
    if found is None or (found.group(1) != surface and not is_cyrillic(found.group(1))):
        return ""
    return "=" + cyrillic_to_latin(found.group(1))


def is_cyrillic(text: str) -> bool:
    """Whether TEXT has a Cyrillic letter."""
    return cyrillic_to_latin(text) != text.lower()


def query_words(text: str, lang: str | None) -> list[QueryWord]:
    """The query's content words (stop words left out), each once."""
    words: dict[str, QueryWord] = {}
    for token in analyse(text, lang):
        surface = text[token.start : token.end]
        if is_stopword(surface, lang) or token.term in words:
            continue
        name = _acronym_name(surface) or _name_body(token.key)
        words[token.term] = QueryWord(token.term, name, surface)
    return list(words.values())


def query_terms(text: str, lang: str | None) -> set[str]:
    return {w.term for w in query_words(text, lang)}


def document_words(
    text: str, doc_lang: str | None, query_lang: str | None, *, names_only: bool = False
) -> tuple[set, set]:
    """A document's index forms (also stemmed as the query's language when they differ, since
    the query's terms are) and the bodies of its name keys; with `names_only` the names
    alone (the index forms come back empty, not computed).

    Reads the index's fast path (`index_terms`: the same terms as `analyse`, without
    offsets): the lexical stage does this for each of its 50 candidates on every match.
    """
    terms, keys = index_terms(text, doc_lang)
    names = {_name_body(key) for key in keys}
    names.update(_acronym_name(found.group(0)) for found in _ACRONYM.finditer(text))
    if names_only:
        return set(), names
    found = set(terms)
    if doc_lang != query_lang:
        found.update(index_terms(text, query_lang)[0])
    return found, names


def texts_of(session: Session, kind: str, ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """The text each kind is matched on, with its language."""
    if not ids:
        return {}
    if kind == "article":
        articles = session.execute(
            select(Article.id, Article.title, Article.claim_statement, Article.language).where(
                Article.id.in_(ids)
            )
        )
        return {i: (f"{title} {statement or ''}", lang) for i, title, statement, lang in articles}
    if kind == "figure":
        figures = session.execute(
            select(Figure.id, Figure.subject, Figure.place).where(Figure.id.in_(ids))
        )
        return {i: (f"{subject} {place or ''}", "en") for i, subject, place in figures}
    claims = session.execute(select(Claim.id, Claim.text, Claim.language).where(Claim.id.in_(ids)))
    return {i: (text, lang) for i, text, lang in claims}


def coverage(
    words: list[QueryWord],
    terms: set,
    names: set,
    *,
    names_only: bool = False,
    rare_names: set[str] | None = None,
) -> float:
    """The share of the query's content words found in a document: by index form, or as a
    name whose key matches (across scripts). `names_only` counts names alone (across
    languages, where a shared ordinary word is mostly a number or a false friend), and of
    those only `rare_names` when given."""
    if not words:
        return 0.0
    found = 0
    for word in words:
        if names_only:
            usable = word.name and (rare_names is None or word.name in rare_names)
            found += bool(usable and word.name in names)
        elif (word.name and word.name in names) or word.term in terms:
            found += 1
    return found / len(words)


def rare_names(
    session: Session, kind: str, text: str, lang: str | None, collection: int, share: float
) -> set[str]:
    """The query's names that few records of a kind contain (fewer than `share` of
    `collection`, at least 5, at most 1,000): "Kramatorsk" says which debunk is meant,
    "Ukraine" or "NATO" do not."""
    from tracker.search import count_matches  # search imports are heavy; only needed here

    # Counting stops at the cap, so a common name costs no more than a rare one.
    cap = min(max(5, int(collection * share)), 1_000)
    rare = set()
    for word in query_words(text, lang):
        if word.name and count_matches(session, kind, word.surface, lang=lang, cap=cap) < cap:
            rare.add(word.name)
    return rare


def absolute_lexical(
    session: Session,
    kind: str,
    text: str,
    lang: str | None,
    hits: Hits,
    *,
    names_only_across_languages: bool = False,
    rare: set[str] | None = None,
    documents: dict[int, tuple[str, str | None]] | None = None,
) -> Hits:
    """Lexical scores on an absolute 0-1 scale: BM25 relative to the best hit, times the
    square root of the share of the query's words the document contains. `documents` are
    the hits' `texts_of`, when the caller has them already.

    BM25 alone only ranks: divided by the best hit it gives 1.0 to whatever came first, even
    a document sharing one word with a long text. The share of query words makes a weak
    lexical match weak, so scores can be compared with thresholds.
    """
    if not hits:
        return []
    words = query_words(text, lang)
    if not words:
        return []
    best = max(score for _, score in hits) or 1.0
    if documents is None:
        documents = texts_of(session, kind, [int(i) for i, _ in hits])
    scored = []
    for item, score in hits:
        doc_text, doc_lang = documents.get(int(item), ("", None))
        across = bool(lang and doc_lang and doc_lang != lang)
        names_only = across and names_only_across_languages
        terms, names = document_words(doc_text, doc_lang, lang, names_only=names_only)
        share = coverage(words, terms, names, names_only=names_only, rare_names=rare)
        if share > 0:
            scored.append((item, (score / best) * share**0.5))
    return sorted(scored, key=lambda pair: -pair[1])


def shared_words(
    query: str,
    query_lang: str | None,
    document: str,
    doc_lang: str | None,
    limit: int = 6,
    *,
    words: list[QueryWord] | None = None,
) -> list[tuple[str, str]]:
    """Words the query and the document share, each as (the query's word, the document's):
    by index form, or as a name in either script ("Украину", "Ukraine"); each of the query's
    words once ("Ukraine's" and "Ukraine" are one), stop words never (the lexical reason).
    `words` are the query's (`query_words`) when the caller has them already: one match
    explains up to ten hits."""
    if words is None:
        words = query_words(query, query_lang)
    by_term = {w.term: w for w in words}
    by_name = {w.name: w for w in words if w.name}
    found: list[tuple[str, str]] = []
    listed: set[str] = set()
    for token in analyse(document, doc_lang):
        surface = document[token.start : token.end]
        if is_stopword(surface, doc_lang):
            continue
        name = _acronym_name(surface) if token.key else ""
        word = by_term.get(token.term)
        if word is None and token.key:
            word = by_name.get(_name_body(token.key)) or by_name.get(name)
        if word is None or word.term in listed:
            continue
        listed.add(word.term)
        found.append((word.surface or surface, surface))
        if len(found) >= limit:
            break
    return found
