"""`tracker xref eval` on a tiny corpus: scores, both input formats, a kept database that is
brought up to date instead of silently reused, and the query-vector cache."""

from __future__ import annotations

import json

from tracker.xref import embeddings
from tracker.xref.evaluation import LEVELS, evaluate, threshold_table
from tracker.xref.matching import MatchSettings

CORPUS = [
    {"id": "bio", "text": "US laboratories in Ukraine develop biological weapons.", "lang": "en"},
    {"id": "grain", "text": "Ukrainian grain goes to rich countries, not the poor.", "lang": "en"},
    {"id": "nazi", "text": "Ukraine is governed by a neo-Nazi regime.", "lang": "en"},
    {"id": "gas", "text": "Europeans will freeze without Russian gas this winter.", "lang": "en"},
]
QUERIES = [
    {"id": "q1", "target": "bio", "kind": "short", "lang": "ru",
     "text": "Американские лаборатории на Украине создают биологическое оружие."},
    {"id": "q2", "target": "grain", "kind": "short", "lang": "en",
     "text": "Ukrainian grain is shipped to wealthy countries instead of poor ones."},
]  # fmt: skip


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_eval_scores_every_mode_and_group(tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", CORPUS)
    queries = write_jsonl(tmp_path / "queries.jsonl", QUERIES)
    results = evaluate(corpus, queries)
    assert set(results) >= {"all", "short", "ru", "en", "short-ru"}
    assert set(results["all"]) == {"lexical", "semantic", "fused"}
    assert results["all"]["fused"]["S@1"] == 1.0
    assert results["all"]["fused"]["queries"] == 2.0
    # Both right documents score at least 0.2; each query's three others are counted apart.
    assert results["all"]["fused"]["right>=0.2"] == 1.0
    wrong = [results["all"]["fused"][f"wrong>={level}"] for level in (0.2, 0.4, 0.6)]
    assert wrong == sorted(wrong, reverse=True) and wrong[0] <= 3.0
    table = threshold_table(results)
    assert "right kept" in table and len(table.splitlines()) == 1 + len(LEVELS)


def test_eval_reads_the_checkthat_formats(tmp_path):
    corpus = write_jsonl(
        tmp_path / "vclaims.jsonl",
        [
            {"vclaim_id": "v1", "vclaim": "Vaccines contain microchips.", "title": "Chips"},
            {"vclaim_id": "v2", "vclaim": "The moon landing was faked.", "title": "Moon"},
        ],
    )
    queries = tmp_path / "queries.tsv"
    queries.write_text("id\ttweet\nt1\tthey put microchips in the vaccines!\n", "utf-8")
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text("t1 0 v1 1\n", "utf-8")
    settings = MatchSettings(backend="none")
    results = evaluate(corpus, queries, qrels, settings=settings, modes=("lexical",))
    assert results["all"]["lexical"]["MAP@5"] == 1.0


def test_a_kept_database_is_brought_up_to_date(tmp_path):
    queries = write_jsonl(tmp_path / "queries.jsonl", QUERIES[1:])
    database = tmp_path / "eval.sqlite3"
    settings = MatchSettings(backend="none")
    first = write_jsonl(tmp_path / "first.jsonl", CORPUS[2:])  # the target is missing
    assert (
        evaluate(first, queries, settings=settings, database=database, modes=("lexical",))["all"][
            "lexical"
        ]["S@1"]
        == 0.0
    )
    full = write_jsonl(tmp_path / "full.jsonl", CORPUS)
    messages: list[str] = []
    again = evaluate(
        full,
        queries,
        settings=settings,
        database=database,
        modes=("lexical",),
        progress=messages.append,
    )
    assert again["all"]["lexical"]["S@1"] == 1.0
    assert "full-text index: 2 new or changed documents" in messages


def test_vectors_missing_from_a_kept_database_are_computed(tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", CORPUS)
    queries = write_jsonl(tmp_path / "queries.jsonl", QUERIES[:1])
    database = tmp_path / "eval.sqlite3"
    # A first run without a model leaves no vectors (like an interrupted run).
    evaluate(
        corpus, queries, settings=MatchSettings(backend="none"), database=database,
        modes=("lexical",),
    )  # fmt: skip
    messages: list[str] = []
    results = evaluate(
        corpus, queries, database=database, modes=("semantic",), progress=messages.append
    )
    assert "vectors: 4 encoded, 0 already stored" in messages
    assert results["all"]["semantic"]["S@1"] == 1.0


def test_the_query_cache_is_used_on_the_next_run(tmp_path, monkeypatch):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", CORPUS)
    queries = write_jsonl(tmp_path / "queries.jsonl", QUERIES)
    cache = tmp_path / "queries.sqlite3"
    options = {"database": tmp_path / "eval.sqlite3", "query_cache": cache, "modes": ("fused",)}
    monkeypatch.setattr(embeddings, "_CACHE", {})  # no query vectors in memory from before
    evaluate(corpus, queries, **options)
    monkeypatch.setattr(embeddings, "_CACHE", {})  # a new process: no vectors in memory
    messages: list[str] = []
    results = evaluate(corpus, queries, progress=messages.append, **options)
    assert "query vectors: 2 from the cache, 0 encoded" in messages
    assert results["all"]["fused"]["S@1"] == 1.0


def test_the_eval_command_prints_the_table_and_progress(app, tmp_path):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", CORPUS)
    queries = write_jsonl(tmp_path / "queries.jsonl", QUERIES)
    app.config["EMBEDDING_BACKEND"] = "none"
    result = app.test_cli_runner().invoke(
        args=["xref", "eval", "--corpus", str(corpus), "--queries", str(queries),
              "--modes", "lexical"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "MAP@5" in result.stdout and "lexical" in result.stdout
    assert "corpus: 4 documents" in result.stderr and "lexical: 2/2 queries" in result.stderr
