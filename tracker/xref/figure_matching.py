"""Figure checks for any text: find the published figures it talks about, compare its numbers.

Candidate figures come from the same two stages as claim matching (the figure index over
subject and place, and figure vectors, so a Russian claim finds an English figure); the
comparison itself is `tracker.xref.figures.check_text`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models import Figure
from tracker.xref.embeddings import Encoder, SemanticUnavailable
from tracker.xref.figures import (
    DEFAULT_TOLERANCE,
    FigureCheck,
    FigureFacts,
    FigurePart,
    PartNamer,
    Tolerance,
    check_text,
    parts_by_words,
)
from tracker.xref.matching import (
    FIGURE_MIN_SCORE,
    MatchSettings,
    fuse,
    prepare_text,
    run_stages,
    semantic_encoder,
)
from tracker.xref.places import names_place
from tracker.xref.quantities import Quantity, extract_quantities
from tracker.xref.sentences import split_sentences
from tracker.xref.store import VectorStore


def facts_of(figure: Figure) -> FigureFacts:
    """The plain values the comparison engine reads, from a stored figure."""
    return FigureFacts(
        subject=figure.subject,
        value=figure.value,
        # str() of a StrEnum is its value; unflushed records may still hold plain strings.
        # The enums' values are exactly the Literals FigureFacts takes, which mypy cannot see.
        qualifier=str(figure.qualifier),  # type: ignore[arg-type]
        kind=str(figure.kind),  # type: ignore[arg-type]
        lower=figure.lower_bound,
        upper=figure.upper_bound,
        currency=figure.currency,
        unit=figure.unit,
        period_start=figure.period_start,
        period_end=figure.period_end,
        place=figure.place,
        publisher=figure.publisher,
        cited_source=figure.cited_source,
        parts=tuple(FigurePart(p.label or "", p.value) for p in figure.parts),
        figure_id=figure.id,
    )


@dataclass
class FigureMatch:
    figure_id: int
    similarity: float
    check: FigureCheck


def figure_candidates(
    session: Session,
    text: str,
    lang: str | None,
    settings: MatchSettings,
    store: VectorStore | None,
) -> dict[int, float]:
    """Figures the text may be about, with a relatedness score (fused like claim matching,
    over the stages that could run: lexical alone when the semantic one cannot)."""
    encoder = semantic_encoder(settings, [])
    try:
        stages = run_stages(session, "figure", text, lang, settings, store, encoder)
    except SemanticUnavailable:
        stages = run_stages(session, "figure", text, lang, settings, store, None)
    return dict(fuse(stages, settings))


# A passage is also matched sentence by sentence, for its sentences with a number: in four
# sentences on four subjects the one about Moscow's recruits scored 0.07 against the
# recruitment figure, alone 0.31. Each sentence costs one more encoding; a long text is cut.
MAX_SENTENCES = 8


def candidates_by_sentence(
    session: Session,
    text: str,
    lang: str | None,
    settings: MatchSettings,
    store: VectorStore | None,
) -> tuple[dict[int, float], dict[int, str]]:
    """The figures the text or one of its sentences with a number may be about, each with
    its best score and the text (whole, or that sentence) whose numbers it is compared with."""
    scores = figure_candidates(session, text, lang, settings, store)
    found_by = dict.fromkeys(scores, text)
    sentences = split_sentences(text)
    if len(sentences) < 2:
        return scores, found_by
    numbered = [s for s in sentences if extract_quantities(s, lang)][:MAX_SENTENCES]
    for sentence in numbered:
        for figure_id, score in figure_candidates(session, sentence, lang, settings, store).items():
            if score > scores.get(figure_id, 0.0):
                scores[figure_id], found_by[figure_id] = score, sentence
    return scores, found_by


# How a figure's place and the text's language change the relatedness a figure needs (a factor
# on `min_similarity`). Figures are recorded in English, and across languages the model sees
# the same subject only weakly: six Russian phrasings of the seed example scored 0.12-0.24
# against it, English ones 0.56-0.65. So a text in another language that names the figure's
# place needs half the bar. A figure about a place the text does not name needs twice the
# bar, which keeps "NATO mercenaries fight for Kyiv" (0.27) from the Moscow recruitment
# figure. Measured limit: Russian texts about Moscow with other numbers (its population,
# mobilised Russians) then score 0.19-0.20 and are checked too; a person rejects those.
PLACE_NAMED_ACROSS_LANGUAGES = 0.5
PLACE_NOT_NAMED = 2.0
FIGURE_LANGUAGE = "en"


def place_factor(text: str, lang: str | None, place: str | None) -> float:
    if not place:
        return 1.0
    if not names_place(text, lang, place):
        return PLACE_NOT_NAMED
    across = lang is not None and lang != FIGURE_LANGUAGE
    return PLACE_NAMED_ACROSS_LANGUAGES if across else 1.0


# Which part of a breakdown a number is given for, across languages: the part whose
# description ("foreign citizens recruited in Moscow: Africa") is nearer in meaning to the
# number's stretch of text than the total's subject alone is, by more than PART_MIN_GAIN.
# Measured on tests/data/quantities/figure_parts.jsonl: the right part gained 0.0044-0.025 in
# cosine on the calibration texts; texts that name no part lost with every part, or gained at
# most 0.0034 ("Tens of thousands of foreigners signed contracts in Moscow alone", 0.0025 for
# the former Soviet republics, found by a re-check). The margin is thin: a part named
# indirectly ("граждан Узбекистана", 0.0021) is missed and checked against the total.
PART_MIN_GAIN = 0.004


def quantity_stretch(text: str, quantities: list[Quantity], index: int) -> str:
    """The words that belong to one number: from the end of the number before it to the
    start of the number after it."""
    start = quantities[index - 1].end if index else 0
    end = quantities[index + 1].start if index + 1 < len(quantities) else len(text)
    return text[start:end]


def parts_by_meaning(encoder: Encoder) -> PartNamer:
    """A `PartNamer` that takes the parts named in words (`parts_by_words`), and for the
    other numbers asks the encoder, which reads "из Южной и Восточной Азии" as "South and
    East Asia"."""

    def names(text: str, figure: FigureFacts, quantities: list[Quantity]) -> dict[int, int]:
        named = parts_by_words(text, figure, quantities)
        rest = [i for i in range(len(quantities)) if i not in named]
        if not rest or not figure.parts:
            return named
        descriptions = [figure.subject, *(f"{figure.subject}: {p.label}" for p in figure.parts)]
        try:
            described = encoder.encode(descriptions, role="query")
            stretches = encoder.encode(
                [quantity_stretch(text, quantities, i) for i in rest], role="query"
            )
        except SemanticUnavailable:
            return named
        scores = stretches @ described.T
        gains = scores[:, 1:] - scores[:, :1]
        for row, index in enumerate(rest):
            best = int(np.argmax(gains[row]))
            if gains[row, best] > PART_MIN_GAIN and best not in named.values():
                named[index] = best
        return named

    return names


