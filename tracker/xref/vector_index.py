"""In-memory vector index: one numpy matrix, exact top-k by dot product.

Exact search is fast enough here: one query against 100,000 stored 512-dimension vectors is a
single matrix-vector product (a few milliseconds), and int8 storage keeps 1,000,000 vectors
in about half a gigabyte. See ``bench/bench_semantic.py`` for the measured numbers.

Optional mean-centering is chosen per query: each row belongs to a group (usually its
language) with a mean vector; a centered score is the cosine between ``x - mean[group(x)]``
and ``q - query_mean``. It is computed from the raw matrix with one extra product per group,
so the same index serves situations with and without centering.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Generic, Literal, TypeVar

import numpy as np

from tracker.xref import int8_product

Precision = Literal["float32", "float16", "int8"]
# The ids' type: whatever the caller stores (database ids in the app) comes back out.
_Key = TypeVar("_Key", bound=Hashable)

# Rows converted to float32 per step when building means and norms.
_CHUNK = 65_536
# Rows converted per step when searching a float16 matrix: the float32 block must stay in
# the core's cache (1 MB of L2 on the 2-core machine). 102,000 rows of 384 dimensions took
# 39.7 ms in blocks of 4,096 rows (6 MB), 6.7 ms in blocks of 1,024, 8.2 ms in blocks of
# 512 and 9.3 ms in blocks of 2,048 (measured with int8 rows, which now have their own
# kernel: `tracker.xref.int8_product`).
_SEARCH_CHUNK = 1024


class VectorIndex(Generic[_Key]):
    """A growable matrix of vectors keyed by id, with exact top-k search.

    `precision` selects the storage: ``float32`` (fastest), ``float16`` (half the memory) or
    ``int8`` with one scale per row (a quarter; stored offset by 128, as its kernel reads
    them). Vectors are expected to be unit length.
    Not thread-safe for writes: build or update it from one thread, search from many.
    """

    def __init__(self, dim: int, *, precision: Precision = "float32", capacity: int = 1024):
        if dim <= 0:
            raise ValueError("dim must be positive")
        if precision not in ("float32", "float16", "int8"):
            raise ValueError(f"unknown precision {precision!r}")
        self.dim = dim
        self.precision: Precision = precision
        cap = max(int(capacity), 16)
        dtype = {"float32": np.float32, "float16": np.float16, "int8": np.uint8}[precision]
        self._data = np.zeros((cap, dim), dtype=dtype)
        self._scale = np.ones(cap, dtype=np.float32)
        self._group = np.zeros(cap, dtype=np.int32)
        self._ids: list[_Key] = []
        self._row: dict[_Key, int] = {}
        self._group_names: dict[str | None, int] = {None: 0}
        # Centering state: one mean per group index, plus each row's centered norm.
        self._means: np.ndarray | None = None
        self._default_mean = np.zeros(dim, dtype=np.float32)
        self._cnorm = np.ones(cap, dtype=np.float32)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, item: object) -> bool:
        return item in self._row

    @property
    def ids(self) -> list[_Key]:
        """The stored ids in row order (a copy)."""
        return list(self._ids)

    @property
    def centered(self) -> bool:
        """Whether `set_centering` gave means, so ``center=True`` searches can run."""
        return self._means is not None

    @property
    def nbytes(self) -> int:
        """Bytes held by the numpy arrays (not counting the id dictionary)."""
        return sum(a.nbytes for a in (self._data, self._scale, self._group, self._cnorm))

    def _grow(self, needed: int) -> None:
        cap = self._data.shape[0]
        if needed <= cap:
            return
        new_cap = max(needed, cap * 2)
        for name in ("_data", "_scale", "_group", "_cnorm"):
            old = getattr(self, name)
            new = np.zeros((new_cap, *old.shape[1:]), dtype=old.dtype)
            new[: len(self._ids)] = old[: len(self._ids)]
            setattr(self, name, new)

    def _group_index(self, group: str | None) -> int:
        if group not in self._group_names:
            self._group_names[group] = len(self._group_names)
            if self._means is not None:
                # A new group has no mean of its own yet: it uses the default one.
                self._means = np.vstack([self._means, self._default_mean[None, :]])
        return self._group_names[group]

    def _store(self, rows: np.ndarray, vectors: np.ndarray) -> None:
        if self.precision == "int8":
            peak = np.max(np.abs(vectors), axis=1)
            scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
            signed = np.clip(np.rint(vectors / scale[:, None]), -127, 127)
            self._data[rows] = int8_product.to_unsigned(signed)
            self._scale[rows] = scale
        else:
            self._data[rows] = vectors

    def add(
        self,
        ids: Sequence[_Key],
        vectors: np.ndarray,
        groups: Sequence[str | None] | None = None,
    ) -> None:
        """Add or replace vectors; `groups` (e.g. languages) select the centering mean."""
        vecs = np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim)
        if len(ids) != len(vecs):
            raise ValueError(f"{len(ids)} ids for {len(vecs)} vectors")
        if groups is not None and len(groups) != len(ids):
            raise ValueError(f"{len(groups)} groups for {len(ids)} vectors")
        if not np.all(np.isfinite(vecs)):
            raise ValueError("cannot index vectors with NaN or infinite values")
        rows = np.empty(len(ids), dtype=np.int64)
        self._grow(len(self._ids) + len(ids))
        for i, key in enumerate(ids):
            row = self._row.get(key)
            if row is None:
                row = len(self._ids)
                self._ids.append(key)
                self._row[key] = row
            rows[i] = row
        # Later duplicates in one call win, as with repeated single adds.
        self._store(rows, vecs)
        gidx = [self._group_index(g) for g in groups] if groups is not None else [0] * len(ids)
        self._group[rows] = gidx
        if self._means is not None:
            self._update_cnorm(rows)

    def remove(self, ids: Iterable[_Key]) -> int:
        """Remove ids (unknown ones are ignored); returns how many were removed."""
        removed = 0
        for key in ids:
            row = self._row.pop(key, None)
            if row is None:
                continue
            last = len(self._ids) - 1
            if row != last:
                # Move the last row into the hole so the matrix stays dense.
                moved = self._ids[last]
                self._ids[row] = moved
                self._row[moved] = row
                for arr in (self._data, self._scale, self._group, self._cnorm):
                    arr[row] = arr[last]
            self._ids.pop()
            removed += 1
        return removed

    def vectors(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Rows ``start:stop`` as float32 (decompressed)."""
        stop = len(self._ids) if stop is None else min(stop, len(self._ids))
        return self._decompressed(slice(start, stop))

    def _decompressed(self, rows: slice | np.ndarray) -> np.ndarray:
        if self.precision != "int8":
            return self._data[rows].astype(np.float32)
        block = int8_product.to_float(self._data[rows])
        block *= self._scale[rows, None]
        return block

    def mean(self, group: str | None = None, *, all_groups: bool = False) -> np.ndarray:
        """Mean of the stored vectors of one group (or of all of them)."""
        n = len(self._ids)
        if n == 0:
            return np.zeros(self.dim, dtype=np.float32)
        total = np.zeros(self.dim, dtype=np.float64)
        count = 0
        gi = self._group_names.get(group, -1)
        for start in range(0, n, _CHUNK):
            block = self.vectors(start, start + _CHUNK)
            if not all_groups:
                block = block[self._group[start : start + len(block)] == gi]
            total += block.sum(axis=0)
            count += len(block)
        return (total / max(count, 1)).astype(np.float32)

    def set_centering(
        self, means: Mapping[str | None, np.ndarray] | None, default: np.ndarray | None = None
    ) -> None:
        """Set the mean per group used when searching with ``center=True``.

        `default` is used for groups without their own mean (the mean over all rows when
        omitted). ``None`` switches centering off.
        """
        if means is None:
            self._means = None
            return
        base = self.mean(all_groups=True) if default is None else np.asarray(default, np.float32)
        self._default_mean = base.astype(np.float32)
        for group in means:
            self._group_index(group)
        table = np.tile(self._default_mean, (len(self._group_names), 1))
        for group, vec in means.items():
            table[self._group_names[group]] = np.asarray(vec, dtype=np.float32)
        self._means = table
        self._update_cnorm(np.arange(len(self._ids)))

    def _update_cnorm(self, rows: np.ndarray) -> None:
        if self._means is None:
            return
        for start in range(0, len(rows), _CHUNK):
            part = rows[start : start + _CHUNK]
            block = self._decompressed(part)
            block -= self._means[self._group[part]]
            self._cnorm[part] = np.maximum(np.linalg.norm(block, axis=1), 1e-6)

    def scores(
        self, query: np.ndarray, *, center: bool = False, query_mean: np.ndarray | None = None
    ) -> np.ndarray:
        """Score every stored row against one query; returns a float32 array in row order.

        With ``center=True`` (after `set_centering`) the score is the cosine of the centered
        vectors; `query_mean` is subtracted from the query (e.g. the mean of its language).
        """
        q = np.asarray(query, dtype=np.float32).reshape(self.dim)
        n = len(self._ids)
        if center:
            if self._means is None:
                raise ValueError("centering requested but set_centering() was not called")
            if query_mean is not None:
                q = q - np.asarray(query_mean, dtype=np.float32)
            q = q / max(float(np.linalg.norm(q)), 1e-12)
        out = self._dot(q, n)
        if center and self._means is not None:
            offsets = self._means @ q  # one value per group
            out -= offsets[self._group[:n]]
            out /= self._cnorm[:n]
        return out

    def _dot(self, q: np.ndarray, n: int) -> np.ndarray:
        if self.precision == "float32":
            return self._data[:n] @ q
        if self.precision == "int8":
            return int8_product.products(self._data[:n], q) * self._scale[:n]
        out = np.empty(n, dtype=np.float32)
        buffer = np.empty((min(n, _SEARCH_CHUNK), self.dim), dtype=np.float32)
        for start in range(0, n, _SEARCH_CHUNK):
            # The matrix has spare capacity beyond row n; only stored rows are read.
            block = self._data[start : min(start + _SEARCH_CHUNK, n)]
            rows = buffer[: len(block)]
            np.copyto(rows, block, casting="unsafe")
            out[start : start + len(block)] = rows @ q
        return out

    def top_k(
        self,
        query: np.ndarray,
        k: int = 10,
        *,
        center: bool = False,
        query_mean: np.ndarray | None = None,
    ) -> list[tuple[_Key, float]]:
        """The `k` best ``(id, score)`` pairs, best first (ties broken by insertion order)."""
        n = len(self._ids)
        if n == 0 or k <= 0:
            return []
        scores = self.scores(query, center=center, query_mean=query_mean)
        return self.best(scores, k)

    def scores_of(self, scores: np.ndarray, ids: Iterable[_Key]) -> dict[_Key, float]:
        """The scores of the given ids (those in the index) from a score array in row order."""
        return {key: float(scores[self._row[key]]) for key in ids if key in self._row}

    def best(self, scores: np.ndarray, k: int) -> list[tuple[_Key, float]]:
        """The `k` best ``(id, score)`` pairs of a score array in this index's row order."""
        return top_k_of(scores, self._ids, k)


def top_k_of(scores: np.ndarray, ids: Sequence[_Key], k: int) -> list[tuple[_Key, float]]:
    """The `k` highest scores with their ids, best first; ties keep the lower row first."""
    n = len(scores)
    k = min(k, n)
    if k <= 0:
        return []
    part = np.argpartition(-scores, k - 1)[:k] if k < n else np.arange(n)
    order = part[np.lexsort((part, -scores[part]))]
    return [(ids[i], float(scores[i])) for i in order]
