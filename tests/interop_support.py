"""Shared helpers for the interop tests (fixture paths, third-party data location)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parent / "data" / "interop"
# Beside the checkout; TRACKER_SHARED_DATA points elsewhere (a worktree is one level deeper).
SHARED = Path(
    os.environ.get("TRACKER_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)
CLAIMREVIEW_DIR = SHARED / "claimreview"
EUVSDISINFO = SHARED / "euvsdisinfo" / "cases.jsonl"


def real_claimreview_fixtures() -> list[dict[str, Any]]:
    """The 32 real ClaimReview fixtures (empty when the shared data is absent)."""
    index = CLAIMREVIEW_DIR / "claimreviews.jsonl"
    if not index.is_file():
        return []
    with index.open(encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def fixture_id(fixture: dict[str, Any]) -> str:
    return Path(fixture["page_file"]).stem


def require(path: Path) -> Path:
    """PATH, or skip the test when the third-party data is not there."""
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path
