"""Matching a text against debunk articles and claims: lexical, semantic, fused, explained.

Two stages, measured on CheckThat! 2022 and on our cross-lingual set with `tracker xref eval`
(numbers in tests/data/xlingual/README.md):

- lexical: the full-text index (BM25 with stemming and Cyrillic/Latin name keys), in "any"
  mode, for the query's language, scored on an absolute scale (tracker.xref.lexical);
- semantic: sentence vectors of the stored records (the title and "claim it refutes" line of
  a debunk), searched in memory, centered per language;

fused by a weighted sum over the stages that could score each record (a record without a
usable vector, or every record when the semantic stage is off, gets its lexical score).
Every match carries a reason a person can check: the words it shares with the query, or
"semantic match across languages: Russian → English".
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.search import search_ids
from tracker.text import CONTROL_CHARACTERS
from tracker.wording import language_name
from tracker.xref.embeddings import Encoder, SemanticUnavailable, get_encoder
from tracker.xref.lexical import (
    QueryWord,
    absolute_lexical,
    is_cyrillic,
    query_words,
    rare_names,
    shared_words,
    texts_of,
)
from tracker.xref.semantic import SemanticConfig, start_encoding, start_scores
from tracker.xref.store import MODELS, LoadedIndex, VectorStore, query_means

log = logging.getLogger("tracker.xref")

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_SURROGATE = re.compile("[\ud800-\udfff]")


# Calibrated on the cross-lingual set (bench/xlingual_corpus.py, `tracker xref eval`, fused
# scores, ru/uk/de queries against English statements): the right statement scores 0.31
# (10th percentile) to 0.53 (90th) for short paraphrases and 0.17-0.30 for long quotes; the
# best wrong candidate 0.24-0.37, often an EUvsDisinfo claim of the same narrative. Below
# MIN_SCORE a match is not shown; below SUGGEST_MIN_SCORE it is not stored as a suggestion;
# FIGURE_MIN_SCORE is how related a figure must be to be checked (figure_matching.py adjusts
# it by place and language).
MIN_SCORE = 0.2
SUGGEST_MIN_SCORE = 0.25
FIGURE_MIN_SCORE = 0.2


@dataclass(frozen=True)
class MatchSettings:
    """How matching works; thresholds are configuration (app settings XREF_*), not constants."""

    backend: str = "default"
    lexical_weight: float = 0.2
    semantic_weight: float = 0.8
    # Candidates taken from each stage before fusing.
    candidates: int = 50
    # A fused score below this is not a match worth showing or suggesting.
    min_score: float = MIN_SCORE
    # Longer texts are cut (with a notice): matching reads the start of a long text.
    max_chars: int = 5_000
    # Keep lexical hits in another language when they share a name with the query (the name
    # keys of "Буча" and "Bucha" agree); other shared words count only within a language.
    cross_language_names: bool = True
    # ... but only names found in at most this share of the records ("Kramatorsk", not
    # "Ukraine" or "NATO", which a shared name makes no more likely to be the one meant).
    rare_name_share: float = 0.01
    semantic: SemanticConfig = field(default_factory=SemanticConfig)


@dataclass
class Match:
    kind: str  # "article" or "claim"
    id: int
    score: float
    method: str  # "lexical", "semantic" or "lexical+semantic"
    reason: str
    lexical: float | None = None
    semantic: float | None = None


@dataclass
class MatchResult:
    matches: list[Match]
    notices: list[str] = field(default_factory=list)
    semantic_used: bool = False
    milliseconds: float = 0.0

    def of_kind(self, kind: str) -> list[Match]:
        return [m for m in self.matches if m.kind == kind]


Allowed = Callable[[str, list[int]], set[int]]


def clean_text(text: str) -> str:
    """Text safe for every stage: a lone UTF-16 surrogate (valid in JSON, not in UTF-8) made
    the encoder fail, and a NUL cut the text short in the full-text index; both, and the
    other control characters, become spaces."""
    if not text.isprintable():
        text = _SURROGATE.sub(" ", text)
        text = CONTROL_CHARACTERS.sub(" ", text)
    return text


def prepare_text(text: str, settings: MatchSettings) -> tuple[str, list[str]]:
    """The text to match and notices about it (empty, no words, cut)."""
    notices = []
    text = clean_text(text or "").strip()
    if not text:
        return "", ["Nothing to match: the text is empty."]
    if not _LETTER.search(text):
        return "", ["Nothing to match: the text has no words, only numbers or symbols."]
    if len(text) > settings.max_chars:
        notices.append(
            f"The text is {len(text):,} characters long; the first "
            f"{settings.max_chars:,} were matched."
        )
        text = text[: settings.max_chars]
    return text, notices


def _shared(query_word: str, document_word: str) -> str:
    """“recruited”, or “Украину” = “Ukraine” where the two are in different scripts: a
    Russian text's reason listed English words it does not have."""
    if is_cyrillic(query_word) == is_cyrillic(document_word):
        return f"“{document_word}”"
    return f"“{query_word}” = “{document_word}”"


