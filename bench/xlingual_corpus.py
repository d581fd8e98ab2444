"""Write the corpus for the cross-lingual evaluation: our 62 English claim statements plus the
titles of the 3,071 EUvsDisinfo cases as distractors (read from ../shared/data).

    python bench/xlingual_corpus.py /tmp/xlingual-corpus.jsonl
    tracker xref eval --corpus /tmp/xlingual-corpus.jsonl \\
        --queries tests/data/xlingual/queries.jsonl
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TRACKER_SHARED_DATA", ROOT.parent / "shared" / "data"))
CASES = SHARED / "euvsdisinfo" / "cases.jsonl"


def main(target: Path) -> None:
    written = 0
    with target.open("w", encoding="utf-8") as out:
        for line in (ROOT / "tests" / "data" / "xlingual" / "claims.jsonl").open(encoding="utf-8"):
            if line.strip():
                record = json.loads(line)
                out.write(
                    json.dumps(
                        {"id": record["id"], "text": record["text"], "lang": "en"},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
                written += 1
        if CASES.exists():
            for number, line in enumerate(CASES.open(encoding="utf-8")):
                title = json.loads(line).get("title")
                if title:
                    out.write(
                        json.dumps(
                            {"id": f"euvs-{number}", "text": title, "lang": "en"},
                            ensure_ascii=False,
                        )
                        + "\n"
                    )
                    written += 1
    print(f"{written} documents written to {target}")


if __name__ == "__main__":
    default = Path(tempfile.gettempdir()) / "xlingual-corpus.jsonl"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
