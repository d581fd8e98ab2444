"""Measure the light Ukrainian stemmer on the paradigms in tests/data/search/uk_forms.txt.

For each lemma: the share of its forms that reach the lemma's most common stem (recall of
conflation), and whether two lemmas collide on one stem (over-stemming).

    python bench/eval_ukrainian_stemmer.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.search.analysis import fold  # noqa: E402
from tracker.search.ukrainian import stem  # noqa: E402

FORMS = ROOT / "tests" / "data" / "search" / "uk_forms.txt"


def paradigms() -> dict[str, list[str]]:
    """Lemma -> forms, as written in the word list (folded like the analyser does)."""
    found = {}
    for line in FORMS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            lemma, _, forms = line.partition(":")
            found[lemma.strip()] = [fold(form) for form in forms.split()]
    return found


def measure() -> tuple[int, int, dict[str, Counter[str]]]:
    """(forms reaching their lemma's main stem, all forms, stems per lemma)."""
    good = total = 0
    stems: dict[str, Counter[str]] = {}
    for lemma, forms in paradigms().items():
        counts = Counter(stem(form) for form in forms)
        stems[lemma] = counts
        good += counts.most_common(1)[0][1]
        total += len(forms)
    return good, total, stems


def main() -> None:
    good, total, stems = measure()
    for lemma, counts in stems.items():
        main_stem, hits = counts.most_common(1)[0]
        others = {s: n for s, n in counts.items() if s != main_stem}
        print(f"{lemma:14} {main_stem:12} {hits}/{sum(counts.values())} other: {others or '-'}")
    mains = Counter(counts.most_common(1)[0][0] for counts in stems.values())
    collisions = [s for s, n in mains.items() if n > 1]
    print(
        f"\n{good}/{total} forms reach their lemma's stem ({good / total:.1%}); "
        f"lemmas sharing a stem: {collisions or 'none'}"
    )


if __name__ == "__main__":
    main()
