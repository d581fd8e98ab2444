"""PostgreSQL walks a rare word's newest matches through the GIN index, a common word's by
the primary key: the choice is made from our own document frequencies, because the
planner's guess for a tsquery took a full backward scan of a million rows for a word in
543 of them (bench/README.md, search_phases.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tracker.search.base import Plan, expected_matches
from tracker.search.postgres_newest import newest_order
from tracker.search.query import Clause


def plan_matching(estimate: int) -> Plan:
    return Plan("all", (), (), (1.0, 1.0, 1.0, 1.0), 20, {}, estimate=estimate)


@pytest.mark.parametrize(
    ("estimate", "order"),
    [
        (543, "doc_id + 0"),  # read the few matches through the GIN index, then sort
        (20_000, "doc_id + 0"),
        (40_000, "doc_id"),  # dense: walking the primary key backwards stops sooner
        (860_000, "doc_id"),
    ],
)
def test_the_newest_matches_are_walked_the_cheaper_way(estimate, order):
    assert newest_order(1_000_000, plan_matching(estimate), 2_000, "doc_id") == order


def test_two_common_words_together_are_taken_for_as_rare_as_their_shares_multiplied():
    # Each word is in 200,000 of a million documents: alone, walk the primary key; both
    # together likely in 40,000 (a fifth of a fifth), few enough for the GIN index.
    president, georgia = Clause((("presid",),), "president"), Clause((("georgia",),), "Georgia")
    freqs = {"presid": 200_000, "georgia": 200_000}
    both = Plan("all", (president, georgia), (), (1.0,) * 4, 20, freqs, estimate=200_000)
    assert expected_matches(both, 1_000_000) == pytest.approx(40_000)
    assert newest_order(1_000_000, both, 5_000, "doc_id") == "doc_id + 0"
    alone = replace(both, clauses=(president,))
    assert expected_matches(alone, 1_000_000) == 200_000
    assert newest_order(1_000_000, alone, 5_000, "doc_id") == "doc_id"
    # Either word is enough in "any" mode: the estimate (their sum) stands.
    either = replace(both, mode="any", estimate=400_000)
    assert expected_matches(either, 1_000_000) == 400_000


def test_fewest_matches_is_one_words_count_and_unknown_for_the_rest():
    from tracker.search.base import fewest_matches

    word = Clause((("presid",), ("_cprezident",), ("presid", "putin")), "president")
    freqs = {"presid": 200, "_cprezident": 50, "putin": 900}
    alone = Plan("all", (word,), (), (1.0,) * 4, 20, freqs, estimate=250)
    assert fewest_matches(alone) == 200  # the union holds at least its largest part
    other = Clause((("putin",),), "Putin")
    assert fewest_matches(replace(alone, clauses=(word, other))) == 0  # together: unknown
    assert fewest_matches(replace(alone, excluded=(other,))) == 0
    assert fewest_matches(replace(alone, mode="any")) == 0
    phrase = Clause((("presid", "putin"),), '"president Putin"')
    assert fewest_matches(replace(alone, clauses=(phrase,))) == 0
