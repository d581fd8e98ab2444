"""Generate a deterministic public record of N claims for benchmarks (default 100,000).

    python bench/generate.py --database-url sqlite:////tmp/bench.sqlite3 --claims 100000
    python bench/generate.py --database-url postgresql+psycopg://postgres@127.0.0.1/test \
        --schema bench_public --claims 100000

Claims are in English, Russian and Ukrainian with realistic lengths and Zipf-like word
frequencies (English texts are partly taken from ../shared/data/euvsdisinfo/cases.jsonl when
it is there), with outlets and handles, 1-4 appearances each (some archived), narratives,
countries, a verdict history, debunk articles, figures with parts and confirmed links. About
2% extra claims are drafts, in review or returned (never public). Rows are written in bulk
(executemany in batches; memory stays flat, so 1,000,000 works the same way), then the
search index is filled in batches. The same seed gives the same data.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_vocab import COUNTRIES, EN, GLUE, NARRATIVES, RU, UK

from tracker.database import make_engine, make_sessionmaker
from tracker.migrate import upgrade
from tracker.models import (
    Appearance,
    Article,
    Claim,
    ClaimArticleLink,
    ClaimFigureLink,
    Country,
    Figure,
    Narrative,
    Outlet,
    OutletHandle,
    Snapshot,
    Verdict,
    claim_countries,
    claim_narratives,
)

BATCH = 5_000
DEFAULT_POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CASES = Path(__file__).resolve().parents[2] / "shared" / "data" / "euvsdisinfo" / "cases.jsonl"
WORDS = {"en": EN, "ru": RU, "uk": UK}
RATINGS = ["false"] * 6 + ["misleading"] * 2 + ["missing_context", "unproven", "accurate"]
START = date(2015, 1, 1)
DAYS = 3_650


class Text:
    """Sentence-like text with Zipf-like word frequencies, per language."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.weights = {lang: [1 / (r + 1) for r in range(len(w))] for lang, w in WORDS.items()}
        self.english: list[tuple[str, str]] = []
        if CASES.exists():
            for line in CASES.open(encoding="utf-8"):
                case = json.loads(line)
                if case.get("summary") and case.get("disproof"):
                    self.english.append((case["summary"], case["disproof"]))

    def words(self, lang: str, chars: int) -> str:
        rng, out, size = self.rng, [], 0
        vocab, weights, glue = WORDS[lang], self.weights[lang], GLUE[lang]
        picks = rng.choices(vocab, weights, k=max(4, chars // 6))
        for word in picks:
            if size >= chars:
                break
            if out and rng.random() < 0.45:
                out.append(rng.choice(glue))
            out.append(word)
            size += len(word) + 1
        sentence = " ".join(out)
        return sentence[0].upper() + sentence[1:] + "."

    def length(self, mean: int) -> int:
        return max(40, int(self.rng.lognormvariate(0, 0.5) * mean))

    def claim(self, lang: str) -> tuple[str, str | None, str]:
        """(text, English summary or None, rationale)."""
        if lang == "en" and self.english and self.rng.random() < 0.6:
            summary, disproof = self.rng.choice(self.english)
            return summary[:2_000], None, disproof[:4_000]
        claim_text = self.words(lang, self.length(180))
        summary = self.words("en", self.length(110)) if lang != "en" else None
        return claim_text, summary, self.words("en", self.length(550))


def batches(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class LoadClock:
    """Seconds spent writing rows, apart from the time spent making them up.

    The synthetic text is generated while the rows are written; a real bulk load reads its
    rows instead, so the load time reported is the writing time plus the search index.
    """

    writing = 0.0


def write(engine: Engine, table: Table, rows: Iterator[dict[str, Any]]) -> int:
    count = 0
    with engine.begin() as connection:
        for chunk in batches(rows):
            started = time.perf_counter()
            connection.execute(table.insert(), chunk)
            LoadClock.writing += time.perf_counter() - started
            count += len(chunk)
    return count


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def generate(engine: Engine, claims: int, seed: int = 7, verbose: bool = True) -> dict[str, int]:
    """Fill a migrated, empty database; returns how many rows of each kind were written."""
    rng = random.Random(seed)
    texts = Text(rng)
    LoadClock.writing = 0.0
    counts: dict[str, int] = {}
    now = datetime(2026, 1, 1, tzinfo=UTC)
    n_outlets = max(20, min(3_000, claims // 60))
    counts["countries"] = write(
        engine, Country.__table__, ({"code": c, "name": n} for c, n in COUNTRIES.items())
    )
    counts["narratives"] = write(
        engine,
        Narrative.__table__,
        (
            {"id": i, "slug": s, "name": n, "description": f"{n}.", "created_at": now}
            for i, (s, n) in enumerate(NARRATIVES, 1)
        ),
    )
    kinds = ["state_media", "news_site", "tv_channel", "telegram_channel", "social_account"]
    codes = list(COUNTRIES)
    counts["outlets"] = write(
        engine,
        Outlet.__table__,
        (
            {
                "id": i,
                "name": f"{rng.choice(['Vestnik', 'Zarya', 'Pravda', 'Golos', 'Novosti'])} "
                f"{rng.choice(['Segodnya', 'Mira', 'Naroda', 'Dnya', 'Info'])} {i}",
                "kind": rng.choice(kinds),
                "country": rng.choice(codes[:8]),
                "state_affiliated": rng.random() < 0.4,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for i in range(1, n_outlets + 1)
        ),
    )
    counts["outlet_handles"] = write(
        engine,
        OutletHandle.__table__,
        (
            {"id": i, "outlet_id": i, "kind": "domain", "value": f"outlet{i}.example"}
            for i in range(1, n_outlets + 1)
        ),
    )
    outlet_weights = [1 / (r + 1) ** 0.8 for r in range(n_outlets)]
    total = claims + claims // 50
    private = set(rng.sample(range(1, total + 1), total - claims))
    plan: list[tuple[int, str, date, str, str]] = []  # id, lang, first seen, status, rating

    def claim_rows() -> Iterator[dict[str, Any]]:
        for claim_id in range(1, total + 1):
            lang = rng.choices(("en", "ru", "uk"), (4, 4, 2))[0]
            seen = START + timedelta(days=int(DAYS * (claim_id / total) ** 0.7))
            status = "published"
            if claim_id in private:
                status = rng.choice(["draft", "in_review", "returned"])
            elif rng.random() < 0.005:
                status = "retracted"
            rating = rng.choice(RATINGS)
            plan.append((claim_id, lang, seen, status, rating))
            body, summary, rationale = texts.claim(lang)
            public = status in ("published", "retracted")
            yield {
                "id": claim_id,
                "text": body,
                "language": lang,
                "summary_en": summary,
                "status": status,
                "rating": rating if status != "draft" else None,
                "rationale": rationale,
                "correction_note": "The source was misidentified; withdrawn."
                if status == "retracted"
                else None,
                "first_seen": seen,
                "created_at": at(seen),
                "updated_at": at(seen + timedelta(days=2)),
                "published_at": at(seen + timedelta(days=2)) if public else None,
                "version": 1,
            }

    started = time.perf_counter()
    counts["claims"] = write(engine, Claim.__table__, claim_rows())

    appearance_id = snapshot_id = 0
    snapshots: list[dict[str, Any]] = []

    def appearance_rows() -> Iterator[dict[str, Any]]:
        nonlocal appearance_id, snapshot_id
        for claim_id, lang, seen, _, _ in plan:
            outlets = rng.choices(range(1, n_outlets + 1), outlet_weights, k=rng.randint(1, 4))
            for number, outlet_id in enumerate(outlets):
                appearance_id += 1
                url = f"https://outlet{outlet_id}.example/{claim_id}/{number}"
                snap = None
                if rng.random() < 0.3:
                    snapshot_id += 1
                    snap = snapshot_id
                    snapshots.append(
                        {
                            "id": snap,
                            "original_url": url,
                            "fetched_at": at(seen, 12),
                            "http_status": 200,
                            "sha256": f"{snap:064x}",
                            "title": f"Page {claim_id}",
                            "text": f"Archived text of page {claim_id}.",
                            "language": lang,
                        }
                    )
                yield {
                    "id": appearance_id,
                    "claim_id": claim_id,
                    "url": url,
                    "outlet_id": outlet_id,
                    "appeared_on": seen + timedelta(days=number * rng.randint(0, 30)),
                    "language": lang,
                    "platform": "web",
                    "title": None,
                    "snapshot_id": snap,
                    "created_at": at(seen),
                }

    rows = list(appearance_rows())
    counts["snapshots"] = write(engine, Snapshot.__table__, iter(snapshots))
    snapshots.clear()
    counts["appearances"] = write(engine, Appearance.__table__, iter(rows))
    rows.clear()
    n_narr = len(NARRATIVES)
    narrative_weights = [1 / (r + 1) for r in range(n_narr)]
    counts["claim_narratives"] = write(
        engine,
        claim_narratives,
        (
            {"claim_id": cid, "narrative_id": nid}
            for cid, *_ in plan
            for nid in set(rng.choices(range(1, n_narr + 1), narrative_weights, k=2))
        ),
    )
    counts["claim_countries"] = write(
        engine,
        claim_countries,
        (
            {"claim_id": cid, "country_code": code}
            for cid, *_ in plan
            for code in set(rng.choices(codes, [1 / (r + 1) for r in range(len(codes))], k=2))
        ),
    )

    def verdict_rows() -> Iterator[dict[str, Any]]:
        for claim_id, _, seen, status, rating in plan:
            if status == "draft":
                continue
            yield {"claim_id": claim_id, "rating": rating, "event": "proposed", "note": None,
                   "at": at(seen)}  # fmt: skip
            if status in ("published", "retracted"):
                yield {"claim_id": claim_id, "rating": rating, "event": "published",
                       "note": None, "at": at(seen + timedelta(days=2))}  # fmt: skip
                if rng.random() < 0.03:
                    yield {"claim_id": claim_id, "rating": rating, "event": "updated",
                           "note": "New evidence was added.",
                           "at": at(seen + timedelta(days=40))}  # fmt: skip
            if status == "retracted":
                yield {"claim_id": claim_id, "rating": rating, "event": "retracted",
                       "note": "The source was misidentified; withdrawn.",
                       "at": at(seen + timedelta(days=60))}  # fmt: skip

    counts["verdicts"] = write(engine, Verdict.__table__, verdict_rows())

    n_articles = max(10, claims // 20)
    counts["articles"] = write(
        engine,
        Article.__table__,
        (
            {
                "id": i,
                "url": f"https://factcheck.example/{i}",
                "title": texts.words("en", 70),
                "publisher": rng.choice(["EUvsDisinfo", "StopFake", "Our desk", "AFP"]),
                "published_on": START + timedelta(days=rng.randrange(DAYS)),
                "language": "en",
                "text": texts.words("en", 800),
                "claim_statement": texts.words("en", 90),
                "is_ours": rng.random() < 0.3,
                "rating": "false",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for i in range(1, n_articles + 1)
        ),
    )
    published = [cid for cid, _, _, status, _ in plan if status == "published"]
    counts["claim_article_links"] = write(
        engine,
        ClaimArticleLink.__table__,
        (
            {
                "claim_id": cid,
                "article_id": rng.randint(1, n_articles),
                "status": rng.choice(["confirmed", "confirmed", "suggested"]),
                "method": "bench",
                "reason": "Generated link.",
                "created_at": now,
            }
            for cid in rng.sample(published, len(published) // 4)
        ),
    )
    n_figures = max(5, claims // 200)

    def figure_rows() -> Iterator[dict[str, Any]]:
        figure_id = 0
        for _ in range(n_figures):
            figure_id += 1
            total_id, value = figure_id, float(rng.randint(100, 100_000))
            start = START + timedelta(days=rng.randrange(DAYS - 400))
            base = {"qualifier": "more_than", "kind": "count", "unit": "people",
                    "period_start": start, "period_end": start + timedelta(days=400),
                    "publisher": "UK Ministry of Defence", "cited_source": "iStories",
                    "created_at": now, "updated_at": now, "version": 1, "label": None,
                    "parent_id": None, "position": 0}  # fmt: skip
            yield {**base, "id": total_id, "subject": texts.words("en", 50), "value": value}
            for position in range(3):
                figure_id += 1
                yield {**base, "id": figure_id, "subject": f"part {position}", "label":
                       f"Part {position}", "value": round(value / 4), "parent_id": total_id,
                       "qualifier": "exact", "position": position}  # fmt: skip

    counts["figures"] = write(engine, Figure.__table__, figure_rows())
    counts["claim_figure_links"] = write(
        engine,
        ClaimFigureLink.__table__,
        (
            {
                "claim_id": cid,
                "figure_id": 1 + 4 * rng.randrange(n_figures),
                "status": "confirmed",
                "stated_text": "tens of thousands",
                "stated_value": 10_000.0,
                "relation": "overstates",
                "ratio": 4.0,
                "method": "bench",
                "created_at": now,
            }
            for cid in rng.sample(published, len(published) // 50)
        ),
    )
    if engine.dialect.name == "postgresql":
        reset_sequences(engine)
    writing = LoadClock.writing
    if verbose:
        print(
            f"rows made and written in {time.perf_counter() - started:.1f}s "
            f"({writing:.1f}s of it writing): {counts}",
            flush=True,
        )
    started = time.perf_counter()
    counts["indexed"] = index_all(engine)
    indexing = time.perf_counter() - started
    if verbose:
        print(f"search index filled in {indexing:.1f}s", flush=True)
        print(f"bulk load (writing rows + search index): {writing + indexing:.1f}s", flush=True)
    # PostgreSQL also needs the dead row versions that the search index's term counts left
    # behind cleared: without VACUUM, looking up a word's count walks millions of them.
    statement = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))
    if verbose:
        print(f"{statement} in {time.perf_counter() - started:.1f}s", flush=True)
    return counts


SEQUENCE_TABLES = ("claims", "appearances", "outlets", "outlet_handles", "narratives",
                   "verdicts", "articles", "figures", "snapshots", "claim_article_links",
                   "claim_figure_links")  # fmt: skip


def reset_sequences(engine: Engine) -> None:
    """Ids were given explicitly; move PostgreSQL's sequences past them."""
    with engine.begin() as connection:
        for table in SEQUENCE_TABLES:
            statement = "SELECT setval(pg_get_serial_sequence(:name, 'id'), max(id)) FROM "
            connection.execute(text(statement + table), {"name": table})


def index_all(engine: Engine) -> int:
    """Fill the claim search index (0 when this build has no search engine)."""
    from tracker.services.indexing import rebuild_claim_index

    session = make_sessionmaker(engine)()
    try:
        total = rebuild_claim_index(session, release_batches=True, parallel=True)
        session.commit()
    finally:
        session.close()
    return total


def bench_database_url(backend: str, claims: int, data_dir: str) -> str:
    """Where the benchmark kit keeps the generated record of CLAIMS claims."""
    if backend == "sqlite":
        return f"sqlite:///{data_dir}/bench-public-{claims}.sqlite3"
    from tests.db_support import pg_url_with_schema

    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRESQL)
    return pg_url_with_schema(url, f"bench_public_{claims}")


def prepare_database(url: str, schema: str | None) -> str:
    """Create (or empty) the target and migrate it; returns the URL to use."""
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif schema:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
        from tests.db_support import pg_url_with_schema

        admin = make_engine(pg_url_with_schema(url, "public"))
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        url = pg_url_with_schema(url, schema)
    engine = make_engine(url)
    upgrade(engine)
    try:
        from tracker.search import create_schema

        with engine.begin() as connection:
            create_schema(connection)
    except ImportError:
        pass
    engine.dispose()
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/bench-public.sqlite3")
    parser.add_argument("--schema", default=None, help="PostgreSQL schema to (re)create")
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    url = prepare_database(args.database_url, args.schema)
    engine = make_engine(url)
    generate(engine, args.claims, args.seed)
    engine.dispose()
    print(f"ready: {url}")


if __name__ == "__main__":
    main()
