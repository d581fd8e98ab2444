"""Read the whole EUvsDisinfo file through the euvsdisinfo mapping; print counts and reasons.

Run: python bench/interop_euvsdisinfo.py [path-to-cases.jsonl]
"""

from __future__ import annotations

import re
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

from tracker.interop.rows import RowError, read_rows

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "euvsdisinfo" / "cases.jsonl"


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    started = time.perf_counter()
    accepted = 0
    reasons: Counter[str] = Counter()
    warnings: Counter[str] = Counter()
    for result in read_rows(path, "jsonl", "euvsdisinfo"):
        if isinstance(result, RowError):
            reasons[re.sub(r"line \d+", "line N", result.reason)] += 1
            continue
        accepted += 1
        for warning in result.warnings:
            elided = re.sub(r"'[^']*' is not a domain", "'…' is not a domain", warning)
            warnings[re.sub(r"unknown language '[^']*'", "unknown language '…'", elided)] += 1
    elapsed = time.perf_counter() - started
    tracemalloc.start()  # a second pass, measured for memory only (tracing slows it down)
    for _ in read_rows(path, "jsonl", "euvsdisinfo"):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    print(f"file: {path}")
    print(f"accepted: {accepted}  rejected: {sum(reasons.values())}  in {elapsed:.2f} s")
    print(f"peak traced memory while streaming: {peak / 1e6:.1f} MB")
    print("rejections:")
    for reason, count in reasons.most_common():
        print(f"  {count:5d}  {reason}")
    print("warnings on accepted rows (values elided):")
    for warning, count in warnings.most_common():
        print(f"  {count:5d}  {warning}")


if __name__ == "__main__":
    main()
