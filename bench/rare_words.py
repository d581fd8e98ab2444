"""Words that really are selective in a generated record: found in few claims.

The generator's own vocabularies are small (about 190 words per language, bench_vocab.py),
so at a million claims even their rarest words are in 1-10% of claims: asking for them
measures common-word searches. The English texts it borrows from
../shared/data/euvsdisinfo/cases.jsonl carry names and rare words (a name of a town, a
minister, a programme), each repeated only as often as its case was drawn. This module reads
those words, asks the search index how many claims hold each one (the document frequency it
keeps for planning, no posting list read) and keeps those found in at most SHARE of the
claims, as a visitor's query for a specific story would be.
"""

from __future__ import annotations

import json
import random
import re

from generate import CASES
from sqlalchemy.orm import Session

from tracker.database import make_engine, make_sessionmaker
from tracker.search import match_plan

SHARE = 0.002  # at most 0.2% of the claims: 2,000 of a million, 200 of 100,000
WORD = re.compile(r"\b[A-Za-z][a-z]{5,}\b")


def case_words() -> list[str]:
    """Distinct words of six letters or more in the borrowed cases' summaries, in order."""
    if not CASES.exists():
        return []
    found: set[str] = set()
    for line in CASES.open(encoding="utf-8"):
        case = json.loads(line)
        # Only the summary: the generator makes it a claim's text (its first 2,000
        # characters), which Datasette's full-text index also covers; the disproof becomes
        # the rationale, which only ours searches.
        found.update(WORD.findall((case.get("summary") or "")[:2_000]))
    return sorted(found)


def rare_words(url: str, claims: int, rng: random.Random, wanted: int = 150) -> list[str]:
    """Up to WANTED words found in at least one and at most SHARE of CLAIMS claims."""
    limit = max(20, int(claims * SHARE))
    words = case_words()
    rng.shuffle(words)
    engine = make_engine(url)
    picked: list[str] = []
    with make_sessionmaker(engine)() as session:
        for word in words:
            if _matches(session, word) in range(1, limit + 1):
                picked.append(word)
                if len(picked) == wanted:
                    break
    engine.dispose()
    return picked


def _matches(session: Session, word: str) -> int:
    plan = match_plan(session, "claim", word, lang="en")
    return plan.estimate if plan is not None else 0
