"""CheckThat! 2022 Task 2A (English): semantic stage alone, BM25 alone, and their fusions.

Fusion parameters are chosen on the training queries and reported on the dev queries
(MAP@5, the official metric). BM25 here is a stand-in (``bench/lexical_baseline.py``) for
the real lexical stage. Claim vectors are cached under /tmp.

Run: .venv/bin/python bench/eval_checkthat_semantic.py [--models use,e5]
"""

from __future__ import annotations

import os

# One BLAS thread (before numpy loads): multi-threaded BLAS spin-waits on the shared machine.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import itertools
import time
from collections import defaultdict

import numpy as np
from lexical_baseline import BM25
from semantic_common import SHARED, average_precision_at, encode_cached, read_jsonl

from tracker.xref.embeddings import Encoder, get_encoder
from tracker.xref.fusion import (
    reciprocal_rank_fusion,
    rerank_and_extend,
    weighted_score_fusion,
)
from tracker.xref.vector_index import top_k_of

DATA = SHARED / "checkthat2022"
DEPTH = 100  # each stage hands this many candidates to fusion


def load() -> tuple[list[dict], dict[str, str], dict[str, dict[str, set[str]]]]:
    claims = read_jsonl(DATA / "vclaims.jsonl")
    queries: dict[str, str] = {}
    with (DATA / "CT2022-Task2A-EN-Train-Dev_Queries.tsv").open(encoding="utf-8") as handle:
        for line in handle:
            qid, _, text = line.rstrip("\n").partition("\t")
            if qid and qid != "id":
                queries[qid] = text
    qrels: dict[str, dict[str, set[str]]] = {}
    for split in ("Train", "Dev"):
        gold: dict[str, set[str]] = defaultdict(set)
        with (DATA / f"CT2022-Task2A-EN-{split}_QRELs.tsv").open(encoding="utf-8") as handle:
            for line in handle:
                parts = line.split()
                if len(parts) == 4 and parts[3] == "1":
                    gold[parts[0]].add(parts[2])
        qrels[split.lower()] = dict(gold)
    return claims, queries, qrels


def field_texts(claims: list[dict], field: str) -> list[str]:
    def get(c: dict, key: str) -> str:
        return (c.get(key) or "").strip()

    if field == "vclaim":
        return [get(c, "vclaim") for c in claims]
    if field == "title":
        return [get(c, "title") for c in claims]
    if field == "title+vclaim":
        return [f"{get(c, 'title')}. {get(c, 'vclaim')}" for c in claims]
    if field == "all":
        return [f"{get(c, 'title')}. {get(c, 'subtitle')} {get(c, 'vclaim')}" for c in claims]
    raise ValueError(field)


def map5(run: dict[str, list], gold: dict[str, set[str]]) -> float:
    return float(np.mean([average_precision_at([i for i, _ in run[q]], gold[q], 5) for q in gold]))


def semantic_runs(
    encoder: Encoder,
    claims: list[dict],
    ids: list[str],
    queries: dict[str, str],
    qids: list[str],
    train_ids: list[str],
    fields: list[str],
) -> dict[str, dict[str, np.ndarray]]:
    """Full score vectors per configuration (field, max-over-fields, centering)."""
    qv = encode_cached(encoder, [queries[q] for q in qids], role="query")
    field_vectors = {
        f: encode_cached(encoder, field_texts(claims, f), role="passage") for f in fields
    }
    configs: dict[str, dict[str, np.ndarray]] = {}
    # The query mean comes from the training queries only, the claim mean from the claims.
    train_rows = [i for i, q in enumerate(qids) if q in set(train_ids)]
    q_mean = qv[train_rows].mean(axis=0)
    for field, dv in field_vectors.items():
        for center in (False, True):
            if center:
                d = dv - dv.mean(axis=0)
                d /= np.linalg.norm(d, axis=1, keepdims=True)
                q = qv - q_mean
                q /= np.linalg.norm(q, axis=1, keepdims=True)
            else:
                d, q = dv, qv
            scores = q @ d.T
            configs[f"{field}, center={'on' if center else 'off'}"] = dict(
                zip(qids, scores, strict=True)
            )
    if len(fields) > 1:
        stacked = np.stack([qv @ dv.T for dv in field_vectors.values()])
        configs["max over fields, center=off"] = dict(zip(qids, stacked.max(axis=0), strict=True))
    return configs


def ranked(scores: np.ndarray, ids: list[str], k: int = DEPTH) -> list[tuple[str, float]]:
    return top_k_of(scores, ids, k)


