"""Fusion of the lexical and semantic rankings of claim matching.

Pure functions over ranked lists of ``(id, score)`` pairs, best first. Every weight and
threshold is an argument so that configuration, not code, decides them; the values measured
best on CheckThat! 2022 are in ``bench/eval_checkthat_semantic.py`` and the report.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Literal

Ranked = Sequence[tuple[Hashable, float]]
Normalisation = Literal["minmax", "max", "none"]


def _sorted(
    scores: Mapping[Hashable, float], order: Mapping[Hashable, int]
) -> list[tuple[Hashable, float]]:
    # Ties go to the item seen first in the inputs, so the output is deterministic.
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))


def _first_seen(rankings: Sequence[Ranked]) -> dict[Hashable, int]:
    order: dict[Hashable, int] = {}
    for ranking in rankings:
        for item, _ in ranking:
            order.setdefault(item, len(order))
    return order


def normalise(ranked: Ranked, method: Normalisation = "minmax") -> list[tuple[Hashable, float]]:
    """Rescale one list's scores: ``minmax`` to [0, 1], ``max`` by the best score, or not.

    A list whose scores are all equal maps to 1.0 under ``minmax`` (every item is "the best").
    """
    items = list(ranked)
    if not items or method == "none":
        return items
    values = [score for _, score in items]
    top, bottom = max(values), min(values)
    if method == "max":
        return [(i, s / top if top > 0 else 0.0) for i, s in items]
    if method == "minmax":
        span = top - bottom
        return [(i, (s - bottom) / span if span > 0 else 1.0) for i, s in items]
    raise ValueError(f"unknown normalisation {method!r}")


def reciprocal_rank_fusion(
    rankings: Sequence[Ranked],
    *,
    k: float = 60.0,
    weights: Sequence[float] | None = None,
    limit: int | None = None,
) -> list[tuple[Hashable, float]]:
    """Reciprocal rank fusion: score = sum of ``weight / (k + rank)`` (ranks from 1)."""
    weights = list(weights) if weights is not None else [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError(f"{len(weights)} weights for {len(rankings)} rankings")
    fused: dict[Hashable, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, (item, _) in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + weight / (k + rank)
    return _sorted(fused, _first_seen(rankings))[:limit]


def weighted_score_fusion(
    rankings: Sequence[Ranked],
    weights: Sequence[float],
    *,
    normalisation: Normalisation | Sequence[Normalisation] = "minmax",
    limit: int | None = None,
) -> list[tuple[Hashable, float]]:
    """Weighted sum of normalised scores; an item missing from a list gets 0 from it.

    `normalisation` may be one method for all lists or one per list (e.g. ``max`` for BM25,
    ``none`` for cosine similarities that are already comparable across queries).
    """
    if len(weights) != len(rankings):
        raise ValueError(f"{len(weights)} weights for {len(rankings)} rankings")
    methods = (
        [normalisation] * len(rankings) if isinstance(normalisation, str) else list(normalisation)
    )
    fused: dict[Hashable, float] = {}
    for ranking, weight, method in zip(rankings, weights, methods, strict=True):
        for item, score in normalise(ranking, method):
            fused[item] = fused.get(item, 0.0) + weight * score
    return _sorted(fused, _first_seen(rankings))[:limit]


def rerank_and_extend(
    lexical: Ranked,
    semantic: Ranked,
    *,
    depth: int = 20,
    semantic_weight: float = 0.5,
    add_threshold: float | None = 0.6,
    max_additions: int = 5,
    lexical_normalisation: Normalisation = "max",
    missing_semantic: float = 0.0,
    limit: int | None = None,
) -> list[tuple[Hashable, float]]:
    """Let the semantic stage re-rank the lexical top `depth` and add strong candidates.

    Each of the lexical top `depth` gets ``(1 - w) * lexical + w * semantic`` with normalised
    lexical scores and raw semantic similarities (`missing_semantic` when the semantic list
    lacks the item). Semantic candidates outside that set are added only when their
    similarity is at least `add_threshold` (at most `max_additions` of them, ``None`` adds
    none), scored ``w * semantic`` plus their lexical part if they were ranked lower. The
    lexical order beyond `depth` is not kept: callers want the head of the list.
    """
    lexical_norm = dict(normalise(list(lexical), lexical_normalisation))
    semantic_scores = dict(semantic)
    w = semantic_weight
    fused: dict[Hashable, float] = {}
    for item, _ in list(lexical)[:depth]:
        sem = semantic_scores.get(item, missing_semantic)
        fused[item] = (1 - w) * lexical_norm[item] + w * sem
    if add_threshold is not None:
        added = 0
        for item, sem in semantic:
            if added >= max_additions:
                break
            if item in fused or sem < add_threshold:
                continue
            fused[item] = (1 - w) * lexical_norm.get(item, 0.0) + w * sem
            added += 1
    return _sorted(fused, _first_seen([lexical, semantic]))[:limit]
