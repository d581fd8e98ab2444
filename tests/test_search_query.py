"""Query parsing: any input is safe, phrases and exclusions are understood."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine

from tests import search_support
from tracker.search import (
    SearchDocument,
    analyse_query,
    count_matches,
    create_schema,
    index_documents,
    parse_query,
    search_ids,
)
from tracker.search.query import MAX_QUERY_CHARS

# The database fixtures, parametrised over SQLite and (when configured) PostgreSQL.
db_engine = search_support.db_engine
postgres_engine = search_support.postgres_engine
search_engine = search_support.search_engine

HOSTILE = [
    "",
    "   ",
    '"',
    '"""',
    '"unbalanced phrase',
    "((((",
    "war))",
    "NEAR(war peace, 2)",
    "war AND OR NOT peace",
    "NOT",
    "OR",
    "-",
    "--",
    "- -war",
    "-war",
    "war*",
    "*",
    "col:war",
    "f1:war",
    "^war",
    "war^2",
    "{f1 f2}: war",
    "'; DROP TABLE search_claim; --",
    "' OR 1=1 --",
    "war & !peace | (x <-> y)",
    "war:*",
    "\\",
    "%_%",
    "🙂🔥💣",
    "война 🙂 war",
    "\x00\x01\x02",
    "a" * 10_000,
    "war " * 3_000,
    "ß" * 500,
    '"war" "peace" "',
    '-"war peace" -peace',
]


def test_words_phrases_and_exclusions_are_told_apart():
    parsed = parse_query('war "foreign mercenaries" -Moscow -"tens of thousands"')
    assert parsed.words == ("war",)
    assert parsed.phrases == (("foreign", "mercenaries"),)
    assert parsed.excluded == (("Moscow",), ("tens", "of", "thousands"))


def test_unbalanced_quote_is_read_as_words():
    assert parse_query('"foreign mercenaries').words == ("foreign", "mercenaries")


def test_fts_operators_are_plain_words():
    assert parse_query("war NEAR peace").words == ("war", "NEAR", "peace")


def test_hyphen_inside_a_word_is_not_an_exclusion():
    assert parse_query("covid-19").excluded == ()


def test_input_beyond_the_limit_is_ignored():
    parsed = parse_query("a " * MAX_QUERY_CHARS + "tail")
    assert "tail" not in parsed.words


def test_stop_words_are_dropped_from_queries():
    surfaces = [clause.surface for clause in analyse_query("the war in Ukraine").clauses]
    assert surfaces == ["war", "Ukraine"]


def test_a_query_of_stop_words_only_keeps_them():
    assert [c.surface for c in analyse_query("to be or not to be").clauses] == [
        "to",
        "be",
        "or",
        "not",
    ]


def test_phrases_keep_their_stop_words():
    clause = analyse_query('"war in Ukraine"', lang="en").clauses[0]
    assert clause.alternatives == (("war", "in", "ukrain"),)


def test_any_mode_adds_name_keys_only_to_capitalised_words():
    analysed = analyse_query("navalny Navalny", mode="any", lang="en")
    keys = [alt for clause in analysed.clauses for alt in clause.alternatives if alt[0][0] == "_"]
    assert keys == [("_cnavaln",)]


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("mode", ["all", "any"])
def test_hostile_query_returns_normally(search_engine, query, mode):
    with search_engine.connect() as connection:
        index_documents(connection, "claim", [SearchDocument(1, "war and peace AND NOT NEAR")])
        hits = search_ids(connection, "claim", query, mode=mode)
        counted = count_matches(connection, "claim", query, mode=mode)
    assert len(hits) <= 1 and counted <= 1


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_text_is_a_valid_query(text):
    engine = create_engine("sqlite://")
    with engine.connect() as connection:
        create_schema(connection, ["claim"])
        index_documents(connection, "claim", [SearchDocument(1, "war and peace NEAR 1,500")])
        for mode in ("all", "any"):
            assert len(search_ids(connection, "claim", text, mode=mode)) <= 1
    engine.dispose()
