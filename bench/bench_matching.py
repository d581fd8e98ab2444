"""Matching a new claim against every stored claim and debunk: latency, vectors, memory.

    python bench/bench_matching.py --backend sqlite --claims 1000000
    python bench/bench_matching.py --database-url sqlite:////tmp/some-other.sqlite3

Works on the database bench_public.py generated for --claims (or any --database-url filled by
bench/generate.py). It prints:

1. how fast the default encoder computes stored vectors (measured on --sample real texts of
   the database, in the batches `tracker xref rebuild` uses), and the time that gives for
   every stored item and for 1,000,000;
2. the matching latency of --queries new claims (English, Russian, Ukrainian, generated like
   the corpus) through `XrefEngine.match`, lexical and semantic together: p50/p95/p99, with
   the query's own encoding shown apart;
3. the memory the in-memory vector index takes, and this process's peak resident memory.

Encoding a million texts with the default model takes hours on two cores, so the items that
have no vector yet get a random unit vector written in the stored format (int8), marked
"bench-synthetic" in the text hash column. Search time does not depend on
the values of the vectors, only on their number; the quality of matching is measured
elsewhere (`tracker xref eval`).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sqlalchemy import and_, func, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import Text, bench_database_url
from processes import peak_resident_mb

from tracker.database import make_engine, make_sessionmaker
from tracker.models import Article, Claim, Vector, utcnow
from tracker.xref.engine import XrefEngine
from tracker.xref.store import BATCH, embedding_text
from tracker.xref.vectors import encode_vector

SYNTHETIC = "bench-synthetic"
TARGET_P95_MS = 50
TARGET_ENCODE_MINUTES = 30
TARGET_INDEX_MB = 1024


def encoding_rate(session, encoder, sample: int) -> float:  # type: ignore[no-untyped-def]
    """Texts per second for stored vectors, on real texts of this database."""
    claims = list(session.scalars(select(Claim).order_by(Claim.id).limit(sample)))
    texts = [embedding_text("claim", claim) for claim in claims]
    encoder.encode(texts[:8], role="passage")  # load the model first
    started = time.perf_counter()
    for start in range(0, len(texts), BATCH):
        encoder.encode(texts[start : start + BATCH], role="passage")
    return len(texts) / (time.perf_counter() - started)


def fill_missing_vectors(session, encoder, seed: int = 3) -> int:  # type: ignore[no-untyped-def]
    """Random unit vectors in the stored format for every claim and article without one."""
    rng = np.random.default_rng(seed)
    written = 0
    for kind, model in (("claim", Claim), ("article", Article)):
        # Records without a vector, by id: an anti-join on the (entity_type, entity_id) key.
        vector = and_(Vector.entity_type == kind, Vector.entity_id == model.id)
        last = 0
        while True:
            records = session.execute(
                select(model.id, model.language)
                .outerjoin(Vector, vector)
                .where(model.id > last, Vector.id.is_(None))
                .order_by(model.id)
                .limit(5_000)
            ).all()
            if not records:
                break
            last = records[-1].id
            matrix = rng.standard_normal((len(records), encoder.dim)).astype(np.float32)
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
            now = utcnow()
            session.execute(
                insert(Vector),
                [
                    {"entity_type": kind, "entity_id": record.id, "model": encoder.model_id,
                     "lang": record.language, "text_hash": SYNTHETIC,
                     "data": encode_vector(row, "int8"), "updated_at": now}
                    for record, row in zip(records, matrix, strict=True)
                ],
            )  # fmt: skip
            session.commit()
            written += len(records)
            if written % 100_000 < 5_000:
                print(f"  synthetic vectors written: {written:,}", flush=True)
    return written


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--data-dir", default=tempfile.gettempdir())
    parser.add_argument("--database-url", help="instead of the one for --backend/--claims")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--sample", type=int, default=512, help="texts for the encoding rate")
    args = parser.parse_args()

    url = args.database_url or bench_database_url(args.backend, args.claims, args.data_dir)
    engine = make_engine(url)
    print(f"[{args.backend}] matching bench on {url}", flush=True)
    session = make_sessionmaker(engine)()
    xref = XrefEngine()
    encoder = xref.encoder()
    if encoder is None:
        raise SystemExit("no embedding model is available")
    claims = session.scalar(select(func.count()).select_from(Claim)) or 0
    articles = session.scalar(select(func.count()).select_from(Article)) or 0
    items = claims + articles
    print(f"stored items: {claims:,} claims + {articles:,} debunk articles = {items:,}")

    rate = encoding_rate(session, encoder, args.sample)
    minutes = {count: count / rate / 60 for count in (items, 1_000_000)}
    verdict = "met" if minutes[1_000_000] < TARGET_ENCODE_MINUTES else "MISSED"
    print(f"vectors ({encoder.model_id}, engine {encoder.name}): {rate:.1f} texts/s -> "
          f"these {items:,} items "
          f"{minutes[items]:.0f} min, 1,000,000 items {minutes[1_000_000]:.0f} min "
          f"(target < {TARGET_ENCODE_MINUTES} min for 1M: {verdict}; resumable: "
          f"`tracker xref rebuild` skips what is done)")  # fmt: skip

    started = time.perf_counter()
    written = fill_missing_vectors(session, encoder)
    print(f"synthetic vectors for items without one: {written:,} "
          f"in {time.perf_counter() - started:.0f} s")  # fmt: skip

    started = time.perf_counter()
    xref.match(session, "warm up the indexes", "en", limit=10)
    print(f"first match (loads the vector indexes): {time.perf_counter() - started:.1f} s")
    index_mb = sum(loaded.index.nbytes for loaded in xref.store._indexes.values()) / 2**20
    verdict = "met" if index_mb < TARGET_INDEX_MB else "MISSED"
    print(f"vector indexes in memory: {index_mb:.0f} MB (target < {TARGET_INDEX_MB} MB: "
          f"{verdict})")  # fmt: skip

    rng = random.Random(5)
    texts = Text(rng)
    langs = [rng.choice(["en", "ru", "uk"]) for _ in range(args.queries)]
    queries = [(texts.claim(lang)[0], lang) for lang in langs]
    total, encoding = [], []
    tokens = [encoder.token_count(text) or 0 for text, _ in queries]
    for text, lang in queries:
        # The encoder keeps recent query vectors; each measurement starts without them.
        encoder._recent.clear()
        started = time.perf_counter()
        xref.match(session, text, lang, limit=10)
        total.append((time.perf_counter() - started) * 1000)
        encoder._recent.clear()
        started = time.perf_counter()
        encoder.encode([text], role="query")
        encoding.append((time.perf_counter() - started) * 1000)
    p95 = percentile(total, 0.95)
    verdict = "met" if p95 < TARGET_P95_MS else "MISSED"
    print(
        f"matching {len(queries)} new claims against {items:,} items (lexical + semantic): "
        f"p50 {statistics.median(total):.1f} ms  p95 {p95:.1f} ms  "
        f"p99 {percentile(total, 0.99):.1f} ms  (target p95 < {TARGET_P95_MS} ms: {verdict})"
    )
    print(f"  of which encoding the query: p50 {statistics.median(encoding):.1f} ms  "
          f"p95 {percentile(encoding, 0.95):.1f} ms")  # fmt: skip
    # The rest (full-text stage, vector search, fusion, reasons) per query: the encoding is
    # measured apart, right after the match, on the same text.
    rest = [max(0.0, t - e) for t, e in zip(total, encoding, strict=True)]
    print(f"  and everything else: p50 {statistics.median(rest):.1f} ms  "
          f"p95 {percentile(rest, 0.95):.1f} ms")  # fmt: skip
    print(f"  query length: p50 {statistics.median(tokens)} tokens, p95 "
          f"{percentile(tokens, 0.95)}, longest {max(tokens)}")  # fmt: skip
    print(f"peak resident memory of this process: {peak_resident_mb(os.getpid()):.0f} MB")
    session.close()
    engine.dispose()


if __name__ == "__main__":
    main()
