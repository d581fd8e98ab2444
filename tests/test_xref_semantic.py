"""Sentence splitting, long-query aggregation and semantic search over a VectorIndex."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tracker.xref.embeddings import Encoder, Role
from tracker.xref.semantic import (
    SemanticConfig,
    aggregate,
    is_long,
    query_units,
    semantic_search,
)
from tracker.xref.sentences import split_sentences
from tracker.xref.vector_index import VectorIndex


class KeywordEncoder(Encoder):
    """A fake encoder: one dimension per keyword, so scores are easy to predict."""

    name = "keywords"
    WORDS = ("nato", "biolab", "grain", "refugee")

    @property
    def dim(self) -> int:
        return len(self.WORDS) + 1

    @property
    def model_id(self) -> str:
        return "keywords-1"

    def _load(self) -> Any:
        return self

    def _encode(self, model: Any, texts: list[str], role: Role) -> np.ndarray:
        rows = [[t.lower().count(w) for w in self.WORDS] + [0.1] for t in texts]
        return np.asarray(rows, dtype=np.float32)


def test_split_sentences_on_end_punctuation():
    text = "Киев снова врёт о потерях на фронте. Все видели эти кадры своими глазами!"
    assert split_sentences(text) == [
        "Киев снова врёт о потерях на фронте.",
        "Все видели эти кадры своими глазами!",
    ]


def test_split_sentences_keeps_abbreviations_and_initials():
    text = (
        "Die USA z. B. finanzieren viele Labore im Land. В.В. Путин заявил об этом вчера вечером."
    )
    assert len(split_sentences(text)) == 2


def test_split_sentences_joins_short_fragments():
    assert split_sentences("Да. Это была очевидная провокация киевского режима.") == [
        "Да. Это была очевидная провокация киевского режима."
    ]


def test_split_sentences_splits_on_paragraphs():
    text = "A first paragraph without a dot\n\nA second paragraph, long enough too"
    assert len(split_sentences(text)) == 2


def test_short_text_is_not_long():
    assert not is_long("NATO is at our borders.", SemanticConfig())


def test_long_text_needs_two_sentences():
    assert not is_long("x" * 500, SemanticConfig(long_query_chars=100))


def test_units_start_with_the_whole_text():
    text = "First sentence that is long enough. Second sentence that is long enough."
    assert query_units(text, "max", 16) == [
        text,
        "First sentence that is long enough.",
        "Second sentence that is long enough.",
    ]


def test_window_units_pair_neighbouring_sentences():
    text = (
        "One sentence that is long enough. Two sentence that is long enough. "
        "Three sentences, each long enough."
    )
    assert len(query_units(text, "window2", 16)) == 1 + 2


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [("whole", 0.2), ("max", 0.9), ("top2", 0.7), ("max_whole", 0.55), ("window2", 0.9)],
)
def test_aggregate_strategies(strategy, expected):
    unit_scores = np.array([[0.2], [0.9], [0.5], [0.1]], dtype=np.float32)
    assert aggregate(unit_scores, strategy)[0] == pytest.approx(expected)


def test_aggregate_rejects_unknown_strategy():
    with pytest.raises(ValueError, match="strategy"):
        aggregate(np.ones((2, 1)), "mean")  # type: ignore[arg-type]


def make_index(encoder: Encoder) -> VectorIndex:
    index = VectorIndex(encoder.dim)
    statements = {"c1": "NATO expands", "c2": "Biolab in Ukraine", "c3": "Grain deal"}
    index.add(list(statements), encoder.encode(list(statements.values()), role="passage"))
    return index


def test_semantic_search_ranks_the_matching_statement_first():
    encoder = KeywordEncoder()
    hits = semantic_search(encoder, make_index(encoder), "the biolab story", "en", k=2)
    assert hits[0][0] == "c2"


def test_long_query_with_max_finds_a_claim_stated_in_one_sentence():
    encoder = KeywordEncoder()
    text = (
        "Refugee numbers refugee crowds refugee buses everywhere today. "
        "Refugee camps are full of refugee families and refugee children. "
        "And the biolab near the border is still working."
    )
    config = SemanticConfig(long_query_chars=50, long_strategy="max")
    assert semantic_search(encoder, make_index(encoder), text, k=1, config=config)[0][0] == "c2"


def test_semantic_search_of_blank_text_is_empty():
    encoder = KeywordEncoder()
    assert semantic_search(encoder, make_index(encoder), "   ") == []


def test_centering_uses_the_mean_of_the_query_situation():
    encoder = KeywordEncoder()
    index = make_index(encoder)
    index.set_centering({}, default=np.zeros(encoder.dim, dtype=np.float32))
    text = "nato biolab"
    # Shifting the query away from "nato" leaves "biolab" as the best match.
    means = {("short", "ru"): encoder.encode("nato")[0], "ru": encoder.encode("biolab")[0]}
    hits = semantic_search(encoder, index, text, "ru", k=1, query_means=means)
    assert hits[0][0] == "c2"


def test_centering_falls_back_to_the_language_mean():
    encoder = KeywordEncoder()
    index = make_index(encoder)
    index.set_centering({}, default=np.zeros(encoder.dim, dtype=np.float32))
    means = {"ru": encoder.encode("biolab")[0]}
    assert (
        semantic_search(encoder, index, "nato biolab", "ru", k=1, query_means=means)[0][0] == "c1"
    )


def test_centering_is_skipped_when_the_index_has_no_means():
    encoder = KeywordEncoder()
    hits = semantic_search(encoder, make_index(encoder), "grain", "en", k=1)
    assert hits[0][0] == "c3"


def test_the_semantic_stage_reads_only_the_start_of_a_long_text():
    seen: list[str] = []

    class Recording(KeywordEncoder):
        def _encode(self, model: Any, texts: list[str], role: Role) -> np.ndarray:
            seen.extend(texts)
            return super()._encode(model, texts, role)

    encoder = Recording()
    config = SemanticConfig(max_chars=100)
    semantic_search(encoder, make_index(encoder), "grain " * 1000, "en", config=config)
    assert seen and max(len(t) for t in seen) <= 100
