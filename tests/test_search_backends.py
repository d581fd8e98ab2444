"""Both search backends: the same documents found, in the same order, with the same scores."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, select

from tests import search_support
from tracker.search import (
    SearchDocument,
    UnknownKindError,
    count_matches,
    create_schema,
    delete_documents,
    drop_schema,
    index_documents,
    match,
    matching_ids,
    plan_query,
    search_ids,
)
from tracker.search.base import backend_for

# The database fixtures, parametrised over SQLite and (when configured) PostgreSQL.
db_engine = search_support.db_engine
postgres_engine = search_support.postgres_engine
search_engine = search_support.search_engine

CORPUS = search_support.load_corpus()
RANKING_QUERIES = [
    ("biological weapons Ukraine", "any"),
    ("Ukraine", "all"),
    ("Russia recruited foreign citizens in Moscow", "any"),
    ("Mariupol", "all"),
    ("sanctions economy", "any"),
    ("Зеленский бежал из Киева", "any"),
    ("Україна іноземці", "any"),
    # A word and a phrase that no document holds: PostgreSQL leaves them out of its scoring.
    ("Ukraine Quxlandia", "any"),
    ('"biological Quxlandia" sanctions', "any"),
    ('"biological weapons" Moscow', "any"),
]


@pytest.fixture
def corpus(search_engine):
    with search_engine.connect() as connection:
        index_documents(connection, "claim", CORPUS)
        yield connection


def ids(connection, query, **options):
    return [hit.doc_id for hit in search_ids(connection, "claim", query, **options)]


def test_russian_query_finds_the_russian_claim(corpus):
    assert ids(corpus, "Зеленского войны") == [2]


def test_ukrainian_word_with_another_case_ending_finds_its_claim(corpus):
    assert ids(corpus, "найманцями") == [3]


def test_ukrainian_apostrophe_spelling_does_not_matter(corpus):
    assert ids(corpus, "м'ясом") == [17]


def test_german_query_ignores_case_and_umlauts(corpus):
    assert ids(corpus, "STRASSE mariupol") == [12]


def test_french_query_ignores_accents(corpus):
    assert ids(corpus, "ECOLE maison") == [16]


def test_number_with_separator_finds_the_same_number(corpus):
    assert ids(corpus, "1500 Moscow") == [4]


def test_latin_name_finds_cyrillic_claim(search_engine):
    with search_engine.connect() as connection:
        index_documents(connection, "claim", [SearchDocument(1, "Навального отравили", lang="ru")])
        assert ids(connection, "Navalny") == [1]


PLACES = [
    SearchDocument(1, "Ракетный удар по Харькову ночью", lang="ru"),
    SearchDocument(2, "У Харкові знову вибухи", lang="uk"),
    SearchDocument(3, "Explosions reported in Kharkiv", lang="en"),
    SearchDocument(4, "Вчера в Киеве прошёл митинг", lang="ru"),
    SearchDocument(5, "Protest in Kiev, as the old spelling has it", lang="en"),
    SearchDocument(6, "Мітинг у Києві", lang="uk"),
]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Харьков", [1, 2, 3]),
        ("Харків", [1, 2, 3]),
        ("kharkiv", [1, 2, 3]),
        ("Kyiv", [4, 5, 6]),
        ("Киев", [4, 5, 6]),
        ("Київ", [4, 5, 6]),
    ],
)
def test_a_place_is_found_in_russian_ukrainian_and_english_spellings(search_engine, query, found):
    with search_engine.connect() as connection:
        index_documents(connection, "claim", PLACES)
        assert sorted(ids(connection, query)) == found


NUMBERS = [
    SearchDocument(1, "Завербовано более 1500 иностранцев", lang="ru"),
    SearchDocument(2, "Завербовано 1 500 иностранцев", lang="ru"),  # a plain space
    SearchDocument(3, "Завербовано 1\u00a0500 иностранцев", lang="ru"),
    SearchDocument(4, "More than 1,500 foreigners were recruited", lang="en"),
    SearchDocument(5, "1 soldier and 500 civilians", lang="en"),
]


@pytest.mark.parametrize(("query", "found"), [("1 500", [1, 2, 3, 4]), ("1500", [1, 3, 4])])
def test_a_number_typed_in_digit_groups_finds_it_however_it_is_written(search_engine, query, found):
    with search_engine.connect() as connection:
        index_documents(connection, "claim", NUMBERS)
        assert sorted(ids(connection, query)) == found
        assert sorted(ids(connection, f"{query} иностранцев")) == [n for n in found if n < 4]


def test_cyrillic_name_finds_latin_claim(search_engine):
    with search_engine.connect() as connection:
        index_documents(connection, "claim", [SearchDocument(1, "Zelenskyy visited Bakhmut")])
        assert ids(connection, "Зеленского") == [1]


def test_phrase_needs_the_words_together(corpus):
    assert ids(corpus, '"foreign mercenaries"') == [3]


def test_excluded_word_removes_documents(corpus):
    assert ids(corpus, "Moscow foreign -volunteers") == [4]


def test_excluded_phrase_removes_documents(corpus):
    assert ids(corpus, 'Moscow -"tens of thousands"') == [4]


def test_excluded_name_removes_its_other_script_too(search_engine):
    with search_engine.connect() as connection:
        docs = [SearchDocument(1, "Навальный был агентом", lang="ru"), SearchDocument(2, "агентом")]
        index_documents(connection, "claim", docs)
        assert ids(connection, "агентом -Navalny") == [2]


def test_update_replaces_the_old_text(corpus):
    index_documents(corpus, "claim", [SearchDocument(5, "Vaccines contain microchips")])
    assert (ids(corpus, "volunteers"), ids(corpus, "microchips")) == ([], [5])


def test_delete_removes_the_document(corpus):
    delete_documents(corpus, "claim", [8, 9])
    assert ids(corpus, "biological weapons", mode="any") == []


def test_delete_counts_only_documents_that_were_there(corpus):
    assert delete_documents(corpus, "claim", [8, 999]) == 1


def test_kinds_have_separate_indexes(corpus):
    index_documents(corpus, "article", [SearchDocument(8, "A debunk of the biolab story")])
    assert ids(corpus, "biolab") == [] and search_ids(corpus, "article", "biolab")[0].doc_id == 8


def test_best_match_ranks_first(corpus):
    assert set(ids(corpus, "biological weapons Ukraine", mode="any", limit=2)) == {8, 9}


def test_limit_caps_the_hits(corpus):
    assert len(ids(corpus, "Ukraine", limit=3)) == 3


def test_match_joins_onto_the_callers_table(corpus):
    claims = Table(
        "claims_under_test",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("status", String(20)),
    )
    claims.create(corpus)
    corpus.execute(insert(claims), [{"id": 8, "status": "draft"}, {"id": 9, "status": "published"}])
    hits = match(corpus, "claim", "biological weapons").subquery()
    stmt = (
        select(claims.c.id)
        .join(hits, claims.c.id == hits.c.doc_id)
        .where(claims.c.status == "published")
        .order_by(hits.c.score.desc())
    )
    assert corpus.execute(stmt).scalars().all() == [9]


def test_count_stops_at_the_cap(search_engine):
    with search_engine.connect() as connection:
        docs = [SearchDocument(i, f"war report number {i}") for i in range(1, 31)]
        index_documents(connection, "claim", docs)
        assert count_matches(connection, "claim", "war", cap=10) == 10
        assert count_matches(connection, "claim", "war report", cap=40) == 30


def test_a_word_in_more_documents_than_the_cap_is_not_counted(search_engine, monkeypatch):
    with search_engine.connect() as connection:
        docs = [SearchDocument(i, f"war report number {i}") for i in range(1, 31)]
        index_documents(connection, "claim", docs)
        backend = type(backend_for(connection))
        counted = []
        monkeypatch.setattr(backend, "count", lambda *args: counted.append(args) or 0)
        # Its document frequency (30) says there are at least 10: no rows are read
        assert count_matches(connection, "claim", "war", cap=10) == 10 and counted == []
        # Two words together: the counts cannot bound them below, so they are counted
        count_matches(connection, "claim", "war report", cap=10)
        assert len(counted) == 1


def test_common_query_ranks_only_the_newest_matches(search_engine):
    with search_engine.connect() as connection:
        docs = [SearchDocument(i, f"war report number {i}") for i in range(1, 31)]
        index_documents(connection, "claim", docs)
        plan = plan_query(connection, "claim", "war", window_size=5)
        stmt = backend_for(connection).select(connection, "claim", plan)
        found = [row.doc_id for row in connection.execute(stmt)]
        assert plan.window == 5 and sorted(found) == [26, 27, 28, 29, 30]


def test_every_hit_says_how_many_documents_were_ranked(search_engine):
    # A lower bound of the matches that costs nothing: the public search uses it to skip
    # counting them.
    with search_engine.connect() as connection:
        docs = [SearchDocument(i, f"war report number {i}") for i in range(1, 31)]
        index_documents(connection, "claim", docs)
        every = match(connection, "claim", "war", limit=3, count_ranked=True)
        windowed = plan_query(connection, "claim", "war", window_size=5, limit=2)
        windowed = dataclasses.replace(windowed, count_ranked=True)
        newest = backend_for(connection).select(connection, "claim", windowed)
        within = match(connection, "claim", "war", limit=2, within=[4, 5, 6, 40], count_ranked=True)
        assert [row.considered for row in connection.execute(every)] == [30, 30, 30]
        assert [row.considered for row in connection.execute(newest)] == [5, 5]
        assert [row.considered for row in connection.execute(within)] == [3, 3]
        # Not asked for, it is not counted (a pass over every match)
        uncounted = match(connection, "claim", "war report", mode="any", limit=2)
        assert [row.considered for row in connection.execute(uncounted)] == [0, 0]


def test_matching_ids_walks_the_newest_matches_or_any_as_many(search_engine):
    with search_engine.connect() as connection:
        docs = [SearchDocument(i, f"war report number {i}") for i in range(1, 31)]
        docs.append(SearchDocument(31, "peace talks"))
        index_documents(connection, "claim", docs)
        newest = connection.execute(matching_ids(connection, "claim", "war", newest=5))
        assert [row.doc_id for row in newest] == [30, 29, 28, 27, 26]
        some = matching_ids(connection, "claim", "war", newest=5, any_order=True)
        found = [row.doc_id for row in connection.execute(some)]
        assert len(found) == 5 and set(found) <= set(range(1, 31))


def test_common_words_that_seldom_meet_keep_all_their_matches(search_engine):
    with search_engine.connect() as connection:
        docs = [SearchDocument(i, "alpha" if i % 2 else "beta") for i in range(1, 41)]
        docs += [SearchDocument(41, "alpha beta"), SearchDocument(3, "alpha and beta")]
        index_documents(connection, "claim", docs)
        plan = plan_query(connection, "claim", "alpha beta", window_size=15)
        stmt = backend_for(connection).select(connection, "claim", plan)
        assert plan.window == 15 and sorted(r.doc_id for r in connection.execute(stmt)) == [3, 41]


def test_any_mode_ranks_old_documents_too(search_engine):
    with search_engine.connect() as connection:
        docs = [SearchDocument(i, f"war report number {i}") for i in range(1, 31)]
        index_documents(connection, "claim", docs)
        plan = plan_query(connection, "claim", "war report", mode="any", window_size=5)
        assert plan.window is None


def test_query_with_an_unknown_word_matches_nothing_in_all_mode(corpus):
    assert ids(corpus, "Ukraine zzzzqqq") == []


def test_query_with_an_unknown_word_still_matches_in_any_mode(corpus):
    assert 8 in ids(corpus, "biological zzzzqqq", mode="any")


def test_unknown_kind_is_refused(corpus):
    with pytest.raises(UnknownKindError):
        search_ids(corpus, "outlet", "war")


def test_create_schema_twice_is_harmless(search_engine):
    with search_engine.begin() as connection:
        create_schema(connection)
        create_schema(connection)
        assert search_ids(connection, "claim", "war") == []


def ranking(connection, query, mode="all", **options):
    hits = search_ids(connection, "claim", query, limit=20, mode=mode, **options)
    return [(hit.doc_id, round(hit.score, 9)) for hit in hits]


def rankings_on_both(postgres_engine, tmp_path, docs, query, mode="all", **options):
    """`ranking` of DOCS on a fresh SQLite index and on a fresh PostgreSQL one."""
    sqlite_engine = create_engine(f"sqlite:///{tmp_path / 'rank.sqlite3'}")
    results = []
    for engine in (sqlite_engine, postgres_engine):
        with engine.connect() as connection:
            drop_schema(connection, ["claim"])
            create_schema(connection, ["claim"])
            index_documents(connection, "claim", docs)
            results.append(ranking(connection, query, mode, **options))
            connection.rollback()
    sqlite_engine.dispose()
    return results


@pytest.mark.parametrize(("query", "mode"), RANKING_QUERIES)
def test_sqlite_and_postgresql_rank_alike(postgres_engine, tmp_path, query, mode):
    results = rankings_on_both(postgres_engine, tmp_path, CORPUS, query, mode)
    assert results[0] == results[1] and results[0]


def test_document_frequencies_follow_updates_and_deletes(search_engine):
    with search_engine.connect() as connection:
        docs = [SearchDocument(1, "war war report"), SearchDocument(2, "war")]
        index_documents(connection, "claim", docs)
        index_documents(connection, "claim", [SearchDocument(2, "peace report")])
        delete_documents(connection, "claim", [1])
        freqs = backend_for(connection).doc_freqs(connection, "claim", ["war", "report", "peac"])
        assert freqs == {"report": 1, "peac": 1}


def test_sqlite_counts_the_terms_of_an_index_made_before_the_terms_table(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'old.sqlite3'}")
    with engine.begin() as connection:
        create_schema(connection, ["claim"])
        docs = [SearchDocument(1, "war report"), SearchDocument(2, "war")]
        index_documents(connection, "claim", docs)
        connection.exec_driver_sql("DROP TABLE search_claim_terms")
        create_schema(connection, ["claim"])
        freqs = backend_for(connection).doc_freqs(connection, "claim", ["war", "report"])
    engine.dispose()
    assert freqs == {"war": 2, "report": 1}


WEIGHT_DOCS = [
    SearchDocument(101, "siege " * 3, "siege " * 40, "", "siege"),
    SearchDocument(102, "siege of the city", "", "siege " * 7, "siege siege"),
    SearchDocument(103, "", "", "", "siege " * 12),
    SearchDocument(104, "the city siege " * 60, "a report", "", ""),
]


@pytest.mark.parametrize(
    "weights", [(1.0, 1.0, 1.0, 0.5), (0.9, 0.6, 0.3, 1.0), (1.0, 0.0, 2.0, 0.0)]
)
def test_sqlite_and_postgresql_weigh_fields_and_repeats_alike(postgres_engine, tmp_path, weights):
    # PostgreSQL counts a word's positions per field through ts_rank
    # (postgres.count_positions): every field, weights that fall and rise, and a word
    # repeated up to 180 times.
    docs = [*CORPUS, *WEIGHT_DOCS]
    results = rankings_on_both(postgres_engine, tmp_path, docs, "siege", weights=weights)
    assert results[0] == results[1]
    assert {doc_id for doc_id, _ in results[0]} >= {101, 102, 103, 104}


def test_postgresql_reads_every_number_of_positions_back_from_ts_rank(postgres_engine):
    from tracker.search.postgres import RANK_BOUNDS

    with postgres_engine.connect() as connection:
        found = connection.exec_driver_sql(
            "SELECT n, width_bucket(ts_rank('{1,1,1,1}', "
            "  CAST('''w'':' || string_agg(i::text, ',') AS tsvector), CAST('w' AS tsquery)), "
            "  CAST(%(bounds)s AS real[])) "
            "FROM generate_series(1, 256) AS n, generate_series(1, n) AS i GROUP BY n",
            {"bounds": RANK_BOUNDS},
        ).all()
    assert sorted(found) == [(n, n) for n in range(1, 257)]


@pytest.mark.parametrize(("query", "mode"), [*RANKING_QUERIES, ('"biological weapons"', "all")])
def test_ranking_within_a_few_documents_gives_their_scores_among_all(search_engine, query, mode):
    # SQLite scores `within` itself (bm25() recounts phrases per rowid looked up); both
    # backends must give the very scores an unrestricted search gives those documents.
    with search_engine.connect() as connection:
        index_documents(connection, "claim", [*CORPUS, *WEIGHT_DOCS])
        connection.commit()  # FTS5 records its averages when a transaction commits
        everything = ranking(connection, query, mode)
        chosen = [doc_id for doc_id, _ in everything[::2]] + [10_000]
        hits = connection.execute(
            match(connection, "claim", query, mode=mode, limit=20, within=chosen)
        ).all()
        within = sorted(((row.doc_id, round(row.score, 9)) for row in hits), key=lambda h: -h[1])
        assert within == [hit for hit in everything if hit[0] in chosen]
        assert within
