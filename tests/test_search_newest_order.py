"""PostgreSQL walks a rare word's newest matches through the GIN index, a common word's by
the primary key: the choice is made from our own document frequencies, because the
planner's guess for a tsquery took a full backward scan of a million rows for a word in
543 of them (bench/README.md, search_phases.py)."""

from __future__ import annotations

import pytest

from tracker.search import postgres
from tracker.search.base import Plan


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
    backend = postgres.PostgresBackend()
    assert backend._newest_order(1_000_000, plan_matching(estimate), 2_000, "doc_id") == order
