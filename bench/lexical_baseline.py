"""A small BM25 over snowball-stemmed English, for evaluating the semantic stage only.

The real lexical stage (SQLite FTS5 / PostgreSQL) lives in ``tracker/search``; this stands in
for it in ``bench/eval_checkthat_semantic.py`` until that is plugged in.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np

try:
    import snowballstemmer

    _STEM = snowballstemmer.stemmer("english").stemWord
except ImportError:  # plain lower-case tokens still give a usable baseline
    print("note: snowballstemmer not installed; BM25 runs without stemming")

    def _STEM(word: str) -> str:
        return word


_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_STOP_WORDS = (
    "a an and are as at be by for from has have he her his i in is it its of on or our she "
    "that the their them they this to was were will with you your we not but"
)
_STOP = frozenset(_STOP_WORDS.split(" "))
_URL = re.compile(r"https?://\S+|pic\.twitter\.com/\S+")


def tokenize(text: str) -> list[str]:
    """Lower-cased, stemmed word tokens without stop words or URLs."""
    words = _TOKEN.findall(_URL.sub(" ", text).lower())
    return [_STEM(w) for w in words if w not in _STOP]


class BM25:
    """Okapi BM25 with an inverted index of numpy postings."""

    def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        postings: dict[str, list[tuple[int, int]]] = {}
        lengths = np.zeros(len(documents), dtype=np.float32)
        for doc_id, text in enumerate(documents):
            counts = Counter(tokenize(text))
            lengths[doc_id] = sum(counts.values())
            for term, tf in counts.items():
                postings.setdefault(term, []).append((doc_id, tf))
        self.n = len(documents)
        self.norm = k1 * (1 - b + b * lengths / max(float(lengths.mean()), 1.0))
        self.postings = {
            term: (
                np.array([d for d, _ in plist], dtype=np.int64),
                np.array([tf for _, tf in plist], dtype=np.float32),
            )
            for term, plist in postings.items()
        }

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for a query."""
        out = np.zeros(self.n, dtype=np.float32)
        for term in set(tokenize(query)):
            if term not in self.postings:
                continue
            docs, tfs = self.postings[term]
            idf = math.log(1 + (self.n - len(docs) + 0.5) / (len(docs) + 0.5))
            out[docs] += idf * tfs * (self.k1 + 1) / (tfs + self.norm[docs])
        return out
