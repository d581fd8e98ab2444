"""Latency and memory of the semantic stage at 100,000 and 1,000,000 stored vectors.

BLAS is limited to one thread (set before numpy loads): on the shared 2-core machine,
multi-threaded BLAS spin-waits and made single queries several times slower.

Latency = encoding one real query (from tests/data/xlingual) + exact top-10 over the index,
measured per query; the stored vectors are random unit vectors (the cost does not depend on
their content). Memory = the index's arrays and the growth of the process's resident set.

Run: .venv/bin/python bench/bench_semantic.py [--model use] [--sizes 100000,1000000]
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import gc
import time

import numpy as np
from semantic_common import XLINGUAL, percentile_ms, read_jsonl

from tracker.xref.embeddings import get_encoder
from tracker.xref.semantic import SemanticConfig, query_scores
from tracker.xref.vector_index import VectorIndex


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def build(dim: int, size: int, precision: str, seed: int = 0) -> VectorIndex:
    rng = np.random.default_rng(seed)
    index = VectorIndex(dim, precision=precision, capacity=size)  # type: ignore[arg-type]
    step = 50_000
    for start in range(0, size, step):
        n = min(step, size - start)
        block = rng.standard_normal((n, dim), dtype=np.float32)
        block /= np.linalg.norm(block, axis=1, keepdims=True)
        index.add(range(start, start + n), block, groups=["en"] * n)
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="use")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--precisions", default="float32,float16,int8")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    encoder = get_encoder(args.model)
    started = time.perf_counter()
    encoder.load()
    print(f"{encoder.model_id}: loaded in {time.perf_counter() - started:.2f}s")
    rows = read_jsonl(XLINGUAL / "queries.jsonl")
    short = [r for r in rows if r["kind"] == "short"][: args.queries]
    long = [r for r in rows if r["kind"] == "long"]

    print(
        "\n| items | storage | index MB | RSS growth MB | build s | query kind | "
        "centering | mean ms | p95 ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        for precision in args.precisions.split(","):
            gc.collect()
            before = rss_mb()
            started = time.perf_counter()
            index = build(encoder.dim, size, precision)
            built = time.perf_counter() - started
            grown = rss_mb() - before
            index.set_centering({"en": index.mean("en")})
            for kind, queries, config in (
                ("short", short, SemanticConfig(center_short=False)),
                ("short", short, SemanticConfig(center_short=True)),
                ("long", long, SemanticConfig()),
            ):
                times = []
                for q in queries:
                    t0 = time.perf_counter()
                    scores = query_scores(encoder, index, q["text"], q["lang"], config)
                    index.best(scores, 10)
                    times.append(time.perf_counter() - t0)
                center = "on" if (config.center_short or kind == "long") else "off"
                print(
                    f"| {size:,} | {precision} | {index.nbytes / 2**20:.0f} | {grown:.0f} | "
                    f"{built:.1f} | {kind} | {center} | {1000 * np.mean(times):.1f} | "
                    f"{percentile_ms(times, 95):.1f} |",
                    flush=True,
                )
            del index


if __name__ == "__main__":
    main()
