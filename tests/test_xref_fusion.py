"""Fusion of lexical and semantic rankings."""

from __future__ import annotations

import pytest

from tracker.xref.fusion import (
    normalise,
    reciprocal_rank_fusion,
    rerank_and_extend,
    weighted_score_fusion,
)

LEXICAL = [("a", 12.0), ("b", 9.0), ("c", 3.0)]
SEMANTIC = [("c", 0.91), ("d", 0.80), ("a", 0.55)]


def ids(ranked):
    return [item for item, _ in ranked]


def test_minmax_maps_to_unit_interval():
    assert [s for _, s in normalise(LEXICAL, "minmax")] == [1.0, pytest.approx(6 / 9), 0.0]


def test_max_normalisation_divides_by_the_best():
    assert [s for _, s in normalise(LEXICAL, "max")] == [1.0, 0.75, 0.25]


def test_minmax_of_equal_scores_is_one():
    assert normalise([("x", 2.0), ("y", 2.0)]) == [("x", 1.0), ("y", 1.0)]


def test_unknown_normalisation_is_rejected():
    with pytest.raises(ValueError, match="normalisation"):
        normalise(LEXICAL, "softmax")  # type: ignore[arg-type]


def test_rrf_rewards_items_in_both_lists():
    fused = reciprocal_rank_fusion([LEXICAL, SEMANTIC])
    assert ids(fused)[:2] == ["a", "c"]


def test_rrf_score_is_sum_of_reciprocal_ranks():
    fused = dict(reciprocal_rank_fusion([LEXICAL, SEMANTIC], k=10))
    assert fused["c"] == pytest.approx(1 / 13 + 1 / 11)


def test_rrf_weights_favour_one_list():
    fused = reciprocal_rank_fusion([LEXICAL, SEMANTIC], weights=[0.1, 1.0])
    assert ids(fused)[0] == "c"


def test_rrf_limit_cuts_the_list():
    assert len(reciprocal_rank_fusion([LEXICAL, SEMANTIC], limit=2)) == 2


def test_rrf_rejects_wrong_number_of_weights():
    with pytest.raises(ValueError, match="weights"):
        reciprocal_rank_fusion([LEXICAL, SEMANTIC], weights=[1.0])


def test_weighted_fusion_counts_missing_items_as_zero():
    fused = dict(weighted_score_fusion([LEXICAL, SEMANTIC], [0.5, 0.5], normalisation="none"))
    assert fused["d"] == pytest.approx(0.4)


def test_weighted_fusion_takes_one_normalisation_per_list():
    fused = dict(
        weighted_score_fusion([LEXICAL, SEMANTIC], [0.5, 0.5], normalisation=["max", "none"])
    )
    assert fused["a"] == pytest.approx(0.5 * 1.0 + 0.5 * 0.55)


def test_weighted_fusion_with_zero_semantic_weight_keeps_lexical_order():
    fused = weighted_score_fusion([LEXICAL, SEMANTIC], [1.0, 0.0])
    assert ids(fused)[:3] == ["a", "b", "c"]


def test_weighted_fusion_ties_follow_first_appearance():
    fused = weighted_score_fusion([[("x", 1.0), ("y", 1.0)]], [1.0])
    assert ids(fused) == ["x", "y"]


def test_rerank_moves_a_semantically_close_lexical_hit_up():
    fused = rerank_and_extend(LEXICAL, SEMANTIC, semantic_weight=0.8, add_threshold=None)
    assert ids(fused)[0] == "c"


def test_rerank_with_zero_weight_keeps_lexical_order():
    fused = rerank_and_extend(LEXICAL, SEMANTIC, semantic_weight=0.0, add_threshold=None)
    assert ids(fused) == ["a", "b", "c"]


def test_rerank_adds_only_candidates_above_the_threshold():
    fused = rerank_and_extend(LEXICAL, SEMANTIC, add_threshold=0.85, depth=2)
    assert set(ids(fused)) == {"a", "b", "c"}


def test_rerank_adds_nothing_without_a_threshold():
    fused = rerank_and_extend(LEXICAL, SEMANTIC, add_threshold=None)
    assert "d" not in ids(fused)


def test_rerank_respects_max_additions():
    semantic = [("x", 0.99), ("y", 0.98), ("z", 0.97)]
    fused = rerank_and_extend(LEXICAL, semantic, add_threshold=0.5, max_additions=2)
    assert set(ids(fused)) == {"a", "b", "c", "x", "y"}


def test_rerank_only_looks_at_the_lexical_top_depth():
    fused = rerank_and_extend(LEXICAL, SEMANTIC, depth=1, add_threshold=None)
    assert ids(fused) == ["a"]


def test_rerank_uses_missing_semantic_score_for_unknown_items():
    fused = dict(
        rerank_and_extend(
            LEXICAL, SEMANTIC, semantic_weight=0.5, missing_semantic=0.2, add_threshold=None
        )
    )
    assert fused["b"] == pytest.approx(0.5 * 0.75 + 0.5 * 0.2)
