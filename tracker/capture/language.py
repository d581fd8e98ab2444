"""Language of a page: its own declaration, or an offline guess from the text.

The detector is py3langid (a naive Bayes model over byte n-grams, shipped inside the package:
nothing is downloaded). It is restricted to languages that have an ISO 639-1 code, because
that is what we store. ``bench/capture_langid.py`` measures it on Russian, Ukrainian, English
and German snippets.
"""

from __future__ import annotations

import re
import threading
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

#: Below this many letters a guess is not worth storing.
MIN_LETTERS = 20
#: Probability under which the guess is dropped.
MIN_CONFIDENCE = 0.5
_MAX_CHARS = 5000
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")
# Deprecated ISO 639-1 codes that old pages still declare.
_RENAMED = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
_LOCK = threading.Lock()


@cache
def _identifier() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    # "zxx" (no linguistic content) and three-letter codes have no ISO 639-1 form.
    identifier.set_languages([lang for lang in identifier.labels if len(lang) == 2])
    return identifier


def normalise_tag(tag: str | None) -> str | None:
    """ "en-GB" / "ru_RU" / "UK" -> ISO 639-1 code; None for anything else."""
    if not tag:
        return None
    match = _TAG.match(tag.strip())
    if not match:
        return None
    code = match.group(1).lower()
    code = _RENAMED.get(code, code)
    return code if len(code) == 2 else None


def detect_language(text: str) -> tuple[str | None, float]:
    """Guess the ISO 639-1 language of ``text``: (code, probability), or (None, p) if unsure."""
    sample = text[:_MAX_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS:
        return None, 0.0
    with _LOCK:  # the identifier keeps per-instance numpy state; be safe across threads
        lang, prob = _identifier().classify(sample)
    if prob < MIN_CONFIDENCE:
        return None, prob
    return str(lang), float(prob)
