"""Build a synthetic multilingual index and measure indexing time and query latency.

    python bench/bench_search_index.py                       # 100,000 documents, SQLite
    python bench/bench_search_index.py --docs 1000000
    python bench/bench_search_index.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

Documents are short claims (12-40 words) in English (40%), Russian (30%), Ukrainian (20%) and
German (10%), words drawn from a Zipf distribution over a generated vocabulary with real case
endings, so stemming has work to do (the documents are generated before the clock starts:
indexing time is analysis plus writing). "ukraine" is put into 70% of the documents and "war"
into 40%: the worst cases are queries for them. Latency is for `search_ids(..., limit=20)`,
the whole path (planning, document frequencies, ranking), joined onto nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from sqlalchemy import Connection, create_engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tracker.search import SearchDocument, create_schema, index_documents, search_ids  # noqa: E402

LANGS = [("en", 0.4), ("ru", 0.3), ("uk", 0.2), ("de", 0.1)]
SYLLABLES = {
    "en": [
        "ba",
        "be",
        "bi",
        "bo",
        "ra",
        "re",
        "ri",
        "ro",
        "ta",
        "te",
        "ti",
        "to",
        "la",
        "le",
        "li",
        "lo",
        "ma",
        "me",
        "mi",
        "mo",
        "na",
        "ne",
        "ni",
        "no",
        "sa",
        "se",
        "si",
        "so",
        "ka",
        "ke",
        "ki",
        "ko",
        "da",
        "de",
        "di",
        "do",
        "pa",
        "pe",
        "pi",
        "po",
        "va",
        "ve",
        "vi",
        "vo",
    ],
    "de": [
        "ba",
        "be",
        "bi",
        "bo",
        "ra",
        "re",
        "ri",
        "ro",
        "ta",
        "te",
        "ti",
        "to",
        "la",
        "le",
        "li",
        "lo",
        "ma",
        "me",
        "mi",
        "mo",
        "na",
        "ne",
        "ni",
        "no",
        "sa",
        "se",
        "si",
        "so",
        "ka",
        "ke",
        "ki",
        "ko",
        "da",
        "de",
        "di",
        "do",
        "pa",
        "pe",
        "pi",
        "po",
        "wa",
        "we",
        "wi",
        "wo",
        "ku",
        "zu",
    ],
    "ru": [
        "ба",
        "бе",
        "би",
        "бо",
        "ра",
        "ре",
        "ри",
        "ро",
        "та",
        "те",
        "ти",
        "то",
        "ла",
        "ле",
        "ли",
        "ло",
        "ма",
        "ме",
        "ми",
        "мо",
        "на",
        "не",
        "ни",
        "но",
        "са",
        "се",
        "си",
        "со",
        "ка",
        "ке",
        "ки",
        "ко",
        "да",
        "де",
        "ди",
        "до",
        "па",
        "пе",
        "пи",
        "по",
        "ва",
        "ве",
        "ви",
        "во",
        "зы",
        "жу",
    ],
    "uk": [
        "ба",
        "бе",
        "бі",
        "бо",
        "ра",
        "ре",
        "рі",
        "ро",
        "та",
        "те",
        "ті",
        "то",
        "ла",
        "ле",
        "лі",
        "ло",
        "ма",
        "ме",
        "мі",
        "мо",
        "на",
        "не",
        "ні",
        "но",
        "са",
        "се",
        "сі",
        "со",
        "ка",
        "ке",
        "кі",
        "ко",
        "да",
        "де",
        "ді",
        "до",
        "па",
        "пе",
        "пі",
        "по",
        "ва",
        "ве",
        "ві",
        "во",
        "ї",
        "є",
    ],
}
ENDINGS = {
    "en": ["", "", "", "s", "ed", "ing"],
    "de": ["", "", "en", "e", "er", "es"],
    "ru": ["", "а", "ы", "у", "ой", "ам", "ами", "ах", "ом", "е"],
    "uk": ["", "а", "и", "і", "у", "ою", "ам", "ами", "ах", "ом"],
}
CONSONANTS = {"en": "nrtsk", "de": "nrtsk", "ru": "нртск", "uk": "нртск"}
VOCABULARY = 30_000


def make_vocabulary(lang: str, rng: random.Random) -> list[str]:
    """Distinct stems for a language, the first ones the most frequent."""
    seen: dict[str, None] = {}
    while len(seen) < VOCABULARY:
        parts = rng.randint(2, 4)
        stem = "".join(rng.choice(SYLLABLES[lang]) for _ in range(parts))
        seen.setdefault(stem + rng.choice(CONSONANTS[lang]))
    return list(seen)


class Corpus:
    """Deterministic synthetic documents and the words to query them with."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.vocab = {lang: make_vocabulary(lang, self.rng) for lang, _ in LANGS}
        # Zipf weights: word of rank r is drawn with weight 1/r.
        self.cumulative = list(_accumulate([1 / rank for rank in range(1, VOCABULARY + 1)]))

    def word(self, lang: str, rng: random.Random) -> str:
        stem = rng.choices(self.vocab[lang], cum_weights=self.cumulative)[0]
        return stem + rng.choice(ENDINGS[lang])

    def documents(self, count: int) -> Iterator[SearchDocument]:
        rng = random.Random(11)
        langs = [lang for lang, _ in LANGS]
        weights = [weight for _, weight in LANGS]
        for doc_id in range(1, count + 1):
            lang = rng.choices(langs, weights)[0]
            words = [self.word(lang, rng) for _ in range(rng.randint(12, 40))]
            if rng.random() < 0.7:
                words.insert(rng.randrange(len(words)), "Ukraine")
            if rng.random() < 0.4:
                words.insert(rng.randrange(len(words)), "war")
            yield SearchDocument(doc_id, " ".join(words), lang=lang)


