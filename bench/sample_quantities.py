"""Print a random sample of quantities extracted from real texts, to read and judge by eye.

    python bench/sample_quantities.py [--n 80] [--seed 1]

Reads the EUvsDisinfo cases in ../shared/data/euvsdisinfo/cases.jsonl (third-party data,
never copied into the project) and prints, for a random sample of extracted quantities, the
surrounding text and what was read. Also prints how long extraction took over all texts.

What reading samples found (judged by eye, English texts only, so a rough guide):
``--seed 99``: about 11 of 100 wrong (URLs, "9/11", "2011-12", "21-22 March", "10 times",
"two thirds", TV channel names), all but the names fixed since; a fresh ``--seed 7`` after
those fixes: 7 of 100 wrong ("June 13-14", "February 20-22", "Rossiya 1" three times,
"Charta 77", "Review 66 and 67"), the dates and channels fixed since. Names that end in a
number ("Charta 77", "Noble Jump 17", "Barbarossa 2") are still read as counts.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.xref.quantities import extract_quantities  # noqa: E402

CASES = ROOT.parent / "shared" / "data" / "euvsdisinfo" / "cases.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--n", type=int, default=80)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not CASES.exists():
        print(f"{CASES} not found; nothing to sample")
        return
    rows = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines()]
    found, characters = [], 0
    began = time.perf_counter()
    for row in rows:
        for field in ("title", "summary", "disproof"):
            text = row.get(field) or ""
            characters += len(text)
            for q in extract_quantities(text):
                context = text[max(0, q.start - 45) : q.end + 20].replace("\n", " ")
                found.append((context, q))
    elapsed = time.perf_counter() - began
    print(
        f"{len(found)} quantities in {characters:,} characters of {len(rows)} cases, "
        f"{elapsed:.2f} s\n"
    )
    random.seed(args.seed)
    for index, (context, q) in enumerate(random.sample(found, min(args.n, len(found)))):
        upper = f"–{q.upper:g}" if q.upper is not None else ""
        money = f" {q.currency}" if q.currency else ""
        print(f"{index:3} {q.text!r:32} {q.value:g}{upper} {q.qualifier} {q.kind}{money}")
        print(f"      …{context}…")


if __name__ == "__main__":
    main()
