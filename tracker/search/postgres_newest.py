"""PostgreSQL: which way to read a query's newest matches (the highest ids).

Ranking a common word ranks its newest `window` matches, and newest-first listing and the
filters walk the newest matches too. Two ways read them, chosen by our own document
frequencies (the planner cannot tell a rare word from a common one: a tsquery's estimate is
a guess):

- dense matches: walk the primary key backwards and keep the rows that match, until enough;
- sparse matches: the GIN index's bitmap of the matches, the rows read, the ids sorted.
"""

from __future__ import annotations

from tracker.search.base import Plan, expected_matches

# Walking the newest matches: a backward primary-key scan reads rows until enough match
# (about 1.3 microseconds a row, tsvectors in their rows); a GIN bitmap scan reads every
# match and sorts them (about 2.4 a match; measured at 100,000 claims with words in 2,000 to
# 30,000 of them). The planner took the backward scan through a million rows for a word in
# 543 of them (2.9 s, not 5 ms). With M matches of N documents, the bitmap scan costs less
# while M is below about sqrt(0.54 * newest * N).
BACKWARD_ROW_COST, BITMAP_ROW_COST = 1.3, 2.4


def newest_order(n_docs: int, plan: Plan, newest: int, column: str) -> str:
    """What to order the newest matches by: the id itself lets the planner walk the
    primary key backwards; ``id + 0`` hides that index, so the matches are read through
    the GIN index and sorted (see BITMAP_ROW_COST)."""
    matches = expected_matches(plan, n_docs)
    sparse = matches**2 * BITMAP_ROW_COST < BACKWARD_ROW_COST * newest * n_docs
    return f"{column} + 0" if sparse else column
