"""Our verdict scale (DESIGN.md, "verdict"): names, numbers and English labels."""

from __future__ import annotations

from typing import Final

#: Our ratings in order from worst to best, with their number (None: no number).
VERDICT_NUMBERS: Final[dict[str, int | None]] = {
    "false": 1,
    "misleading": 2,
    "missing_context": 3,
    "unproven": None,
    "accurate": 5,
    "satire": None,
}

#: English labels used as ``alternateName`` when we publish ClaimReview.
VERDICT_LABELS: Final[dict[str, str]] = {
    "false": "False",
    "misleading": "Misleading",
    "missing_context": "Missing context",
    "unproven": "Unproven",
    "accurate": "Accurate",
    "satire": "Satire",
}

BEST_RATING: Final = 5
WORST_RATING: Final = 1

VERDICTS: Final = frozenset(VERDICT_NUMBERS)