def with_exact(
    sem: np.ndarray, lex_list: list[tuple[str, float]], ids: list[str], row: dict[str, int]
) -> list[tuple[str, float]]:
    """Semantic top-DEPTH plus the exact semantic score of every lexical candidate."""
    found = dict(ranked(sem, ids))
    for item, _ in lex_list:
        found.setdefault(item, float(sem[row[item]]))
    return sorted(found.items(), key=lambda kv: -kv[1])


def fusion_grid() -> list[tuple[str, dict]]:
    grid: list[tuple[str, dict]] = []
    for k, w in itertools.product((5, 10, 30, 60), (0.3, 0.5, 0.7, 1.0, 1.5)):
        grid.append(("rrf", {"k": k, "weights": [1.0, w]}))
    for w in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        grid.append(
            (
                "weighted max/none",
                {"weights": [round(1 - w, 2), w], "normalisation": ["max", "none"]},
            )
        )
        grid.append(
            ("weighted minmax", {"weights": [round(1 - w, 2), w], "normalisation": "minmax"})
        )
    for depth, w, t in itertools.product(
        (10, 20, 50), (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8), (None, 0.6, 0.7, 0.8, 0.9)
    ):
        grid.append(("rerank+extend", {"depth": depth, "semantic_weight": w, "add_threshold": t}))
    return grid


def fuse(method: str, lex: list, sem: list, params: dict) -> list:
    if method == "rrf":
        return reciprocal_rank_fusion([lex, sem], **params)
    if method.startswith("weighted"):
        return weighted_score_fusion([lex, sem], **params)
    return rerank_and_extend(lex, sem, **params)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="use,e5")
    parser.add_argument("--fields", default="vclaim,title,title+vclaim,all")
    args = parser.parse_args()
    if not DATA.exists():
        print(f"{DATA} is absent; nothing to evaluate")
        return
    claims, queries, qrels = load()
    ids = [c["vclaim_id"] for c in claims]
    row = {item: i for i, item in enumerate(ids)}
    train, dev = qrels["train"], qrels["dev"]
    qids = sorted(set(train) | set(dev))
    print(f"{len(claims)} verified claims; {len(train)} train and {len(dev)} dev queries")

    started = time.perf_counter()
    bm25 = BM25(field_texts(claims, "all"))
    lexical = {q: ranked(bm25.scores(queries[q]), ids) for q in qids}
    took = (time.perf_counter() - started) * 1000 / len(qids)
    print(f"\nBM25 (stemmed title+subtitle+vclaim), {took:.1f} ms/query incl. indexing")
    print("| run | MAP@5 train | MAP@5 dev |\n|---|---|---|")
    print(f"| BM25 alone | {map5(lexical, train):.4f} | {map5(lexical, dev):.4f} |")

    for name in args.models.split(","):
        encoder = get_encoder(name)
        encoder.load()
        print(f"\n## {encoder.name}: {encoder.model_id}\n")
        fields = args.fields.split(",")
        configs = semantic_runs(encoder, claims, ids, queries, qids, list(train), fields)
        print("Semantic stage alone (tweet encoded whole):\n")
        print("| target text | MAP@5 train | MAP@5 dev |\n|---|---|---|")
        best_label, best_train = "", -1.0
        for label, scores in configs.items():
            run = {q: ranked(s, ids, 5) for q, s in scores.items()}
            tr, dv = map5(run, train), map5(run, dev)
            print(f"| {label} | {tr:.4f} | {dv:.4f} |")
            if tr > best_train:
                best_label, best_train = label, tr
        print(f"\nFusion with BM25, semantic = {best_label} (chosen on train):\n")
        scores = configs[best_label]
        sem_lists = {q: with_exact(scores[q], lexical[q], ids, row) for q in qids}
        best: dict[str, tuple[float, dict, float]] = {}
        for method, params in fusion_grid():
            run = {q: fuse(method, lexical[q], sem_lists[q], params)[:5] for q in qids}
            tr, dv = map5(run, train), map5(run, dev)
            if method not in best or tr > best[method][0]:
                best[method] = (tr, params, dv)
        print("| fusion (best parameters on train) | parameters | MAP@5 train | MAP@5 dev |")
        print("|---|---|---|---|")
        for method, (tr, params, dv) in best.items():
            print(f"| {method} | {params} | {tr:.4f} | {dv:.4f} |")


if __name__ == "__main__":
    main()
