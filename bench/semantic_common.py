"""Shared helpers of the semantic-stage evaluation scripts (data loading, caching, metrics).

Corpus vectors are cached under /tmp (never in the repository) so repeated runs do not
re-encode thousands of texts on the shared machine.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tracker.xref.embeddings import Encoder, Role  # noqa: E402

SHARED = Path(os.environ.get("TRACKER_SHARED_DATA", ROOT.parent / "shared" / "data"))
XLINGUAL = ROOT / "tests" / "data" / "xlingual"
CACHE = Path(
    os.environ.get("TRACKER_VECTOR_CACHE") or Path(tempfile.gettempdir()) / "disinfo-semantic-cache"
)


def read_jsonl(path: Path) -> list[dict]:
    """Rows of a JSON-lines file (blank lines skipped)."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def euvsdisinfo_cases() -> list[dict]:
    """The EUvsDisinfo cases with a title, or [] when the shared data is absent."""
    path = SHARED / "euvsdisinfo" / "cases.jsonl"
    if not path.exists():
        print(f"note: {path} absent; evaluating without EUvsDisinfo distractors")
        return []
    return [row for row in read_jsonl(path) if (row.get("title") or "").strip()]


def title_key(title: str) -> str:
    """A short, stable key for an EUvsDisinfo title (cases with equal titles share it)."""
    normal = " ".join(title.lower().split())
    return hashlib.sha1(normal.encode("utf-8"), usedforsecurity=False).hexdigest()[:12]


def equivalents() -> dict[str, set[str]]:
    """Claim id -> title keys of EUvsDisinfo cases judged to state the same claim."""
    path = XLINGUAL / "equivalents.jsonl"
    return {row["target"]: set(row["euvsdisinfo_title_sha1"]) for row in read_jsonl(path)}


def encode_cached(
    encoder: Encoder, texts: Sequence[str], role: Role = "passage", batch: int = 64
) -> np.ndarray:
    """Encode texts, reusing a vector file cached under /tmp for the same model and texts."""
    parts = getattr(encoder, "parts", None)
    if parts:  # a blend: cache each part, so the parts' own runs are reused
        return encoder.combine([encode_cached(p, texts, role, batch) for p in parts])
    digest = hashlib.sha1(usedforsecurity=False)
    digest.update(f"{encoder.model_id}\0{role}\0".encode())
    for text in texts:
        digest.update(text.encode("utf-8") + b"\0")
    folder = CACHE / "".join(c if c.isalnum() or c in "-_.=" else "_" for c in encoder.model_id)
    path = folder / f"{digest.hexdigest()}.npy"
    if path.exists():
        return np.load(path)
    started = time.perf_counter()
    parts = [encoder.encode(texts[i : i + batch], role=role) for i in range(0, len(texts), batch)]
    out = np.concatenate(parts) if parts else np.zeros((0, encoder.dim), np.float32)
    folder.mkdir(parents=True, exist_ok=True)
    np.save(path, out)
    took = time.perf_counter() - started
    print(f"  encoded {len(texts)} texts with {encoder.name} in {took:.1f}s (cached)")
    return out


def rank_of(scores: np.ndarray, target_row: int) -> int:
    """1-based rank of a target row (ties count against the target)."""
    return (
        1
        + int(np.sum(scores > scores[target_row]))
        + int(np.sum(scores[:target_row] == scores[target_row]))
    )


def summarise(ranks: Sequence[int]) -> dict[str, float]:
    """success@1/5/10 and MRR of a list of 1-based ranks."""
    r = np.asarray(ranks, dtype=float)
    if r.size == 0:
        return {
            "n": 0,
            "s@1": float("nan"),
            "s@5": float("nan"),
            "s@10": float("nan"),
            "mrr": float("nan"),
        }
    return {
        "n": int(r.size),
        "s@1": float(np.mean(r <= 1)),
        "s@5": float(np.mean(r <= 5)),
        "s@10": float(np.mean(r <= 10)),
        "mrr": float(np.mean(1.0 / r)),
    }


def percentile_ms(seconds: Sequence[float], q: float) -> float:
    """A percentile of durations given in seconds, in milliseconds."""
    return float(np.percentile(np.asarray(seconds) * 1000, q)) if len(seconds) else float("nan")


def average_precision_at(ranked: Sequence, relevant: set, k: int = 5) -> float:
    """AP@k as trec_eval computes it for CheckThat!: precision at each hit in the top k,
    divided by the number of relevant items."""
    hits, total = 0, 0.0
    for i, item in enumerate(list(ranked)[:k], start=1):
        if item in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant) if relevant else 0.0
