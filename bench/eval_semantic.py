"""Measure the semantic stage on the cross-lingual set (tests/data/xlingual).

For each bundled model and each strategy, prints success@1/5/10 and MRR for short
paraphrases and long quotes per language (ru/uk/de), with mean and p95 milliseconds per
query (encoding included; the ~3,100 candidate vectors are cached under /tmp).

Candidates: the 62 English claim statements plus the EUvsDisinfo case titles from
../shared/data (when present) as distractors.

Also compares target fields (title vs summary vs debunk text) on EUvsDisinfo itself, and
the storage precision of the index (float32 / float16 / int8).

Run: .venv/bin/python bench/eval_semantic.py [--models use,e5,use+e5] [--quick]
(the use models need the `use` extra: pip install -e ".[use]")
"""

from __future__ import annotations

import os

# One BLAS thread (before numpy loads): multi-threaded BLAS spin-waits on the shared machine.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse
import time
from collections import defaultdict

import numpy as np
from semantic_common import (
    XLINGUAL,
    encode_cached,
    equivalents,
    euvsdisinfo_cases,
    percentile_ms,
    rank_of,
    read_jsonl,
    summarise,
    title_key,
)

from tracker.xref.embeddings import Encoder, get_encoder
from tracker.xref.semantic import SemanticConfig, query_scores
from tracker.xref.store import query_means as shipped_query_means
from tracker.xref.vector_index import Precision, VectorIndex

STRATEGIES = ("whole", "max", "top2", "max_whole", "window2")


def build_index(
    encoder: Encoder, texts: list[str], ids: list[str], precision: Precision = "float32"
) -> VectorIndex:
    vectors = encode_cached(encoder, texts, role="passage")
    index = VectorIndex(encoder.dim, precision=precision, capacity=len(ids))
    index.add(ids, vectors, groups=["en"] * len(ids))
    index.set_centering({"en": index.mean("en")})
    return index


def situation_sums(encoder: Encoder, queries: list[dict]) -> dict:
    """Whole-query vectors, and their sum and count per (kind, lang), for leave-one-out means."""
    vectors = encode_cached(encoder, [q["text"] for q in queries], role="query")
    sums: dict[tuple[str, str], tuple[np.ndarray, int]] = {}
    for q, v in zip(queries, vectors, strict=True):
        key = (q["kind"], q["lang"])
        total, count = sums.get(key, (np.zeros_like(v), 0))
        sums[key] = (total + v, count + 1)
    return {"vectors": dict(zip((q["id"] for q in queries), vectors, strict=True)), "sums": sums}


def equivalent_rows(index: VectorIndex) -> dict[str, list[int]]:
    """Rows of EUvsDisinfo titles judged to state the same claim as one of ours."""
    keys = equivalents()
    rows: dict[str, list[int]] = defaultdict(list)
    for i, item in enumerate(index.ids):
        key = EUVS_KEYS.get(str(item))
        for target, wanted in keys.items():
            if key in wanted:
                rows[target].append(i)
    return rows


EUVS_KEYS: dict[str, str] = {}
LOO = False


def run_config(
    encoder: Encoder,
    index: VectorIndex,
    queries: list[dict],
    config: SemanticConfig,
    means: dict,
) -> tuple[dict, dict]:
    """Ranks per (kind, lang) and timings per kind for one configuration."""
    row_of = {key: i for i, key in enumerate(index.ids)}
    same = equivalent_rows(index)
    ranks: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    times: dict[str, list[float]] = defaultdict(list)
    for q in queries:
        # The app centres a query by the shipped mean of its language (reference_means.json,
        # made from our quantity sentences and demo data); --loo instead uses the mean of the
        # other test queries of the same kind and language, which the app cannot know and
        # which flatters the numbers: it is kept only to compare.
        if LOO:
            key = (q["kind"], q["lang"])
            total, count = means["sums"][key]
            own = means["vectors"][q["id"]]
            query_means = {key: (total - own) / max(count - 1, 1)}
        else:
            query_means = shipped_query_means(encoder.model_id)
        started = time.perf_counter()
        scores = query_scores(encoder, index, q["text"], q["lang"], config, query_means)
        index.best(scores, 10)
        times[q["kind"]].append(time.perf_counter() - started)
        strict = rank_of(scores, row_of[q["target"]])
        lenient = min([strict, *(rank_of(scores, r) for r in same.get(q["target"], ()))])
        ranks[(q["kind"], q["lang"])].append((strict, lenient))
    return ranks, times


