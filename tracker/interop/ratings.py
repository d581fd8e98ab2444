"""Mapping other organisations' ratings onto our verdict scale.

The words live in ``rating_words.toml`` (with the reason for every mapping that is not a
plain translation). Rules, in order:

1. ``alternateName`` found in the vocabulary (in the review's language first, then in any
   language: many sites write English labels on pages in other languages) -> that verdict.
2. ``alternateName`` is a sentence that BEGINS with a known word followed by ``:``, ``.``,
   ``,``, ``;``, ``!`` or a dash ("FALSO: As imagens foram...") -> that verdict, with the
   confidence lowered (x0.85).
3. Otherwise ``ratingValue`` on an explicit 1-5 scale (``worstRating`` 1, ``bestRating`` 5)
   -> our number (1 false, 2 misleading, 3 missing_context, 5 accurate; 4 has no
   equivalent). Other scales (1-6, 1-2, -1...) are not ours and are not converted.
   Confidence 0.5: organisations use the same numbers for different things (AFP rates
   "Misleading" both 2 and 3).
4. Otherwise None: unclear.

When the word and the number disagree, the word wins and the rule says so.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from tracker.interop.errors import VocabularyError
from tracker.interop.scale import VERDICT_NUMBERS, VERDICTS
from tracker.interop.textnorm import fold

PREFIX_FACTOR = 0.85
NUMBER_CONFIDENCE = 0.5
DISAGREEMENT_FACTOR = 0.9
_NUMBER_TO_VERDICT = {n: v for v, n in VERDICT_NUMBERS.items() if n is not None}
_EDGE_PUNCT = "\"'“”‘’«»„()[]{}.,;:!?¡¿…*·-–— \t\r\n"
_HEAD = re.compile(r"^(.{1,60}?)\s*(?::|\.(?:\s|$)|,|;|!|\s[-–—]\s)")


@dataclass(frozen=True)
class RatingMapping:
    """Our rating for another organisation's rating, the rule that decided, a confidence."""

    rating: str | None
    rule: str
    confidence: float
    source: str | None = None  # "alternateName", "ratingValue" or None


@dataclass(frozen=True)
class VocabularyEntry:
    """One word of ``rating_words.toml``."""

    word: str
    lang: str
    verdict: str
    confidence: float
    short: str | None
    why: str | None


@cache
def vocabulary() -> tuple[VocabularyEntry, ...]:
    """All entries of ``rating_words.toml``, validated."""
    raw = resources.files("tracker.interop").joinpath("rating_words.toml").read_text("utf-8")
    data: dict[str, Any] = tomllib.loads(raw)
    entries: list[VocabularyEntry] = []
    seen: dict[tuple[str, str], str] = {}
    for number, group in enumerate(data.get("group", []), start=1):
        verdict = group.get("verdict")
        confidence = group.get("confidence")
        if verdict not in VERDICTS:
            raise VocabularyError(f"rating_words.toml group {number}: unknown verdict {verdict!r}")
        if not isinstance(confidence, float | int) or not 0 < confidence <= 1:
            raise VocabularyError(f"rating_words.toml group {number}: bad confidence")
        if ("why" in group) != ("short" in group):
            raise VocabularyError(f"rating_words.toml group {number}: 'why' needs 'short'")
        for lang, words in group.items():
            if lang in ("verdict", "confidence", "why", "short"):
                continue
            for word in words:
                key = normalise_label(word)
                previous = seen.setdefault((lang, key), verdict)
                if previous != verdict:
                    raise VocabularyError(
                        f"rating_words.toml: {word!r} ({lang}) is both {previous} and {verdict}"
                    )
                entries.append(
                    VocabularyEntry(
                        key, lang, verdict, float(confidence), group.get("short"), group.get("why")
                    )
                )
    return tuple(entries)


@cache
def _index() -> tuple[dict[str, list[VocabularyEntry]], dict[str, list[VocabularyEntry]]]:
    exact: dict[str, list[VocabularyEntry]] = {}
    folded: dict[str, list[VocabularyEntry]] = {}
    for entry in vocabulary():
        exact.setdefault(entry.word, []).append(entry)
        folded.setdefault(fold(entry.word), []).append(entry)
    return exact, folded


