"""PostgreSQL's candidates for an "any" query of common words (`preselect_tsquery`).

When more documents may match than PRESELECT, only those with one of the query's rarest
words or two of its other words are scored: the GIN index finds them from its posting
lists, where every document sharing one common word would cost a row read.
"""

from __future__ import annotations

import pytest

from tests import search_support
from tracker.search import SearchDocument, create_schema, drop_schema, index_documents, search_ids
from tracker.search import postgres as postgres_module
from tracker.search.base import Plan
from tracker.search.postgres import preselect_tsquery
from tracker.search.query import Clause

postgres_engine = search_support.postgres_engine


def plan_of(freqs: dict[str, int], excluded: tuple[str, ...] = ()) -> Plan:
    return Plan(
        mode="any",
        clauses=tuple(Clause(((term,),), term) for term in freqs),
        excluded=tuple(Clause(((term,),), term) for term in excluded),
        weights=(1.0, 1.0, 1.0, 0.5),
        limit=10,
        freqs=freqs,
        estimate=sum(freqs.values()),
    )


def test_rarest_words_alone_and_two_of_the_others():
    plan = plan_of({"common": 5_000, "rare": 40, "usual": 900, "scarce": 300})
    # 40 + 300 postings fit RARE_SINGLES (500); adding 900 would not
    assert preselect_tsquery(plan) == ("(('rare') | ('scarce') | (('usual') & (('common'))))")


def test_every_word_common_means_any_two_of_them():
    plan = plan_of({"a": 2_000, "b": 3_000, "c": 4_000})
    assert preselect_tsquery(plan) == "((('a') & (('b') | ('c'))) | (('b') & (('c'))))"


def test_a_pair_holds_one_of_the_rarest_other_words(monkeypatch):
    monkeypatch.setattr(postgres_module, "PAIR_FIRSTS", 2)
    plan = plan_of({"a": 2_000, "b": 3_000, "c": 4_000, "d": 5_000})
    # "c & d" is not a pair: neither is among the two rarest of the common words
    assert preselect_tsquery(plan) == (
        "((('a') & (('b') | ('c') | ('d'))) | (('b') & (('c') | ('d'))))"
    )


def test_a_single_common_word_is_its_own_candidates():
    assert preselect_tsquery(plan_of({"war": 80_000})) == "(('war'))"


def test_excluded_words_are_excluded_from_the_candidates():
    plan = plan_of({"a": 2_000, "b": 3_000}, excluded=("c",))
    assert preselect_tsquery(plan) == "((('a') & (('b')))) & !(('c'))"


@pytest.fixture
def common_words(postgres_engine):
    """1,000 documents with one common word each, 30 with both, 3 with a rare word."""
    docs = [SearchDocument(i, f"alpha filler {i}") for i in range(1, 501)]
    docs += [SearchDocument(i, f"beta filler {i}") for i in range(501, 1001)]
    docs += [SearchDocument(i, "alpha beta together") for i in range(1001, 1031)]
    docs += [SearchDocument(i, "zulu stands alone") for i in (2001, 2002, 2003)]
    with postgres_engine.begin() as connection:
        drop_schema(connection)
        create_schema(connection)
        index_documents(connection, "claim", docs)
    yield postgres_engine
    with postgres_engine.begin() as connection:
        drop_schema(connection)


def test_documents_sharing_one_common_word_are_not_scored(common_words, monkeypatch):
    monkeypatch.setattr(postgres_module, "PRESELECT", 100)
    with common_words.connect() as connection:
        hits = search_ids(connection, "claim", "alpha beta zulu", mode="any", limit=100)
    found = {hit.doc_id for hit in hits}
    assert found == set(range(1001, 1031)) | {2001, 2002, 2003}
    # The rare word's documents rank first, as BM25 scores them (not as they were found)
    assert {hit.doc_id for hit in hits[:3]} == {2001, 2002, 2003}


def test_at_most_the_newest_candidates_are_scored(common_words, monkeypatch):
    monkeypatch.setattr(postgres_module, "PRESELECT", 100)
    monkeypatch.setattr(postgres_module, "PRESELECT_CAP", 10)
    with common_words.connect() as connection:
        hits = search_ids(connection, "claim", "alpha beta", mode="any", limit=100)
    assert sorted(hit.doc_id for hit in hits) == list(range(1021, 1031))


def test_few_possible_matches_are_all_scored(common_words):
    # "alpha" is in 530 documents, fewer than PRESELECT (1,000): every one is scored
    with common_words.connect() as connection:
        hits = search_ids(connection, "claim", "alpha", mode="any", limit=1_000)
    assert len(hits) == 530