def check_figures(
    session: Session,
    text: str,
    lang: str | None = None,
    *,
    settings: MatchSettings | None = None,
    store: VectorStore | None = None,
    allowed: Callable[[list[int]], set[int]] | None = None,
    min_similarity: float = FIGURE_MIN_SCORE,
    tolerance: Tolerance = DEFAULT_TOLERANCE,
    limit: int = 5,
    reference: date | None = None,
) -> list[FigureMatch]:
    """The best comparison of the text's numbers with each related figure, most related first.

    Only figures with a comparable number are kept (a count against a count, periods that
    overlap); a text without numbers gets none. ``reference``: when the text was written,
    for the periods it states relative to it ("last year").
    """
    settings = settings or MatchSettings()
    text, _notices = prepare_text(text, settings)
    if not text or not extract_quantities(text, lang):
        return []
    candidates, found_by = candidates_by_sentence(session, text, lang, settings, store)
    # The loosest bar first; the place decides below which bar applies to each figure.
    lowest = min_similarity * PLACE_NAMED_ACROSS_LANGUAGES
    ids = [i for i, score in candidates.items() if score >= lowest]
    if allowed is not None and ids:
        permitted = allowed(ids)
        ids = [i for i in ids if i in permitted]
    if not ids:
        return []
    figures = [
        figure
        for figure in session.scalars(
            select(Figure)
            .where(Figure.id.in_(ids), Figure.deleted_at.is_(None), Figure.parent_id.is_(None))
            .options(selectinload(Figure.parts))
        )
        if candidates[figure.id] >= min_similarity * place_factor(text, lang, figure.place)
    ]

    def retrieval_score(_text: str, figure: FigureFacts) -> float:
        if figure.figure_id is None:  # never: every fact here was made from a stored figure
            raise ValueError("a figure without an id has no retrieval score")
        return candidates[figure.figure_id]

    encoder = semantic_encoder(settings, [])
    names_parts = parts_by_meaning(encoder) if encoder is not None else parts_by_words
    # A figure found through one sentence is compared with that sentence's numbers, not
    # with those of the passage's other subjects.
    checks: list[FigureCheck] = []
    for source in dict.fromkeys(found_by[f.id] for f in figures):
        checks += check_text(
            source,
            [facts_of(f) for f in figures if found_by[f.id] == source],
            lang,
            min_similarity=0.0,
            similarity=retrieval_score,
            names_parts=names_parts,
            tolerance=tolerance,
            reference=reference,
        )
    best: dict[int, FigureCheck] = {}
    for check in checks:
        if check.comparison.relation == "not_comparable":
            continue
        figure_id = check.figure.figure_id
        if figure_id is not None and figure_id not in best:
            best[figure_id] = check
    ranked = sorted(best.items(), key=lambda pair: -candidates[pair[0]])
    return [FigureMatch(i, round(candidates[i], 4), check) for i, check in ranked[:limit]]
