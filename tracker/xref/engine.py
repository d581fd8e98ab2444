"""The cross-referencing engine as the application uses it: settings, stored vectors,
matching, figure checks and the suggestions people confirm or reject.

One `XrefEngine` per process (it keeps the vector indexes in memory); everything takes a
SQLAlchemy session and flushes, never commits.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.models import (
    Article,
    Claim,
    ClaimArticleLink,
    ClaimFigureLink,
    ClaimLink,
    FigureRelation,
    LinkStatus,
    utcnow,
)
from tracker.xref.embeddings import Encoder, SemanticUnavailable, get_encoder
from tracker.xref.figure_matching import FigureMatch, check_figures
from tracker.xref.figures import DEFAULT_TOLERANCE, Tolerance
from tracker.xref.matching import (
    FIGURE_MIN_SCORE,
    SUGGEST_MIN_SCORE,
    Match,
    MatchResult,
    MatchSettings,
    match_text,
)
from tracker.xref.store import VectorStore, all_ids, changed_ids, refresh_vectors

log = logging.getLogger("tracker.xref")


@dataclass
class Suggestions:
    """What one run of suggestions created or refreshed for a claim."""

    articles: int = 0
    claims: int = 0
    figures: int = 0
    notices: list[str] = field(default_factory=list)


def settings_from_config(config: Mapping[str, Any]) -> MatchSettings:
    """Matching settings from the app's XREF_* settings (TRACKER_XREF_* in the environment);
    what is not set keeps the measured default."""
    base = MatchSettings()
    semantic = base.semantic
    semantic = replace(
        semantic,
        long_query_chars=config.get("XREF_LONG_QUERY_CHARS", semantic.long_query_chars),
        long_strategy=config.get("XREF_LONG_STRATEGY", semantic.long_strategy),
        center_short=config.get("XREF_CENTER_SHORT", semantic.center_short),
        center_long=config.get("XREF_CENTER_LONG", semantic.center_long),
        max_sentences=config.get("XREF_MAX_SENTENCES", semantic.max_sentences),
        max_chars=config.get("XREF_SEMANTIC_MAX_CHARS", semantic.max_chars),
    )
    return replace(
        base,
        backend=config.get("EMBEDDING_BACKEND", base.backend),
        lexical_weight=config.get("XREF_LEXICAL_WEIGHT", base.lexical_weight),
        semantic_weight=config.get("XREF_SEMANTIC_WEIGHT", base.semantic_weight),
        candidates=config.get("XREF_CANDIDATES", base.candidates),
        min_score=config.get("XREF_MIN_SCORE", base.min_score),
        max_chars=config.get("XREF_MAX_CHARS", base.max_chars),
        cross_language_names=config.get("XREF_CROSS_LANGUAGE_NAMES", base.cross_language_names),
        rare_name_share=config.get("XREF_RARE_NAME_SHARE", base.rare_name_share),
        semantic=semantic,
    )


def tolerance_from_config(config: Mapping[str, Any]) -> Tolerance:
    """How much room figure checks leave each qualifier (XREF_TOLERANCE_*)."""
    base = DEFAULT_TOLERANCE
    return replace(
        base,
        exact=config.get("XREF_TOLERANCE_EXACT", base.exact),
        about=config.get("XREF_TOLERANCE_ABOUT", base.about),
        more_than_factor=config.get("XREF_TOLERANCE_MORE_THAN_FACTOR", base.more_than_factor),
        less_than_factor=config.get("XREF_TOLERANCE_LESS_THAN_FACTOR", base.less_than_factor),
    )


class XrefEngine:
    def __init__(
        self,
        settings: MatchSettings | None = None,
        *,
        refresh_seconds: float = 5.0,
        suggest_min_score: float = SUGGEST_MIN_SCORE,
        figure_min_similarity: float = FIGURE_MIN_SCORE,
        tolerance: Tolerance = DEFAULT_TOLERANCE,
    ) -> None:
        self.settings = settings or MatchSettings()
        self.store = VectorStore(refresh_seconds)
        self.suggest_min_score = suggest_min_score
        self.figure_min_similarity = figure_min_similarity
        self.tolerance = tolerance

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> XrefEngine:
        return cls(
            settings_from_config(config),
            refresh_seconds=config.get("XREF_REFRESH_SECONDS", 5.0),
            suggest_min_score=config.get("XREF_SUGGEST_MIN_SCORE", SUGGEST_MIN_SCORE),
            figure_min_similarity=config.get("XREF_FIGURE_MIN_SIMILARITY", FIGURE_MIN_SCORE),
            tolerance=tolerance_from_config(config),
        )

    # --- vectors -----------------------------------------------------------------------------

    def encoder(self) -> Encoder | None:
        try:
            encoder = get_encoder(self.settings.backend)
        except ValueError:
            log.exception("unknown embedding backend")
            return None
        return encoder if encoder.available else None

    def refresh(self, session: Session, kind: str, ids: Iterable[int]) -> int:
        """Recompute the vectors of these records where their text changed (0 without a model)."""
        encoder = self.encoder()
        if encoder is None:
            return 0
        try:
            return refresh_vectors(session, kind, ids, encoder)
        except SemanticUnavailable:
            log.exception("could not compute %s vectors", kind)
            return 0

    def refresh_all(
        self,
        session: Session,
        kind: str,
        *,
        progress: Callable[[int], object] | None = None,
        batches: Iterable[list[int]] | None = None,
    ) -> int:
        """Every record of a kind (or those of BATCHES), batch by batch, committing as it
        goes (resumable)."""
        done = 0
        for ids in all_ids(session, kind) if batches is None else batches:
            done += self.refresh(session, kind, ids)
            session.commit()
            if progress is not None:
                progress(len(ids))
        return done

    # --- matching ----------------------------------------------------------------------------

    def match(
        self, session: Session, text: str, lang: str | None = None, **options: Any
    ) -> MatchResult:
        return match_text(session, text, lang, settings=self.settings, store=self.store, **options)

    def figures(
        self, session: Session, text: str, lang: str | None = None, **options: Any
    ) -> list[FigureMatch]:
        options.setdefault("min_similarity", self.figure_min_similarity)
        options.setdefault("tolerance", self.tolerance)
        return check_figures(
            session, text, lang, settings=self.settings, store=self.store, **options
        )

    # --- suggestions -------------------------------------------------------------------------

    def suggest_for_claim(self, session: Session, claim: Claim) -> Suggestions:
        """Store the debunks, similar claims and figure checks the engine finds for a claim as
        *suggested* cross-references. Confirmed and rejected ones are never changed."""
        outcome = Suggestions()
        self.refresh(session, "claim", [claim.id])
        matches: dict[tuple[str, int], Match] = {}
        queries = [(claim.text, claim.language)]
        if claim.summary_en and claim.language != "en":
            queries.append((claim.summary_en, "en"))
        for text, lang in queries:
            result = self.match(session, text, lang, limit=10, exclude={"claim": {claim.id}})
            outcome.notices.extend(result.notices)
            for match in result.matches:
                if text is not claim.text:  # else "English → Russian" of a Russian claim
                    match = replace(match, reason=f"By its English summary: {match.reason}")
                key = (match.kind, match.id)
                if key not in matches or match.score > matches[key].score:
                    matches[key] = match
        for (kind, item), match in matches.items():
            if match.score < self.suggest_min_score:
                continue
            if kind == "article":
                outcome.articles += _suggest_article(session, claim.id, item, match)
            else:
                outcome.claims += _suggest_claim(session, claim.id, item, match)
        # "Last year" in a claim means the year before it was made.
        made_on = claim.first_seen or (claim.created_at or utcnow()).date()
        for text, lang in queries:
            for found in self.figures(session, text, lang, reference=made_on):
                outcome.figures += _suggest_figure(session, claim.id, found)
        session.flush()
        return outcome

    def suggest_for_article(self, session: Session, article: Article) -> int:
        """Claims that a new or edited debunk article may refute, as suggestions on them."""
        self.refresh(session, "article", [article.id])
        statement = article.claim_statement or article.title
        result = self.match(session, statement, article.language, kinds=("claim",), limit=20)
        created = 0
        for match in result.matches:
            if match.score >= self.suggest_min_score:
                created += _suggest_article(session, match.id, article.id, match)
        session.flush()
        return created


def _suggest_article(session: Session, claim_id: int, article_id: int, match: Match) -> int:
    link = session.scalar(
        select(ClaimArticleLink).where(
            ClaimArticleLink.claim_id == claim_id, ClaimArticleLink.article_id == article_id
        )
    )
    if link is None:
        session.add(
            ClaimArticleLink(
                claim_id=claim_id,
                article_id=article_id,
                status=LinkStatus.SUGGESTED,
                score=match.score,
                method=match.method,
                reason=match.reason,
            )
        )
        return 1
    if link.status == LinkStatus.SUGGESTED:
        link.score, link.method, link.reason = match.score, match.method, match.reason
    return 0


def _suggest_claim(session: Session, claim_id: int, other_id: int, match: Match) -> int:
    link = session.scalar(
        select(ClaimLink).where(
            or_(
                (ClaimLink.claim_id == claim_id) & (ClaimLink.other_claim_id == other_id),
                (ClaimLink.claim_id == other_id) & (ClaimLink.other_claim_id == claim_id),
            )
        )
    )
    if link is None:
        session.add(
            ClaimLink(
                claim_id=claim_id,
                other_claim_id=other_id,
                status=LinkStatus.SUGGESTED,
                score=match.score,
                method=match.method,
                reason=match.reason,
            )
        )
        return 1
    if link.status == LinkStatus.SUGGESTED:
        link.score, link.method, link.reason = match.score, match.method, match.reason
        # The reason reads from the claim that was matched ("Ukrainian → English"): the link
        # now points from it, or the other claim's page read the languages backwards.
        link.claim_id, link.other_claim_id = claim_id, other_id
    return 0


def _suggest_figure(session: Session, claim_id: int, found: FigureMatch) -> int:
    check = found.check
    stated = check.quantity.text[:255]
    link = session.scalar(
        select(ClaimFigureLink).where(
            ClaimFigureLink.claim_id == claim_id, ClaimFigureLink.figure_id == found.figure_id
        )
    )
    values = {
        "stated_text": stated,
        "stated_value": check.quantity.value,
        "relation": FigureRelation(check.comparison.relation),
        "ratio": check.comparison.ratio,
        "reason": check.comparison.reason,
        "score": found.similarity,
        "method": "figure_check",
    }
    if link is None:
        session.add(
            ClaimFigureLink(
                claim_id=claim_id, figure_id=found.figure_id, status=LinkStatus.SUGGESTED, **values
            )
        )
        return 1
    if link.status == LinkStatus.SUGGESTED:
        for name, value in values.items():
            setattr(link, name, value)
    return 0


__all__ = ["Suggestions", "XrefEngine", "settings_from_config", "tolerance_from_config"]


def rebuild(
    session: Session, engine: XrefEngine, *, progress: Callable[[int], object] | None = None
) -> dict[str, int]:
    """Vectors for everything, then suggestions for every claim; commits batch by batch.

    Resumable: a record whose vector matches its text and model is skipped, and suggestions
    never duplicate, so an interrupted rebuild run again continues where it stopped.
    """
    counts = {kind: engine.refresh_all(session, kind, progress=progress) for kind in KINDS}
    counts["suggestions"] = _suggest(session, engine, all_ids(session, "claim"), progress)
    return counts


def cross_reference_since(
    session: Session,
    engine: XrefEngine,
    since: datetime,
    *,
    progress: Callable[[int], object] | None = None,
) -> dict[str, int]:
    """After an import: what a desk or API save queues for each record, for the records
    created or changed since SINCE: their vectors (all of them first, so that the imported
    claims find one another, and those of any record still without one), then the
    suggestions of the claims and debunk articles."""
    changed = {kind: changed_ids(session, kind, since) for kind in KINDS}
    counts = {
        kind: engine.refresh_all(
            session,
            kind,
            progress=progress,
            batches=changed_ids(session, kind, since, or_without_vector=True),
        )
        for kind in KINDS
    }
    counts["claims"] = sum(len(ids) for ids in changed["claim"])
    counts["suggestions"] = _suggest(session, engine, changed["claim"], progress)
    for ids in changed["article"]:
        for article in session.scalars(select(Article).where(Article.id.in_(ids))):
            counts["suggestions"] += engine.suggest_for_article(session, article)
        session.commit()
    return counts


# Articles and figures first: a claim's suggestions are looked up among them.
KINDS = ("article", "figure", "claim")


def _suggest(
    session: Session,
    engine: XrefEngine,
    batches: Iterable[list[int]],
    progress: Callable[[int], object] | None,
) -> int:
    """Suggestions for the claims with these ids, a batch at a time, committing each."""
    suggested = 0
    for ids in batches:
        for claim in session.scalars(select(Claim).where(Claim.id.in_(ids))):
            found = engine.suggest_for_claim(session, claim)
            suggested += found.articles + found.claims + found.figures
        session.commit()
        if progress is not None:
            progress(len(ids))
    return suggested
