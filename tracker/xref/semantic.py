"""The semantic stage of claim matching: score a query text against a `VectorIndex`.

Short queries (one or two sentences) are encoded whole. Long ones (a Telegram post, a
transcript) rarely say the claim in one place, so they can also be cut into sentences and
each candidate keeps an aggregate of its sentence scores; ``bench/eval_semantic.py``
measures which aggregate works best. Centering is a per-situation switch (short or long)
because it helps some situations and hurts others.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Hashable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, get_args

import numpy as np

from tracker.xref.embeddings import Encoder, background
from tracker.xref.sentences import split_sentences
from tracker.xref.vector_index import VectorIndex

LongStrategy = Literal["whole", "max", "top2", "max_whole", "window2"]
LONG_STRATEGIES: tuple[str, ...] = get_args(LongStrategy)

_Key = TypeVar("_Key", bound=Hashable)


@dataclass(frozen=True)
class SemanticConfig:
    """How the semantic stage treats a query. All values are configuration, not constants."""

    #: Queries with at least this many characters and two sentences count as long.
    long_query_chars: int = 240
    #: How a long query's sentence scores become one score per candidate. Measured with
    #: `tracker xref eval` on the long quotes of the cross-lingual set (success@5, centering
    #: on/off): whole 0.38/0.30, max 0.17/0.11, top2 0.21/0.12, max_whole 0.29/0.24,
    #: window2 0.26/0.23. The quotes rarely state the claim in one sentence.
    long_strategy: LongStrategy = "whole"
    #: Center vectors for short and for long queries; applies only when the index has means
    #: (`VectorIndex.set_centering`). Measured on the cross-lingual set: on helped both
    #: (short 0.97 against 0.89, long 0.38 against 0.30), with the shipped per-language query
    #: means; it is a switch per situation because on English tweets it may not.
    center_short: bool = True
    center_long: bool = True
    #: At most this many sentences of a long query are encoded (cost bound).
    max_sentences: int = 16
    #: The semantic stage reads at most this many characters, about the model's 512-token
    #: window: encoding time grows with length (e5 took 6 s for 5,000 characters on the
    #: shared 2-core machine, 0.6 s for 500), and what follows adds little to one vector.
    max_chars: int = 2_000

    def __post_init__(self) -> None:
        if self.long_strategy not in LONG_STRATEGIES:
            allowed = ", ".join(LONG_STRATEGIES)
            raise ValueError(f"long_strategy must be one of {allowed}, not {self.long_strategy!r}")


def is_long(text: str, config: SemanticConfig) -> bool:
    """Whether `text` is treated as a long query under `config`."""
    return len(text) >= config.long_query_chars and len(split_sentences(text)) >= 2


def query_units(text: str, strategy: LongStrategy, max_sentences: int) -> list[str]:
    """The texts to encode for one query: the whole text first, then sentences or windows."""
    if strategy == "whole":
        return [text]
    sentences = split_sentences(text)[:max_sentences] or [text]
    if strategy == "window2" and len(sentences) > 1:
        sentences = [f"{a} {b}" for a, b in itertools.pairwise(sentences)]
    return [text, *sentences]


def aggregate(unit_scores: np.ndarray, strategy: LongStrategy) -> np.ndarray:
    """Combine an ``(units, candidates)`` score matrix into one score per candidate.

    Row 0 is the whole text; the other rows are sentences (or sentence windows).
    """
    whole = unit_scores[0]
    parts = unit_scores[1:] if len(unit_scores) > 1 else unit_scores
    if strategy == "whole":
        return whole
    best = parts.max(axis=0)
    if strategy in ("max", "window2"):
        return best
    if strategy == "top2":
        if len(parts) < 2:
            return best
        top = np.partition(parts, len(parts) - 2, axis=0)[-2:]
        return top.mean(axis=0)
    if strategy == "max_whole":
        return (best + whole) / 2
    raise ValueError(f"unknown long-query strategy {strategy!r}")


@functools.lru_cache(maxsize=32)
def _query_texts(text: str, config: SemanticConfig) -> tuple[bool, tuple[str, ...]]:
    """Whether `text` is a long query, and the texts encoded for it (kept for a few
    queries: `start_encoding` and then `query_scores` ask for the same one)."""
    text = text[: config.max_chars]
    long = is_long(text, config)
    units = query_units(text, config.long_strategy, config.max_sentences) if long else [text]
    return long, tuple(units)


def start_encoding(
    encoder: Encoder, text: str, lang: str | None = None, config: SemanticConfig | None = None
) -> None:
    """Begin encoding the query texts `query_scores` will need, on the encoder's thread.

    The engine encodes without holding the interpreter lock, so a match's lexical stage
    runs meanwhile and `query_scores` then finds the vectors ready (or waits for them).
    """
    _, units = _query_texts(text, config or SemanticConfig())
    encoder.encode_soon(units, lang, role="query")


def query_scores(
    encoder: Encoder,
    index: VectorIndex[Any],
    text: str,
    lang: str | None = None,
    config: SemanticConfig | None = None,
    query_means: Mapping[Hashable, np.ndarray] | None = None,
) -> np.ndarray:
    """Score every row of `index` against `text`; returns an array in the index's row order.

    `query_means` gives the mean query vector used for centering, keyed by
    ``(situation, lang)`` (situation ``"short"`` or ``"long"``) or by ``lang`` alone. The
    mean of texts of the same kind and language works best (measured: a mean taken from
    short texts hurts long quotes); without one the query is not shifted, only the rows are.
    """
    config = config or SemanticConfig()
    long, units = _query_texts(text, config)
    vectors = encoder.encode(units, lang, role="query")
    center = (config.center_long if long else config.center_short) and index.centered
    means = query_means or {}
    situation = "long" if long else "short"
    mean = means.get((situation, lang), means.get(lang)) if center else None
    rows = np.stack([index.scores(v, center=center, query_mean=mean) for v in vectors])
    return aggregate(rows, config.long_strategy) if long else rows[0]


def start_scores(
    encoder: Encoder,
    index: VectorIndex[Any],
    text: str,
    lang: str | None = None,
    config: SemanticConfig | None = None,
    query_means: Mapping[Hashable, np.ndarray] | None = None,
) -> Future[np.ndarray]:
    """`query_scores` on a background thread: it waits there for the query's encoding (see
    `start_encoding`) and then scores the index, while the caller's thread runs the lexical
    stage. Scoring 100,000 vectors takes about 5 ms and releases the interpreter lock, as
    the encoder does; the future raises what `query_scores` raised."""
    return background("scoring").submit(
        query_scores, encoder, index, text, lang, config, query_means
    )


def semantic_search(
    encoder: Encoder,
    index: VectorIndex[_Key],
    text: str,
    lang: str | None = None,
    *,
    k: int = 10,
    config: SemanticConfig | None = None,
    query_means: Mapping[Hashable, np.ndarray] | None = None,
) -> list[tuple[_Key, float]]:
    """The `k` best ``(id, score)`` pairs of the index for a query text, best first."""
    if len(index) == 0 or not text.strip():
        return []
    scores = query_scores(encoder, index, text, lang, config, query_means)
    return index.best(scores, k)
