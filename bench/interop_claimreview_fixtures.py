"""Parse the 32 real ClaimReview fixtures from their objects and their pages; print repairs.

Run: python bench/interop_claimreview_fixtures.py
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from tracker.interop.claimreview_in import ParsedReview, parse_claimreview, read_claimreviews

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "claimreview"


def main() -> None:
    lines = (DATA / "claimreviews.jsonl").read_text("utf-8").splitlines()
    same = 0
    started = time.perf_counter()
    for line in lines:
        fixture = json.loads(line)
        name = Path(fixture["page_file"]).stem
        review = parse_claimreview(fixture["claimreview"], base_url=fixture["page_url"])
        if not isinstance(review, ParsedReview):
            print(f"## {name}: REJECTED: {review.reason}")
            continue
        pages = [
            r
            for r in read_claimreviews(DATA / fixture["page_file"], base_url=fixture["page_url"])
            if isinstance(r, ParsedReview)
        ]
        match = [p for p in pages if p.external_id == review.external_id]
        same += bool(match)
        rating = review.rating.alternate_name or ""
        rating = rating if len(rating) <= 40 else rating[:37] + "..."
        print(f"## {name}")
        print(f"   rating {rating!r} -> {review.mapping.rating} ({review.mapping.confidence})")
        print(f"   rule: {review.mapping.rule}")
        print(
            f"   language {review.language} ({review.language_source}); page found: {bool(match)}"
        )
        for warning in review.warnings:
            print(f"   - {warning}")
        if match:
            for warning in sorted(set(match[0].warnings) - set(review.warnings)):
                print(f"   - [page only] {warning}")
    elapsed = time.perf_counter() - started
    print(f"\n{len(lines)} objects parsed; {same} pages gave the same review; {elapsed:.2f} s")


if __name__ == "__main__":
    main()