def _accumulate(values: list[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def query_sets(
    corpus: Corpus, docs: list[SearchDocument], per_set: int
) -> dict[str, tuple[str, list[str]]]:
    """name -> (mode, queries)."""
    rng = random.Random(3)
    english = [doc for doc in docs[:50_000] if doc.lang == "en"]

    def from_document() -> str:
        return " ".join(rng.sample(rng.choice(english).primary.split(), 3))

    def rare(lang: str) -> str:
        return rng.choice(corpus.vocab[lang][5_000:20_000]) + rng.choice(ENDINGS[lang])

    def mid(lang: str) -> str:
        return rng.choice(corpus.vocab[lang][20:400]) + rng.choice(ENDINGS[lang])

    def text(lang: str) -> str:
        return " ".join(corpus.word(lang, rng) for _ in range(30))

    def times(make: Callable[[], str]) -> list[str]:
        return [make() for _ in range(per_set)]

    return {
        "selective word (en)": ("all", times(lambda: rare("en"))),
        "selective word, other case ending (ru/uk)": (
            "all",
            times(lambda: rare(rng.choice(["ru", "uk"]))),
        ),
        "two mid-frequency words (de)": ("all", times(lambda: f"{mid('de')} {mid('de')}")),
        "three words of one document (en)": ("all", times(from_document)),
        "common: 'ukraine' (70% of docs)": ("all", ["ukraine"] * per_set),
        "common: 'ukraine war' all": ("all", ["ukraine war"] * per_set),
        "common: 'ukraine war' any": ("any", ["ukraine war"] * per_set),
        "common + selective, all": ("all", times(lambda: f"ukraine {rare('en')}")),
        "any: 30-word text (ru)": ("any", times(lambda: text("ru"))),
        "any: 30-word text (en)": ("any", times(lambda: text("en"))),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(
    connection: Connection, label: str, corpus: Corpus, docs: list[SearchDocument], per_set: int
) -> None:
    create_schema(connection, ["claim"])
    started, cpu = time.perf_counter(), time.process_time()
    index_documents(connection, "claim", docs)
    connection.commit()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    count = len(docs)
    print(
        f"\n{label}: indexed {count:,} documents in {seconds:.1f} s wall "
        f"({count / seconds:,.0f}/s), {cpu:.1f} s CPU in this process; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'query set':45} {'mode':4} {'hits':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, (mode, queries) in query_sets(corpus, docs, per_set).items():
        latencies, hit_counts = [], []
        for query in queries:
            begun = time.perf_counter()
            hits = search_ids(connection, "claim", query, 20, mode=mode)
            latencies.append((time.perf_counter() - begun) * 1000)
            hit_counts.append(len(hits))
        print(
            f"{name:45} {mode:4} {statistics.mean(hit_counts):5.1f} "
            f"{percentile(latencies, 0.5):8.1f} {percentile(latencies, 0.95):8.1f} "
            f"{percentile(latencies, 0.99):8.1f}"
        )
        connection.rollback()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100, help="queries per set")
    parser.add_argument("--sqlite", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--postgres", default="", help="PostgreSQL URL (empty: skip)")
    args = parser.parse_args()
    corpus = Corpus()
    # Generated up front so that the indexing time is analysis and writing only.
    docs = list(corpus.documents(args.docs))
    if args.sqlite:
        with tempfile.TemporaryDirectory() as folder:
            engine = create_engine(f"sqlite:///{folder}/bench.sqlite3")
            with engine.connect() as connection:
                run(connection, "SQLite (file)", corpus, docs, args.queries)
            engine.dispose()
    if args.postgres:
        engine = create_engine(args.postgres)
        schema = f"search_bench_{uuid.uuid4().hex[:8]}"
        with engine.connect() as connection:
            connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
            connection.exec_driver_sql(f"SET search_path TO {schema}")
            connection.commit()
            try:
                run(connection, "PostgreSQL", corpus, docs, args.queries)
            finally:
                connection.rollback()
                connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
                connection.commit()
        engine.dispose()


if __name__ == "__main__":
    main()
