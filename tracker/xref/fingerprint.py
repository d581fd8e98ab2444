"""Fingerprints for finding near-identical claims at entry.

Two texts get the same fingerprint when they differ only in case, accents, punctuation,
quotes, dashes or whitespace: the same claim pasted from two places. `near_identical` also
catches a spelling variant or a word more or less (the fingerprint finds the exact ones
through an index; the search index proposes candidates for the near ones).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from difflib import SequenceMatcher

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise_for_fingerprint(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ё", "е")
    return _NON_WORD.sub(" ", text).strip()


def claim_fingerprint(text: str) -> str:
    return hashlib.sha256(normalise_for_fingerprint(text).encode("utf-8")).hexdigest()


# Near-identical: 90% of the characters or 90% of the words in common, once normalised.
# Characters catch spelling variants ("queueing"/"queuing"), words catch one word more or
# less in a short claim, where the characters alone fall under the line.
NEAR_IDENTICAL = 0.9


def text_similarity(first: str, second: str) -> float:
    """How alike two claim texts are, from 0 to 1, ignoring case, accents and punctuation."""
    a, b = normalise_for_fingerprint(first), normalise_for_fingerprint(second)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    by_words = SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()
    chars = SequenceMatcher(None, a, b, autojunk=False)
    # The cheap upper bounds first: most candidates differ in length alone.
    if chars.real_quick_ratio() < NEAR_IDENTICAL or chars.quick_ratio() < NEAR_IDENTICAL:
        return by_words
    return max(by_words, chars.ratio())


def near_identical(first: str, second: str, threshold: float = NEAR_IDENTICAL) -> bool:
    """Whether two texts are the same claim written slightly differently."""
    return text_similarity(first, second) >= threshold
