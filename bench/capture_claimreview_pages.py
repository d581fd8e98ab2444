"""Capture the 32 real fact-check pages in shared/data through a loopback HTTP server.

Usage: python bench/capture_claimreview_pages.py
Prints, per page: whether its ClaimReview (from claimreviews.jsonl) was found, the title,
text length, language (and where it came from), byline and date; then the totals.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from capture_support import REAL_PAGES, standard_server  # noqa: E402

from tracker.capture import CaptureError, CaptureSettings, capture_url  # noqa: E402


def main() -> None:
    listing = REAL_PAGES.parent / "claimreviews.jsonl"
    if not listing.is_file():
        print(f"{listing} is absent: nothing to measure")
        return
    rows = [json.loads(line) for line in listing.read_text("utf-8").splitlines()]
    server = standard_server()
    settings = CaptureSettings(allow_private=True)
    counts = {"claimreview": 0, "title": 0, "text": 0, "language": 0}
    print(f"{'page':38} CR  lang(src/detected)  text  s     title")
    try:
        for row in rows:
            name = Path(row["page_file"]).name
            start = time.monotonic()
            try:
                snap = capture_url(server.url(f"/real/{name}"), settings=settings)
            except CaptureError as err:
                print(f"{name[:-5]:38} ERROR {err.code}: {err}")
                continue
            took = time.monotonic() - start
            found = row["claimreview"] in snap.claim_reviews
            counts["claimreview"] += found
            counts["title"] += bool(snap.title)
            counts["text"] += bool(snap.text)
            counts["language"] += bool(snap.language)
            lang = f"{snap.language}({snap.language_source[:3]}/{snap.language_detected})"
            print(
                f"{name[:-5]:38} {'yes' if found else 'NO ':3} {lang:19} {len(snap.text):5} "
                f"{took:.2f}  {(snap.title or '-')[:45]}"
            )
    finally:
        server.stop()
    print(", ".join(f"{key}: {value}/{len(rows)}" for key, value in counts.items()))


if __name__ == "__main__":
    main()