def print_table(title: str, rows: list[tuple[str, dict, dict]]) -> None:
    print(f"\n### {title}\n")
    print("s@k/MRR: the target claim only; 'eq': an EUvsDisinfo title judged to state the")
    print("same claim (tests/data/xlingual/equivalents.jsonl) also counts.\n")
    print(
        "| config | kind | lang | n | s@1 | s@5 | s@10 | MRR | s@1 eq | s@5 eq | mean ms | p95 ms |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for label, ranks, times in rows:
        groups = sorted(ranks.items())
        for kind in sorted({k for k, _ in ranks}):
            groups.append(
                ((kind, "all"), [r for (k, _), v in ranks.items() if k == kind for r in v])
            )
        for (kind, lang), values in groups:
            m = summarise([strict for strict, _ in values])
            e = summarise([lenient for _, lenient in values])
            t = times[kind]
            timing = (
                f"{1000 * np.mean(t):.1f} | {percentile_ms(t, 95):.1f}" if lang != "all" else " | "
            )
            print(
                f"| {label} | {kind} | {lang} | {m['n']} | {m['s@1']:.2f} | {m['s@5']:.2f} | "
                f"{m['s@10']:.2f} | {m['mrr']:.3f} | {e['s@1']:.2f} | {e['s@5']:.2f} | {timing} |"
            )


def eval_xlingual(encoder: Encoder, quick: bool) -> None:
    claims = read_jsonl(XLINGUAL / "claims.jsonl")
    queries = read_jsonl(XLINGUAL / "queries.jsonl")
    cases = euvsdisinfo_cases()
    ids = [c["id"] for c in claims] + [f"euvs-{i}" for i in range(len(cases))]
    EUVS_KEYS.update({f"euvs-{i}": title_key(c["title"]) for i, c in enumerate(cases)})
    texts = [c["text"] for c in claims] + [c["title"].strip() for c in cases]
    print(f"\n## {encoder.name}: {encoder.model_id}; {len(ids)} candidates")
    index = build_index(encoder, texts, ids)
    means = situation_sums(encoder, queries)
    short = [q for q in queries if q["kind"] == "short"]
    long = [q for q in queries if q["kind"] == "long"]

    rows = []
    for center in (False, True):
        config = SemanticConfig(center_short=center)
        ranks, times = run_config(encoder, index, short, config, means)
        rows.append((f"center={'on' if center else 'off'}", ranks, times))
    print_table(f"{encoder.name}: short paraphrases", rows)

    rows = []
    strategies = ("whole", "max_whole") if quick else STRATEGIES
    for strategy in strategies:
        for center in (False, True):
            config = SemanticConfig(long_strategy=strategy, center_long=center)
            ranks, times = run_config(encoder, index, long, config, means)
            rows.append((f"{strategy}, center={'on' if center else 'off'}", ranks, times))
    print_table(f"{encoder.name}: long quotes (strategy for splitting into sentences)", rows)

    rows = []
    for precision in ("float32", "float16", "int8"):
        idx = build_index(encoder, texts, ids, precision)  # type: ignore[arg-type]
        for kind, subset, config in (
            ("short", short, SemanticConfig()),
            ("long", long, SemanticConfig()),
        ):
            ranks, times = run_config(encoder, idx, subset, config, means)
            rows.append((f"{precision} storage ({kind})", ranks, times))
    print_table(f"{encoder.name}: storage precision of the index", rows)

    # The EUvsDisinfo titles include true same-narrative claims ("Kiev authorities are trying
    # to ban Russian language"), which count as misses above; this shows their effect.
    small = build_index(encoder, texts[: len(claims)], ids[: len(claims)])
    rows = []
    for kind, subset, config in (
        ("short", short, SemanticConfig(center_short=True)),
        ("long", long, SemanticConfig(long_strategy="whole", center_long=True)),
        ("long", long, SemanticConfig(long_strategy="max_whole", center_long=True)),
    ):
        ranks, times = run_config(encoder, small, subset, config, means)
        label = f"{config.long_strategy if kind == 'long' else 'short'}, center=on"
        rows.append((f"62 claims only: {label}", ranks, times))
    print_table(f"{encoder.name}: without the EUvsDisinfo distractors", rows)


def eval_target_fields(encoder: Encoder) -> None:
    """EUvsDisinfo: query = case summary; target = title, debunk text or both."""
    cases = [c for c in euvsdisinfo_cases() if (c.get("summary") or "").strip()]
    cases = [c for c in cases if (c.get("disproof") or "").strip()]
    if not cases:
        return
    summaries = encode_cached(encoder, [c["summary"] for c in cases], role="query")
    fields = {
        "title (claim statement)": [c["title"] for c in cases],
        "disproof (debunk full text)": [c["disproof"] for c in cases],
        "title + disproof": [f"{c['title']}. {c['disproof']}" for c in cases],
    }
    print(f"\n### {encoder.name}: target field, EUvsDisinfo ({len(cases)} cases)\n")
    print("query = the case summary (English); candidates = all cases; exact-duplicate ")
    print("titles count as hits.\n")
    print("| target text | s@1 | s@5 | s@10 | MRR |")
    print("|---|---|---|---|---|")
    titles = [c["title"].strip().lower() for c in cases]
    for label, texts in fields.items():
        matrix = encode_cached(encoder, texts, role="passage")
        scores = summaries @ matrix.T
        ranks = []
        for i in range(len(cases)):
            same = [j for j in range(len(cases)) if titles[j] == titles[i]]
            ranks.append(min(rank_of(scores[i], j) for j in same))
        m = summarise(ranks)
        print(f"| {label} | {m['s@1']:.3f} | {m['s@5']:.3f} | {m['s@10']:.3f} | {m['mrr']:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", default="use,e5,use+e5")
    parser.add_argument("--quick", action="store_true", help="fewer strategies")
    parser.add_argument("--skip-fields", action="store_true")
    parser.add_argument(
        "--loo", action="store_true", help="centre by leave-one-out means of the test queries"
    )
    args = parser.parse_args()
    global LOO
    LOO = args.loo
    for name in args.models.split(","):
        encoder = get_encoder(name)
        encoder.load()
        eval_xlingual(encoder, args.quick)
        if not args.skip_fields:
            eval_target_fields(encoder)


if __name__ == "__main__":
    main()