def normalise_label(text: str) -> str:
    """The comparison form of a rating word: case-folded, trimmed, ``_``/``-`` as spaces."""
    text = text.casefold().replace("_", " ")
    text = re.sub(r"(?<=\w)-(?=\w)", " ", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip(_EDGE_PUNCT)


def lookup_word(label: str, lang: str | None) -> VocabularyEntry | None:
    """The vocabulary entry for LABEL, preferring LANG; None when unknown or ambiguous."""
    exact, folded = _index()
    key = normalise_label(label)
    if not key:
        return None
    for table, probe in ((exact, key), (folded, fold(key))):
        candidates = table.get(probe, [])
        if not candidates:
            continue
        in_lang = [c for c in candidates if c.lang == lang]
        if in_lang:
            return in_lang[0]
        if len({c.verdict for c in candidates}) == 1:
            return candidates[0]
        return None  # the word means different things in different languages
    return None


def to_number(value: object) -> float | None:
    """A rating number from markup (``1``, ``"1"``, ``"1.0"``, ``"1,5"``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def map_rating(
    value: object, best: object, worst: object, alternate_name: str | None, lang: str | None
) -> RatingMapping:
    """Map another organisation's rating onto our scale (see the module rules)."""
    word_result = _from_word(alternate_name, lang)
    number_verdict, number_text = _from_number(value, best, worst)
    if word_result is not None:
        verdict, rule, confidence = word_result
        if number_verdict is not None and number_verdict != verdict:
            rule += f"; {number_text} would give {number_verdict}"
            confidence *= DISAGREEMENT_FACTOR
        return RatingMapping(verdict, rule, round(confidence, 3), "alternateName")
    label_note = _label_note(alternate_name)
    if number_verdict is not None:
        rule = f"{number_text} → {number_verdict}"
        if label_note:
            rule += f" ({label_note})"
        return RatingMapping(number_verdict, rule, NUMBER_CONFIDENCE, "ratingValue")
    parts = [p for p in (label_note, number_text) if p]
    return RatingMapping(None, "; ".join(parts) or "no rating given", 0.0, None)


def _from_word(label: str | None, lang: str | None) -> tuple[str, str, float] | None:
    if not label or not label.strip():
        return None
    shown = label.strip()
    entry = lookup_word(shown, lang)
    if entry is not None:
        rule = f"alternateName {shown!r} ({entry.lang}) → {entry.verdict}"
        return entry.verdict, _with_why(rule, entry), entry.confidence
    match = _HEAD.match(shown)
    if match:
        head = match.group(1).strip()
        entry = lookup_word(head, lang)
        if entry is not None and len(head.split()) <= 5:
            rule = f"alternateName begins with {head!r} ({entry.lang}) → {entry.verdict}"
            return entry.verdict, _with_why(rule, entry), entry.confidence * PREFIX_FACTOR
    return None


def _with_why(rule: str, entry: VocabularyEntry) -> str:
    return f"{rule} [{entry.short}]" if entry.short else rule


def _label_note(label: str | None) -> str | None:
    if not label or not label.strip():
        return None
    shown = " ".join(label.split())
    if len(shown) > 50:
        shown = shown[:47] + "..."
    return f"alternateName {shown!r} not in the vocabulary"


def _from_number(value: object, best: object, worst: object) -> tuple[str | None, str | None]:
    number = to_number(value)
    if number is None or number < 0:
        # -1 is used by some publishers (20 Minutes) to mean "no numeric rating".
        return None, None
    best_n, worst_n = to_number(best), to_number(worst)
    scale = f"{_fmt(worst_n)}–{_fmt(best_n)}"
    text = f"ratingValue {_fmt(number)} of {scale}"
    if best_n != 5 or worst_n != 1:
        return None, f"{text} is not our 1–5 scale"
    if not number.is_integer() or not 1 <= number <= 5:
        return None, f"{text} is not a whole number on our scale"
    verdict = _NUMBER_TO_VERDICT.get(int(number))
    if verdict is None:
        return None, f"{text} has no equivalent on our scale"
    return verdict, text


def _fmt(number: float | None) -> str:
    if number is None:
        return "?"
    return str(int(number)) if number.is_integer() else str(number)
