"""Evaluate the lexical stage of claim matching on CLEF CheckThat! 2022 Task 2A (English).

Indexes the 14,231 fact-checked claims (claim text, title, subtitle) with tracker.search,
runs the tweets of a split as "any"-mode queries and prints MAP@5, MRR, success@1/5/10 and
mean/p95 milliseconds per query, for each backend and variant.

    python bench/eval_lexical.py                    # dev split, SQLite
    python bench/eval_lexical.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    python bench/eval_lexical.py --split train --variants all   # tune on train

The data is read from ../shared/data/checkthat2022 beside the checkout (never copied).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.database import make_engine  # noqa: E402
from tracker.search import postgres as postgres_module  # noqa: E402
from tracker.search import query as query_module  # noqa: E402
from tracker.search.base import SearchDocument  # noqa: E402
from tracker.search.postgres import tsquery_literal  # noqa: E402
from tracker.search.service import (  # noqa: E402
    create_schema,
    drop_schema,
    index_documents,
    plan_query,
)

DATA = ROOT.parent / "shared" / "data" / "checkthat2022"
KIND = "claim"


@dataclass
class Variant:
    """One configuration to evaluate."""

    name: str
    weights: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 0.5)
    lang: str | None = "en"  # the query's language
    index_lang: str | None = "en"
    stopwords: bool = True
    max_clauses: int = 32
    budget: int = 20_000
    ranker: str = "bm25"  # or "ts_rank_cd" (PostgreSQL only)
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


VARIANTS = {
    "default": Variant("bm25, en stemming, stop words, 32 terms, w=1/1/1/.5"),
    "no-lang": Variant("same, query language unknown (en+de+fr stems)", lang=None),
    "no-stop": Variant("no query stop words", stopwords=False),
    "no-stem": Variant("no stemming", lang="xx", index_lang="xx"),
    "cap16": Variant("query cap 16 terms", max_clauses=16),
    "cap64": Variant("query cap 64 terms", max_clauses=64),
    "budget2k": Variant("any-mode postings budget 2,000", budget=2_000),
    "claim-only": Variant("claim field only (w=1/0/0/0)", weights=(1.0, 0.0, 0.0, 0.0)),
    "w-1-.5-.5": Variant("weights 1/.5/.5/.5", weights=(1.0, 0.5, 0.5, 0.5)),
    "w-1-1-.5": Variant("weights 1/1/.5/.5", weights=(1.0, 1.0, 0.5, 0.5)),
    "w-1-.7-.7-0": Variant("weights 1/.7/.7/0 (no name keys)", weights=(1.0, 0.7, 0.7, 0.0)),
    "ts_rank_cd": Variant("PostgreSQL ts_rank_cd instead of BM25", ranker="ts_rank_cd"),
    "pairs2": Variant("pairs: one of the 2 rarest other words", extra={"pair_firsts": 2}),
    "pairs4": Variant("pairs: one of the 4 rarest other words", extra={"pair_firsts": 4}),
    "pairs8": Variant("pairs: one of the 8 rarest other words", extra={"pair_firsts": 8}),
    "pairs12": Variant("pairs: one of the 12 rarest other words", extra={"pair_firsts": 12}),
    "cap2k": Variant("preselection cap 2,000", extra={"cap": 2_000}),
    "cap3k": Variant("preselection cap 3,000", extra={"cap": 3_000}),
    "no-preselect": Variant(
        "PostgreSQL BM25 on all candidates (no preselection)", extra={"preselect": 10**9}
    ),
}
DEFAULT_VARIANTS = [
    "default",
    "no-lang",
    "no-stop",
    "no-stem",
    "cap16",
    "cap64",
    "budget2k",
    "claim-only",
    "ts_rank_cd",
    "no-preselect",
]


def load_claims() -> list[dict[str, str]]:
    with (DATA / "vclaims.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_split(split: str) -> tuple[dict[str, str], dict[str, set[str]]]:
    queries = {}
    with (DATA / "CT2022-Task2A-EN-Train-Dev_Queries.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            qid, _, text = line.rstrip("\n").partition("\t")
            queries[qid] = text
    qrels: dict[str, set[str]] = {}
    name = "Dev" if split == "dev" else "Train"
    with (DATA / f"CT2022-Task2A-EN-{name}_QRELs.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            qid, _zero, doc, _one = line.split()
            qrels.setdefault(qid, set()).add(doc)
    return {qid: queries[qid] for qid in qrels}, qrels


@contextmanager
def connect(url: str) -> Iterator[Connection]:
    engine = make_engine(url)  # the app's connection settings (custom plans on PostgreSQL)
    schema = f"search_eval_{uuid.uuid4().hex[:8]}"
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
            connection.exec_driver_sql(f"SET search_path TO {schema}")
        try:
            yield connection
        finally:
            connection.rollback()
            if engine.dialect.name == "postgresql":
                connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
                connection.commit()
    engine.dispose()


def build_index(connection: Connection, claims: list[dict[str, str]], lang: str | None) -> float:
    drop_schema(connection, [KIND])
    create_schema(connection, [KIND])
    docs = (
        SearchDocument(i + 1, c["vclaim"], c.get("title", ""), c.get("subtitle", ""), lang=lang)
        for i, c in enumerate(claims)
    )
    started = time.perf_counter()
    index_documents(connection, KIND, docs)
    connection.commit()
    return time.perf_counter() - started


def ts_rank_cd_ids(connection: Connection, text: str, variant: Variant) -> list[int]:
    plan = plan_query(
        connection,
        KIND,
        text,
        mode="any",
        lang=variant.lang,
        max_any_clauses=variant.max_clauses,
        budget=variant.budget,
    )
    if plan is None:
        return []
    w = variant.weights
    cursor = connection.connection.driver_connection.cursor()
    cursor.execute(
        "SELECT doc_id FROM search_claim WHERE tsv @@ %s::tsquery "
        "ORDER BY ts_rank_cd(%s::float4[], tsv, %s::tsquery) DESC, doc_id LIMIT 10",
        (tsquery_literal(plan), [w[3], w[2], w[1], w[0]], tsquery_literal(plan)),
    )
    return [row[0] for row in cursor.fetchall()]


def evaluate(
    connection: Connection,
    queries: dict[str, str],
    qrels: dict[str, set[str]],
    ids: dict[int, str],
    variant: Variant,
) -> dict[str, float]:
    runner: Callable[[str], list[int]]
    if variant.ranker == "ts_rank_cd":
        runner = lambda text: ts_rank_cd_ids(connection, text, variant)  # noqa: E731
    else:

        def runner(text: str) -> list[int]:
            plan = plan_query(
                connection,
                KIND,
                text,
                mode="any",
                lang=variant.lang,
                limit=10,
                weights=variant.weights,
                max_any_clauses=variant.max_clauses,
                budget=variant.budget,
            )
            if plan is None:
                return []
            from tracker.search.base import backend_for

            stmt = backend_for(connection).select(connection, KIND, plan)
            return [row.doc_id for row in connection.execute(stmt)]

    original = query_module.is_stopword
    original_preselect = postgres_module.PRESELECT
    postgres_module.PRESELECT = variant.extra.get("preselect", original_preselect)
    original_pairs, original_cap = postgres_module.PAIR_FIRSTS, postgres_module.PRESELECT_CAP
    postgres_module.PAIR_FIRSTS = variant.extra.get("pair_firsts", original_pairs)
    postgres_module.PRESELECT_CAP = variant.extra.get("cap", original_cap)
    if not variant.stopwords:
        query_module.is_stopword = lambda surface, lang=None: False  # type: ignore[assignment]
    ap5, rr, s1, s5, s10, times = [], [], [], [], [], []
    try:
        for qid, text in queries.items():
            started = time.perf_counter()
            ranked = [ids[i] for i in runner(text)]
            times.append((time.perf_counter() - started) * 1000)
            gold = qrels[qid]
            hits, precision_sum = 0, 0.0
            for rank, doc in enumerate(ranked[:5], start=1):
                if doc in gold:
                    hits += 1
                    precision_sum += hits / rank
            ap5.append(precision_sum / len(gold))
            first = next((r for r, d in enumerate(ranked, start=1) if d in gold), None)
            rr.append(1 / first if first else 0.0)
            s1.append(bool(first and first <= 1))
            s5.append(bool(first and first <= 5))
            s10.append(bool(first and first <= 10))
    finally:
        query_module.is_stopword = original
        postgres_module.PRESELECT = original_preselect
        postgres_module.PAIR_FIRSTS, postgres_module.PRESELECT_CAP = original_pairs, original_cap
    times.sort()
    return {
        "MAP@5": statistics.mean(ap5),
        "MRR": statistics.mean(rr),
        "S@1": statistics.mean(s1),
        "S@5": statistics.mean(s5),
        "S@10": statistics.mean(s10),
        "ms mean": statistics.mean(times),
        "ms p95": times[int(0.95 * (len(times) - 1))],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["dev", "train"], default="dev")
    parser.add_argument("--sqlite", default="sqlite://", help="SQLite URL ('' to skip)")
    parser.add_argument("--postgres", default="", help="PostgreSQL URL (empty: skip)")
    parser.add_argument("--variants", default=",".join(DEFAULT_VARIANTS), help="or 'all'")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"CheckThat! data not found in {DATA}")
    claims = load_claims()
    ids = {i + 1: c["vclaim_id"] for i, c in enumerate(claims)}
    queries, qrels = load_split(args.split)
    names = list(VARIANTS) if args.variants == "all" else args.variants.split(",")
    print(f"{len(claims)} claims, {len(queries)} {args.split} queries, mode 'any'\n")
    header = f"{'backend':9} {'variant':50} " + " ".join(
        f"{h:>7}" for h in ("MAP@5", "MRR", "S@1", "S@5", "S@10", "ms mean", "ms p95")
    )
    print(header)
    for url in (args.sqlite, args.postgres):
        if not url:
            continue
        with connect(url) as connection:
            backend = connection.dialect.name
            built_for: object = object()
            for name in names:
                variant = VARIANTS[name]
                if backend != "postgresql" and (variant.ranker != "bm25" or variant.extra):
                    continue
                if built_for != variant.index_lang:
                    seconds = build_index(connection, claims, variant.index_lang)
                    print(f"{backend:9} (indexed {len(claims)} claims in {seconds:.1f} s)")
                    built_for = variant.index_lang
                result = evaluate(connection, queries, qrels, ids, variant)
                print(
                    f"{backend:9} {variant.name[:50]:50} "
                    + " ".join(f"{value:7.3f}" for value in list(result.values())[:5])
                    + " ".join(f"{value:8.1f}" for value in list(result.values())[5:])
                )


if __name__ == "__main__":
    main()