def _reason(
    query: str,
    lang: str | None,
    doc: tuple[str, str | None],
    lexical: float | None,
    semantic: float | None,
    query_words: list[QueryWord] | None = None,
) -> tuple[str, str]:
    doc_text, doc_lang = doc
    parts = []
    methods = []
    if lexical is not None:
        words = shared_words(query, lang, doc_text, doc_lang, words=query_words)
        if words:
            methods.append("lexical")
            parts.append("shared words: " + ", ".join(_shared(q, d) for q, d in words))
    if semantic is not None:
        methods.append("semantic")
        if lang and doc_lang and lang != doc_lang:
            pair = f"{language_name(lang)} → {language_name(doc_lang)}"
            parts.append(f"semantic match across languages: {pair} (similarity {semantic:.2f})")
        else:
            parts.append(f"semantic match (similarity {semantic:.2f})")
    if not parts:
        methods.append("lexical")
        parts.append("matched in the full-text index")
    reason = "; ".join(parts)
    # Only the first letter: str.capitalize() would lower-case the names quoted after it.
    return "+".join(methods), reason[:1].upper() + reason[1:]


@dataclass
class Stages:
    """What the two stages found for one kind of record.

    `semantic` is None when the semantic stage did not run; otherwise it holds the semantic
    scores of its own best candidates and of the lexical hits that have a vector.
    `with_vector` tells which records the semantic stage could score at all: a record
    without a usable vector (corrupted, made by another model, not computed yet) is scored
    by the lexical stage alone instead of getting nothing from the semantic one.
    """

    lexical: list[tuple[Any, float]]
    semantic: dict[int, float] | None = None
    with_vector: Callable[[int], bool] = lambda _item: False
    corrupted: int = 0
    stale: int = 0
    # The `texts_of` the lexical stage read for its hits: the matches shown are mostly among
    # them, so their reasons need not read them again.
    documents: dict[int, tuple[str, str | None]] = field(default_factory=dict)


def lexical_hits(
    session: Session, kind: str, text: str, lang: str | None, settings: MatchSettings
) -> list[tuple[int, float]]:
    """The full-text index's best candidates of one kind for the text, any word counting."""
    found = search_ids(session, kind, text, limit=settings.candidates, mode="any", lang=lang)
    return [(h.doc_id, h.score) for h in found]


@dataclass
class SemanticStart:
    """The semantic stage of one kind, begun before its lexical stage: the kind's vectors,
    and their scores for the query (None when there are no vectors), computed meanwhile on
    a background thread."""

    loaded: LoadedIndex
    scores: Future[np.ndarray] | None


def start_semantic(
    session: Session,
    kind: str,
    text: str,
    lang: str | None,
    settings: MatchSettings,
    store: VectorStore,
    encoder: Encoder,
) -> SemanticStart:
    """Load the kind's vectors and begin scoring them; raises `SemanticUnavailable` when
    the model cannot load (reported, not silently skipped)."""
    encoder.load()
    loaded = store.index(session, kind, encoder)
    if not len(loaded.index):
        return SemanticStart(loaded, None)
    means = query_means(encoder.model_id)
    scores = start_scores(encoder, loaded.index, text, lang, settings.semantic, means)
    return SemanticStart(loaded, scores)


