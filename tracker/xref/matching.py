"""Matching a text against debunk articles and claims: lexical, semantic, fused, explained.

Two stages, measured on CheckThat! 2022 and on our cross-lingual set (see bench/README.md):

- lexical: the full-text index (BM25 with stemming and Cyrillic/Latin name keys), in "any"
  mode, for the query's language;
- semantic: sentence vectors of the stored records (the "claim it refutes" line of a debunk),
  searched in memory, centered per language;

fused by a weighted sum (lexical scores divided by the best one, plus raw centered cosine).
Every match carries a reason a person can check: the words it shares with the query, or
"semantic match across languages: ru → en".
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Article, Claim
from tracker.search import search_ids
from tracker.search.analysis import analyse, is_stopword
from tracker.xref.embeddings import SemanticUnavailable, get_encoder
from tracker.xref.fusion import weighted_score_fusion
from tracker.xref.semantic import SemanticConfig, semantic_search
from tracker.xref.store import MODELS, VectorStore, query_means

log = logging.getLogger("tracker.xref")

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


# Calibrated on the cross-lingual set with bench/xlingual_corpus.py (fused scores): correct
# short paraphrases score 0.29 (10th percentile) to 0.48 (90th), texts on other topics
# 0.09-0.18. Below MIN_SCORE a match is not shown; below SUGGEST_MIN_SCORE it is not stored
# as a suggestion; FIGURE_MIN_SCORE is how related a figure must be to be checked.
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


def prepare_text(text: str, settings: MatchSettings) -> tuple[str, list[str]]:
    """The text to match and notices about it (empty, no words, cut)."""
    notices = []
    text = (text or "").strip()
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


def shared_words(
    query: str, query_lang: str | None, document: str, doc_lang: str | None, limit: int = 6
) -> list[str]:
    """Words of the document whose index form also occurs in the query (the lexical reason)."""
    wanted = {
        t.term
        for t in analyse(query, query_lang)
        if not is_stopword(query[t.start : t.end], query_lang)
    }
    keys = {t.key for t in analyse(query, query_lang) if t.key}
    found: list[str] = []
    for token in analyse(document, doc_lang):
        surface = document[token.start : token.end]
        if (token.term in wanted or (token.key and token.key in keys)) and surface.lower() not in (
            w.lower() for w in found
        ):
            found.append(surface)
        if len(found) >= limit:
            break
    return found


def _texts(session: Session, kind: str, ids: list[int]) -> dict[int, tuple[str, str | None]]:
    if kind == "article":
        rows = session.execute(
            select(Article.id, Article.title, Article.claim_statement, Article.language).where(
                Article.id.in_(ids)
            )
        )
        return {i: (f"{title} {statement or ''}", lang) for i, title, statement, lang in rows}
    rows = session.execute(select(Claim.id, Claim.text, Claim.language).where(Claim.id.in_(ids)))
    return {i: (text, lang) for i, text, lang in rows}


def _reason(
    query: str,
    lang: str | None,
    doc: tuple[str, str | None],
    lexical: float | None,
    semantic: float | None,
) -> tuple[str, str]:
    doc_text, doc_lang = doc
    parts = []
    methods = []
    if lexical is not None:
        words = shared_words(query, lang, doc_text, doc_lang)
        if words:
            methods.append("lexical")
            parts.append("shared words: " + ", ".join(f"“{w}”" for w in words))
    if semantic is not None:
        methods.append("semantic")
        if lang and doc_lang and lang != doc_lang:
            parts.append(
                f"semantic match across languages: {lang} → {doc_lang} (similarity {semantic:.2f})"
            )
        else:
            parts.append(f"semantic match (similarity {semantic:.2f})")
    if not parts:
        methods.append("lexical")
        parts.append("matched in the full-text index")
    return "+".join(methods), "; ".join(parts).capitalize()


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
    encoder = None
    try:
        encoder = get_encoder(settings.backend)
        if not encoder.available:
            encoder = None
    except (ValueError, SemanticUnavailable) as exc:
        result.notices.append(str(exc))
    semantic_error = None
    for kind in kinds:
        lexical = [
            (h.doc_id, h.score)
            for h in search_ids(
                session, kind, text, limit=settings.candidates, mode="any", lang=lang
            )
        ]
        semantic: list[tuple[Any, float]] = []
        if encoder is not None and store is not None and semantic_error is None:
            try:
                encoder.load()  # a model that cannot load is reported, not silently skipped
                loaded = store.index(session, kind, encoder)
                if loaded.corrupted:
                    result.notices.append(
                        f"{loaded.corrupted} stored {kind} vector(s) are corrupted; those "
                        "records are matched lexically only."
                    )
                semantic = semantic_search(
                    encoder,
                    loaded.index,
                    text,
                    lang,
                    k=settings.candidates,
                    config=settings.semantic,
                    query_means=query_means(encoder.model_id),
                )
                result.semantic_used = True
            except SemanticUnavailable as exc:
                semantic_error = str(exc)
                log.error("semantic stage failed: %s", exc)
        if semantic and lang:
            # Across languages, shared tokens are mostly names and numbers: weak evidence
            # that outweighed the semantic stage when fused (bench/README.md, cross-lingual
            # set: success@5 0.94 semantic, 0.76 fused). Lexical scores count only within
            # the query's language.
            languages = _languages(session, kind, [int(i) for i, _ in lexical])
            lexical = [(i, s) for i, s in lexical if languages.get(int(i)) in (lang, None)]
        lexical = absolute_lexical(session, kind, text, lang, lexical)
        fused = weighted_score_fusion(
            [lexical, semantic],
            [settings.lexical_weight, settings.semantic_weight],
            normalisation=["none", "none"],
        )
        skip = (exclude or {}).get(kind, set())
        ids = [int(i) for i, _ in fused if int(i) not in skip]
        if allowed is not None and ids:
            permitted = allowed(kind, ids)
            ids = [i for i in ids if i in permitted]
        live = _live_ids(session, kind, ids)
        lexical_scores = dict(lexical)
        semantic_scores = {int(i): s for i, s in semantic}
        texts = _texts(session, kind, ids[: limit * 2])
        for item, score in fused:
            item = int(item)
            if item not in live or item not in texts or score < settings.min_score:
                continue
            lex = lexical_scores.get(item)
            sem = semantic_scores.get(item)
            method, reason = _reason(text, lang, texts[item], lex, sem)
            result.matches.append(
                Match(
                    kind,
                    item,
                    round(score, 4),
                    method,
                    reason,
                    lex,
                    sem,
                )
            )
            if len(result.of_kind(kind)) >= limit:
                break
    if semantic_error:
        result.notices.append(semantic_error)
        for match in result.matches:
            match.reason += " (lexical only: the semantic stage is unavailable)"
    result.matches.sort(key=lambda m: -m.score)
    result.milliseconds = (time.perf_counter() - started) * 1000
    return result


def query_terms(text: str, lang: str | None) -> set[str]:
    return {t.term for t in analyse(text, lang) if not is_stopword(text[t.start : t.end], lang)}


def absolute_lexical(
    session: Session, kind: str, text: str, lang: str | None, hits: list[tuple[Any, float]]
) -> list[tuple[Any, float]]:
    """Lexical scores on an absolute 0-1 scale: BM25 relative to the best hit, times the
    share of the query's words the document contains.

    BM25 alone only ranks: divided by the best hit it gives 1.0 to whatever came first, even
    a document sharing one word with a long text. The share of query words makes a weak
    lexical match weak, so scores can be compared with thresholds.
    """
    if not hits:
        return []
    wanted = query_terms(text, lang)
    if not wanted:
        return []
    best = max(score for _, score in hits) or 1.0
    documents = _texts(session, kind, [int(i) for i, _ in hits])
    scored = []
    for item, score in hits:
        doc_text, doc_lang = documents.get(int(item), ("", None))
        present = {t.term for t in analyse(doc_text, doc_lang)}
        if doc_lang != lang:  # the query's terms are stemmed as the query's language
            present |= {t.term for t in analyse(doc_text, lang)}
        coverage = len(wanted & present) / len(wanted)
        scored.append((item, (score / best) * coverage**0.5))
    return sorted(scored, key=lambda pair: -pair[1])


def _languages(session: Session, kind: str, ids: list[int]) -> dict[int, str | None]:
    if not ids:
        return {}
    model = MODELS[kind]
    return dict(session.execute(select(model.id, model.language).where(model.id.in_(ids))).all())


def _live_ids(session: Session, kind: str, ids: list[int]) -> set[int]:
    if not ids:
        return set()
    model = MODELS[kind]
    return set(
        session.scalars(select(model.id).where(model.id.in_(ids), model.deleted_at.is_(None)))
    )
