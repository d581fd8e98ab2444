"""Query vectors kept in a SQLite file between runs of `tracker xref eval`.

Measuring a setting means running the same few hundred queries again; encoding them is most
of the cost on a small machine (a long quote takes ~200 ms with e5). With a cache only the
scoring is repeated. The key is the encoder's model id, the role and the text's hash, so a
new model or version never reads another's vectors. Times measured on cached vectors do not
include encoding: the evaluation says how many vectors came from the cache.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

_SCHEMA = """
CREATE TABLE IF NOT EXISTS query_vectors (
    model TEXT NOT NULL,
    role TEXT NOT NULL,
    digest TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (model, role, digest)
)
"""


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class VectorCache:
    """A persistent map (model, role, text) -> float32 vector."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.execute(_SCHEMA)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, model: str, role: str, texts: Sequence[str]) -> dict[int, np.ndarray]:
        """The cached vectors of `texts`, by position."""
        found: dict[int, np.ndarray] = {}
        with self._lock:
            for position, text in enumerate(texts):
                row = self._db.execute(
                    "SELECT data FROM query_vectors WHERE model = ? AND role = ? AND digest = ?",
                    (model, role, _digest(text)),
                ).fetchone()
                if row is not None:
                    found[position] = np.frombuffer(row[0], dtype="<f4").copy()
            self.hits += len(found)
            self.misses += len(texts) - len(found)
        return found

    def put(self, model: str, role: str, texts: Sequence[str], matrix: np.ndarray) -> None:
        rows = [
            (model, role, _digest(text), np.asarray(vector, dtype="<f4").tobytes())
            for text, vector in zip(texts, matrix, strict=True)
        ]
        with self._lock:
            self._db.executemany("INSERT OR REPLACE INTO query_vectors VALUES (?, ?, ?, ?)", rows)
            self._db.commit()

    def close(self) -> None:
        with self._lock:
            self._db.close()