def run_stages(
    session: Session,
    kind: str,
    text: str,
    lang: str | None,
    settings: MatchSettings,
    store: VectorStore | None,
    encoder: Encoder | None,
    hits: list[tuple[int, float]] | None = None,
    started: SemanticStart | None = None,
) -> Stages:
    """Both stages for one kind (HITS: its `lexical_hits`, when already found; STARTED:
    its `start_semantic`, when begun); raises `SemanticUnavailable` when the semantic one
    fails."""
    if hits is None:
        hits = lexical_hits(session, kind, text, lang, settings)
    documents = texts_of(session, kind, [int(i) for i, _ in hits])
    if encoder is None or store is None:
        lexical = absolute_lexical(session, kind, text, lang, hits, documents=documents)
        return Stages(lexical, documents=documents)
    if started is None:
        started = start_semantic(session, kind, text, lang, settings, store, encoder)
    loaded = started.loaded
    index = loaded.index
    semantic: dict[int, float] = {}
    if started.scores is not None:
        scores = started.scores.result()
        semantic = {int(i): s for i, s in index.best(scores, settings.candidates)}
    rare = None
    if lang:
        # Across languages, shared ordinary words are mostly numbers and false friends: weak
        # evidence that outweighed the semantic stage when fused. Names are kept when
        # `cross_language_names` is on (their keys match across scripts), and only rare ones
        # count: on the cross-lingual set short success@5 was 0.978 so, 0.973 without names
        # and 0.962 counting every name ("Ukraine", "NATO" pulled in related claims).
        languages = {i: doc_lang for i, (_, doc_lang) in documents.items()}
        if not settings.cross_language_names:
            hits = [(i, s) for i, s in hits if languages.get(int(i)) in (lang, None)]
        elif len(index) and any(languages.get(int(i)) not in (lang, None) for i, _ in hits):
            rare = rare_names(session, kind, text, lang, len(index), settings.rare_name_share)
    lexical = absolute_lexical(
        session,
        kind,
        text,
        lang,
        hits,
        names_only_across_languages=True,
        rare=rare,
        documents=documents,
    )
    if started.scores is not None:
        semantic.update(
            {int(i): s for i, s in index.scores_of(scores, [i for i, _ in lexical]).items()}
        )
    return Stages(
        lexical,
        semantic,
        lambda item: item in index,
        corrupted=loaded.corrupted,
        stale=loaded.stale,
        documents=documents,
    )


def fuse(stages: Stages, settings: MatchSettings) -> list[tuple[int, float]]:
    """Weighted sum over the stages that could score each record, best first.

    A record the semantic stage scored gets ``w_lex * lexical + w_sem * semantic``; one it
    could not score (no semantic stage, or no usable vector) gets its lexical score alone, so
    falling back to lexical matching still finds what the words find.
    """
    lexical = {int(i): s for i, s in stages.lexical}
    semantic = stages.semantic or {}
    total = settings.lexical_weight + settings.semantic_weight
    w_lex = settings.lexical_weight / total if total else 0.0
    w_sem = settings.semantic_weight / total if total else 0.0
    fused: dict[int, float] = {}
    for item in dict.fromkeys([*semantic, *lexical]):
        if stages.semantic is not None and stages.with_vector(item):
            fused[item] = w_lex * lexical.get(item, 0.0) + w_sem * semantic.get(item, 0.0)
        else:
            fused[item] = lexical.get(item, 0.0)
    return sorted(fused.items(), key=lambda pair: -pair[1])


def semantic_encoder(settings: MatchSettings, notices: list[str]) -> Encoder | None:
    """The encoder of the configured backend, or None (with a notice when that is a fault)."""
    try:
        encoder = get_encoder(settings.backend)
    except ValueError as exc:
        notices.append(f"semantic stage unavailable: {exc}; matching is lexical only")
        log.error("semantic stage unavailable: %s", exc)
        return None
    return encoder if encoder.available else None


