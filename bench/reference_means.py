"""Compute the reference mean vector per language that ships with the app.

Centering vectors (subtracting the mean of their language) is what makes cross-lingual
similarities comparable; the mean of the stored texts is used once a database has enough of
them, and this reference before that (a new installation, a language with few claims).
Means are kept per role (stored passages, and queries: e5 encodes them
differently). The texts are our own: the quantity test sentences and the demo claims and
articles (not the
cross-lingual evaluation queries, which would leak into the evaluation).

    python bench/reference_means.py     # rewrites tracker/xref/reference_means.json
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np

from tracker.demo import data
from tracker.xref.embeddings import get_encoder

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "tracker" / "xref" / "reference_means.json"
LANGS = ("en", "ru", "uk", "de")


def texts_by_language() -> dict[str, list[str]]:
    texts: dict[str, list[str]] = defaultdict(list)
    for name in ("sentences.jsonl", "heldout.jsonl"):
        for line in (ROOT / "tests" / "data" / "quantities" / name).open(encoding="utf-8"):
            if line.strip():
                record = json.loads(line)
                texts[record["lang"]].append(record["text"])
    for claim in data.CLAIMS:
        texts[claim["language"]].append(claim["text"])
        texts["en"].append(claim["summary"])
    for article in data.ARTICLES:
        texts["en"].append(f"{article['title']}. {article['claim_statement']}")
    return texts


def main() -> None:
    texts = texts_by_language()
    output = {}
    for backend in ("e5", "use"):
        encoder = get_encoder(backend)
        means: dict[str, dict[str, list[float]]] = {"passage": {}, "query": {}}
        for role in means:
            for lang in LANGS:
                vectors = encoder.encode(texts[lang], lang, role=role)  # type: ignore[arg-type]
                means[role][lang] = [round(float(v), 6) for v in np.mean(vectors, axis=0)]
        print(backend, {lang: len(texts[lang]) for lang in LANGS})
        # Keyed by model name without the package version: a new release of the same model
        # keeps its reference.
        output[encoder.model_id.split("@")[0]] = means
    TARGET.write_text(json.dumps(output, indent=0), encoding="utf-8")
    print(f"written {TARGET}")


if __name__ == "__main__":
    main()
