"""Language codes: normalising names and tags, and offline detection.

We store ISO 639-1 codes (``ru``, ``uk``, ``pt``); regional subtags are dropped
(``pt-BR`` -> ``pt``, ``zh-Hant`` -> ``zh``) because claims are matched by language, not by
region. Names are looked up in ``languages.toml``. Detection uses py3langid, whose model
ships inside its package (nothing is downloaded).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from tracker.interop.errors import VocabularyError
from tracker.interop.textnorm import fold
from tracker.services.validation import LANGUAGE_CODE

_TAG = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][a-zA-Z0-9]{1,8})*$")
_SEVERAL = re.compile(r"\s*(?:[+,;/|&]|\band\b)\s*")
#: Below these, a detected language is not trusted.
MIN_DETECT_CHARS = 12
MIN_DETECT_PROBABILITY = 0.5


@dataclass(frozen=True)
class LanguageResult:
    """A language code, or None, with a note when the value was repaired or refused."""

    code: str | None
    warning: str | None = None


@cache
def _tables() -> tuple[frozenset[str], dict[str, str]]:
    text = resources.files("tracker.interop").joinpath("languages.toml").read_text("utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    codes: set[str] = set()
    names: dict[str, str] = {}
    for code, aliases in data["names"].items():
        codes.add(code)
        for alias in [code, *aliases]:
            key = fold(alias)
            if names.setdefault(key, code) != code:
                raise VocabularyError(f"languages.toml: {alias!r} names two languages")
    return frozenset(codes), names


def known_languages() -> frozenset[str]:
    """All ISO 639-1 codes we recognise."""
    return _tables()[0]


def normalise_language(raw: object) -> LanguageResult:
    """Turn a language tag or name (``"pt-BR"``, ``"Russian"``, ``"русский"``) into a code.

    Several languages in one value (``"Russian+Ukrainian"``) give the first, with a warning.
    Unknown values give None with a warning; they are never guessed.
    """
    if raw is None:
        return LanguageResult(None)
    if isinstance(raw, dict):
        # schema.org allows inLanguage to be a Language object.
        raw = raw.get("alternateName") or raw.get("name")
    if isinstance(raw, list):
        raw = next((item for item in raw if isinstance(item, str) and item.strip()), None)
    if not isinstance(raw, str) or not raw.strip():
        return LanguageResult(None)
    text = raw.strip()
    names = _tables()[1]
    found = names.get(fold(text))
    if found is not None:
        return LanguageResult(found)
    if match := _TAG.match(text):
        primary = fold(match.group(1))
        code = names.get(primary)
        if code is not None:
            return LanguageResult(code)
    parts = [part for part in _SEVERAL.split(text) if part]
    if len(parts) > 1:
        first = normalise_language(parts[0])
        if first.code is not None:
            return LanguageResult(
                first.code, warning=f"several languages in {text!r}: kept {first.code!r}"
            )
    return LanguageResult(None, warning=f"unknown language {text!r}: not taken")


@cache
def _identifier() -> Any:
    # Imported lazily: loading the model takes about half a second.
    from py3langid.langid import (
        MODEL_FILE,
        LanguageIdentifier,
    )

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str) -> tuple[str, float] | None:
    """Best-guess language of TEXT with its probability, or None when unsure.

    Unsure means: fewer than ``MIN_DETECT_CHARS`` letters, or a probability below
    ``MIN_DETECT_PROBABILITY``, or a language we do not know.
    """
    letters = sum(1 for c in text if c.isalpha())
    if letters < MIN_DETECT_CHARS:
        return None
    code, probability = _identifier().classify(text)
    code = str(code)
    if probability < MIN_DETECT_PROBABILITY or code not in known_languages():
        return None
    return code, float(probability)


def typed_language(text: str) -> str | None:
    """The language a person typed in a filter: a code ("ru", "RU") as it is, else a name as
    `normalise_language` reads it ("Russian", "русский"); None when it is neither."""
    lowered = text.strip().lower()
    return lowered if LANGUAGE_CODE.match(lowered) else normalise_language(text).code
