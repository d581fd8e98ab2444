"""Measure the transliteration keys on tests/data/search/name_spellings.txt.

For every name: which of its Latin spellings find which of its Cyrillic forms (the key a
Latin query word looks for equals the key the Cyrillic form is indexed with), and which
different names share a key.

    python bench/eval_name_keys.py
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.search.analysis import fold  # noqa: E402
from tracker.search.translit import name_key  # noqa: E402

NAMES = ROOT / "tests" / "data" / "search" / "name_spellings.txt"


def names() -> list[tuple[list[str], list[str]]]:
    """(Cyrillic forms, Latin spellings) for each name of the list."""
    found = []
    for line in NAMES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cyrillic, _, latin = line.partition("|")
            found.append((cyrillic.split(), latin.split()))
    return found


def measure() -> tuple[int, int, int, int, list[str]]:
    """(Latin->Cyrillic pairs found, pairs, Cyrillic->Latin found, pairs, shared keys)."""
    lat_found = lat_total = cyr_found = cyr_total = 0
    owners: dict[str, set[str]] = defaultdict(set)
    for cyrillic, latin in names():
        for form in cyrillic:
            owners[name_key(fold(form))].add(latin[0])
            for spelling in latin:
                lat_total += 1
                lat_found += name_key(fold(spelling), for_query=True) == name_key(fold(form))
                cyr_total += 1
                cyr_found += name_key(fold(form), for_query=True) == name_key(fold(spelling))
    shared = sorted(key for key, who in owners.items() if len(who) > 1)
    return lat_found, lat_total, cyr_found, cyr_total, shared


def main() -> None:
    lat_found, lat_total, cyr_found, cyr_total, shared = measure()
    for cyrillic, latin in names():
        missed = [
            f"{spelling}->{form}"
            for form in cyrillic
            for spelling in latin
            if name_key(fold(spelling), for_query=True) != name_key(fold(form))
        ]
        if missed:
            print(f"{latin[0]:12} missed: {', '.join(missed)}")
    print(
        f"\nLatin query finds Cyrillic form: {lat_found}/{lat_total} ({lat_found / lat_total:.1%})"
        f"\nCyrillic query finds Latin spelling: {cyr_found}/{cyr_total} "
        f"({cyr_found / cyr_total:.1%})\nkeys shared by different names: {shared or 'none'}"
    )


if __name__ == "__main__":
    main()
