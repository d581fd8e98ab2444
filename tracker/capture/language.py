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


#: Letters of Russian and Ukrainian that Bulgarian, Macedonian and Serbian do not have.
_EAST_SLAVIC_ONLY = frozenset("ыэёіїєґ")
_EAST_SLAVIC = frozenset({"ru", "uk", "be"})
#: A guess is clearly ahead when it is this many times as likely as the next one
#: ("Russia recruited 1500 foreigners": English 0.43, Latin 0.07), and at least this likely:
#: "Azov is a neo-Nazi battalion" was Hungarian at 0.23 (Uzbek 0.08, English 0.06).
CLEAR_LEAD = 3.0
CLEAR_LEAD_FLOOR = 0.3


def guess_text_language(text: str) -> str | None:
    """The language of a claim or a pasted quote, often a single sentence.

    Page-sized texts need only `detect_language`; short ones it gets wrong or gives up on:
    "В Москве завербовали 50 000 иностранцев за год" is Bulgarian at 0.31 to it, "Запад
    готовит в Тбилиси свой сценарий Майдана" Bulgarian at 0.50 (Russian 0.36). So a
    Cyrillic text is Bulgarian, Macedonian or Serbian only when the detector is sure and
    clearly ahead and the text has no Russian or Ukrainian letters; otherwise it is
    Ukrainian or Russian by its letters. Another text takes the detector's guess when it
    is sure or clearly ahead. None when there is no telling.
    """
    from tracker.search.analysis import CYRILLIC, guess_cyrillic_language, script_of

    sample = text[:_MAX_CHARS]
    letters = [char for char in sample if char.isalpha()]
    if not letters:
        return None
    best, probability, lead = None, 0.0, 0.0
    if len(letters) >= MIN_LETTERS // 2:
        with _LOCK:
            (best, probability), (_, runner_up) = _identifier().rank(sample)[:2]
        lead = probability / max(runner_up, 1e-9)
    sure = probability >= MIN_CONFIDENCE
    if sum(script_of(char) == CYRILLIC for char in letters) > len(letters) / 2:
        if best in _EAST_SLAVIC and sure:
            return str(best)
        if sure and lead >= CLEAR_LEAD and _EAST_SLAVIC_ONLY.isdisjoint(sample.lower()):
            return str(best)
        return guess_cyrillic_language(sample)
    ahead = lead >= CLEAR_LEAD and probability >= CLEAR_LEAD_FLOOR
    return str(best) if best and (sure or ahead) else None