def match_text(
    session: Session,
    text: str,
    lang: str | None = None,
    *,
    kinds: Iterable[str] = ("article", "claim"),
    limit: int = 10,
    exclude: dict[str, set[int]] | None = None,
    allowed: Allowed | None = None,
    settings: MatchSettings | None = None,
    store: VectorStore | None = None,
) -> MatchResult:
    """Ranked debunk articles and claims for a text, each with a score, method and reason.

    `allowed(kind, ids)` keeps only ids the caller may show (published ones on public pages);
    `exclude` drops ids (the claim being edited). Never raises for odd input: empty text,
    symbols only or a failing model give a result with notices.
    """
    started = time.perf_counter()
    settings = settings or MatchSettings()
    text, notices = prepare_text(text, settings)
    result = MatchResult([], notices)
    if not text:
        return result
    encoder = semantic_encoder(settings, result.notices)
    kinds = list(kinds)
    semantic_error = None
    semantic_started: dict[str, SemanticStart] = {}
    if (
        encoder is not None
        and store is not None
        and any(store.may_have_vectors(session, kind, encoder) for kind in kinds)
    ):
        # The query's vectors are encoded, and then every kind's vectors scored, on other
        # threads while the full-text index is searched for every kind: a match takes about
        # the longer of the two, not both. At 100,000 claims on SQLite, encoding beside the
        # search took p50 102 -> 89 ms, p95 206 -> 172 ms; scoring there too, p95 95.7 ->
        # 89.5 ms (PostgreSQL 152.8 -> 95.2, p50 the same; bench/bench_matching.py).
        start_encoding(encoder, text, lang, settings.semantic)
        try:
            for kind in kinds:
                semantic_started[kind] = start_semantic(
                    session, kind, text, lang, settings, store, encoder
                )
        except SemanticUnavailable as exc:
            semantic_error = str(exc)
            log.error("semantic stage failed: %s", exc)
            encoder = None
    words = query_words(text, lang)
    hits = {kind: lexical_hits(session, kind, text, lang, settings) for kind in kinds}
    for kind in kinds:
        try:
            stages = run_stages(
                session,
                kind,
                text,
                lang,
                settings,
                store,
                encoder,
                hits[kind],
                semantic_started.get(kind),
            )
        except SemanticUnavailable as exc:
            semantic_error = str(exc)
            log.error("semantic stage failed: %s", exc)
            encoder = None
            stages = run_stages(session, kind, text, lang, settings, store, None, hits[kind])
        if stages.semantic is not None:
            result.semantic_used = result.semantic_used or bool(stages.semantic)
            result.notices.extend(_vector_notices(kind, stages, encoder))
        fused = fuse(stages, settings)
        skip = (exclude or {}).get(kind, set())
        ids = [i for i, score in fused if i not in skip and score >= settings.min_score]
        if allowed is not None and ids:
            permitted = allowed(kind, ids)
            ids = [i for i in ids if i in permitted]
        live = _live_ids(session, kind, ids)
        ids = [i for i in ids if i in live][:limit]
        lexical_scores = {int(i): s for i, s in stages.lexical}
        semantic_scores = stages.semantic or {}
        scores = dict(fused)
        texts = {i: stages.documents[i] for i in ids if i in stages.documents}
        texts.update(texts_of(session, kind, [i for i in ids if i not in texts]))
        for item in ids:
            if item not in texts:
                continue
            sem = semantic_scores.get(item) if stages.with_vector(item) else None
            method, reason = _reason(text, lang, texts[item], lexical_scores.get(item), sem, words)
            if stages.semantic is not None and not stages.with_vector(item):
                reason += " (lexical only: this record has no usable vector)"
            result.matches.append(
                Match(
                    kind,
                    item,
                    round(scores[item], 4),
                    method,
                    reason,
                    lexical_scores.get(item),
                    sem,
                )
            )
    if semantic_error:
        result.notices.append(semantic_error)
        for match in result.matches:
            match.reason += " (lexical only: the semantic stage is unavailable)"
    result.matches.sort(key=lambda m: -m.score)
    result.milliseconds = (time.perf_counter() - started) * 1000
    return result


def _vector_notices(kind: str, stages: Stages, encoder: Encoder | None) -> list[str]:
    notices = []
    if stages.corrupted:
        notices.append(
            f"{stages.corrupted} stored {kind} vector(s) are corrupted; those records are "
            "matched lexically only."
        )
    if stages.stale:
        model = encoder.model_id if encoder is not None else "the current model"
        notices.append(
            f"{stages.stale} stored {kind} vector(s) were made by another model than {model}; "
            "those records are matched lexically only until `tracker xref rebuild` "
            "re-encodes them."
        )
    return notices


def _live_ids(session: Session, kind: str, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    model = MODELS[kind]
    return set(
        session.scalars(select(model.id).where(model.id.in_(ids), model.deleted_at.is_(None)))
    )
