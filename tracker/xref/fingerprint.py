"""Fingerprints for finding near-identical claims at entry.

Two texts get the same fingerprint when they differ only in case, accents, punctuation,
quotes, dashes or whitespace: the same claim pasted from two places.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def normalise_for_fingerprint(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ё", "е")
    return _NON_WORD.sub(" ", text).strip()


def claim_fingerprint(text: str) -> str:
    return hashlib.sha256(normalise_for_fingerprint(text).encode("utf-8")).hexdigest()
