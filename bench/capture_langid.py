"""Measure the capture language detector on our ru/uk/en/de snippets.

Usage: python bench/capture_langid.py
Prints accuracy per language and snippet kind (sentence / paragraph) and every miss.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.capture.language import detect_language  # noqa: E402


def main() -> None:
    snippets = ROOT / "tests/data/capture/lang_snippets.jsonl"
    rows = [json.loads(line) for line in snippets.read_text("utf-8").splitlines()]
    total: Counter[tuple[str, str]] = Counter()
    right: Counter[tuple[str, str]] = Counter()
    for row in rows:
        guess, prob = detect_language(row["text"])
        key = (row["lang"], row["kind"])
        total[key] += 1
        if guess == row["lang"]:
            right[key] += 1
        else:
            print(f"MISS {row['lang']}->{guess} p={prob:.2f} {row['kind']}: {row['text'][:60]}")
    print(f"{'lang':5} {'kind':10} right/total")
    for key in sorted(total):
        print(f"{key[0]:5} {key[1]:10} {right[key]}/{total[key]}")
    print(f"all   {'':10} {sum(right.values())}/{sum(total.values())}")


if __name__ == "__main__":
    main()
