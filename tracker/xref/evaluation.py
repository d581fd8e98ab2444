"""Measuring claim matching: index a corpus in a scratch database, run queries, score ranks.

Reads the CLEF CheckThat! 2022 Task 2A formats (corpus JSONL with `vclaim_id`, `vclaim`,
`title`, `subtitle`; queries `id<TAB>text`; qrels `qid 0 docid 1`) and a generic corpus
(`id`, `text`, `title`, `lang`) with JSONL queries (`id`, `text`, `lang`, optional `target`
giving the relevant document, so no qrels file is needed). Each query runs through the real
pipeline three ways: lexical only, semantic only and fused.

For the thresholds (XREF_MIN_SCORE, XREF_SUGGEST_MIN_SCORE), each run also says, at a few
score levels, how often the right document scores at least that much among the top ten
("right kept") and how many wrong documents per query do ("wrong per query"): what an
analyst would be shown or offered as suggestions at that setting.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tracker.database import make_engine, make_sessionmaker
from tracker.migrate import upgrade
from tracker.models import Article, utcnow
from tracker.services.indexing import reindex
from tracker.xref.embeddings import Encoder, get_encoder
from tracker.xref.engine import XrefEngine
from tracker.xref.matching import MatchSettings
from tracker.xref.vector_cache import VectorCache

MODES = ("lexical", "semantic", "fused")
#: Score levels at which `threshold_table` reports what a threshold keeps and lets through.
LEVELS = (0.2, 0.25, 0.3, 0.4, 0.5, 0.6)


@dataclass
class Query:
    id: str
    text: str
    lang: str | None = None
    kind: str | None = None


@dataclass
class Scores:
    mode: str
    ap5: list[float] = field(default_factory=list)
    rr: list[float] = field(default_factory=list)
    hits: dict[int, list[bool]] = field(default_factory=lambda: {1: [], 5: [], 10: []})
    ms: list[float] = field(default_factory=list)
    # Per query, the scores of the right documents found and of the wrong ones.
    right: list[list[float]] = field(default_factory=list)
    wrong: list[list[float]] = field(default_factory=list)

    def add(
        self, ranked: list[str], relevant: set[str], ms: float, scores: list[float] | None = None
    ) -> None:
        self.ms.append(ms)
        if scores is not None:
            pairs = list(zip(ranked, scores, strict=True))
            self.right.append([score for doc, score in pairs if doc in relevant])
            self.wrong.append([score for doc, score in pairs if doc not in relevant])
        found, precision_sum = 0, 0.0
        for rank, doc in enumerate(ranked[:5], start=1):
            if doc in relevant:
                found += 1
                precision_sum += found / rank
        self.ap5.append(precision_sum / min(len(relevant), 5) if relevant else 0.0)
        first = next((r for r, doc in enumerate(ranked, start=1) if doc in relevant), None)
        self.rr.append(1 / first if first else 0.0)
        for k in self.hits:
            self.hits[k].append(first is not None and first <= k)

    def summary(self) -> dict[str, float]:
        ms = sorted(self.ms)
        return {
            "MAP@5": statistics.fmean(self.ap5) if self.ap5 else 0.0,
            "MRR": statistics.fmean(self.rr) if self.rr else 0.0,
            **{f"S@{k}": statistics.fmean(v) if v else 0.0 for k, v in self.hits.items()},
            "mean ms": statistics.fmean(ms) if ms else 0.0,
            "p95 ms": ms[max(0, int(len(ms) * 0.95) - 1)] if ms else 0.0,
            "queries": float(len(ms)),
            **self._levels(),
        }

    def _levels(self) -> dict[str, float]:
        if not self.right:
            return {}
        out: dict[str, float] = {}
        for level in LEVELS:
            kept = [any(score >= level for score in found) for found in self.right]
            passed = [sum(score >= level for score in found) for found in self.wrong]
            out[f"right>={level}"] = statistics.fmean(kept)
            out[f"wrong>={level}"] = statistics.fmean(passed)
        return out


def read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def read_corpus(path: Path) -> list[dict]:
    """Documents as {id, title, statement, text, lang}, from either corpus format."""
    documents = []
    for record in read_jsonl(path):
        if "vclaim_id" in record:
            documents.append(
                {
                    "id": record["vclaim_id"],
                    "title": record.get("title") or "",
                    "statement": record.get("vclaim") or "",
                    "text": record.get("subtitle") or "",
                    "lang": "en",
                }
            )
        else:
            documents.append(
                {
                    "id": str(record["id"]),
                    "title": record.get("title") or "",
                    "statement": record.get("text") or "",
                    "text": record.get("body") or "",
                    "lang": record.get("lang"),
                }
            )
    return documents


def read_queries(path: Path, lang: str | None) -> tuple[list[Query], dict[str, set[str]]]:
    """Queries, and the relevance judgements carried inside a JSONL query file (if any)."""
    queries: list[Query] = []
    qrels: dict[str, set[str]] = {}
    if path.suffix == ".jsonl":
        for record in read_jsonl(path):
            queries.append(
                Query(
                    str(record["id"]), record["text"], record.get("lang", lang), record.get("kind")
                )
            )
            if record.get("target"):
                qrels.setdefault(str(record["id"]), set()).add(str(record["target"]))
        return queries, qrels
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if "\t" in line:
                qid, text = line.rstrip("\n").split("\t", 1)
                queries.append(Query(qid, text, lang))
    return queries, qrels


def read_qrels(path: Path) -> dict[str, set[str]]:
    qrels: dict[str, set[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 4 and parts[3] != "0":
                qrels.setdefault(parts[0], set()).add(parts[2])
    return qrels


def load_corpus(session: Session, documents: list[dict]) -> tuple[dict[int, str], list[int]]:
    """Make the stored debunk articles equal the corpus: new documents are added, changed
    ones updated, the ones no longer in it deleted (so an interrupted or older scratch
    database is brought up to date, never silently reused). Returns article id -> document
    id, and the ids of the articles added or changed (their index entries need refreshing).
    """
    wanted = {
        f"eval:{d['id']}": {
            "title": (d["title"] or d["statement"][:200] or "(untitled)")[:500],
            "claim_statement": d["statement"] or None,
            "text": d["text"] or None,
            "language": d["lang"],
            "deleted_at": None,
        }
        for d in documents
    }
    # The "is not None" tests never drop a row (LIKE excludes NULL); they narrow the type.
    stored = {
        article.external_id: article
        for article in session.scalars(select(Article).where(Article.external_id.like("eval:%")))
        if article.external_id is not None
    }
    changed: list[int] = []
    for external, article in stored.items():
        values = wanted.get(external)
        if values is None:
            if article.deleted_at is None:
                article.deleted_at = utcnow()
                changed.append(article.id)
            continue
        if any(getattr(article, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(article, name, value)
            changed.append(article.id)
    rows = [
        {**values, "external_id": external, "is_ours": False, "version": 1}
        for external, values in wanted.items()
        if external not in stored
    ]
    for start in range(0, len(rows), 5000):
        session.execute(insert(Article), rows[start : start + 5000])
    session.flush()
    names = {
        article_id: external.removeprefix("eval:")
        for article_id, external in session.execute(
            select(Article.id, Article.external_id).where(
                Article.external_id.like("eval:%"), Article.deleted_at.is_(None)
            )
        )
        if external is not None
    }
    if rows:
        added = {f"eval:{d}" for d in names.values()} - set(stored)
        changed += [i for i, d in names.items() if f"eval:{d}" in added]
    session.commit()
    return names, changed


def evaluate(
    corpus: Path,
    queries_path: Path,
    qrels_path: Path | None = None,
    *,
    lang: str | None = "en",
    settings: MatchSettings | None = None,
    database: Path | None = None,
    modes: tuple[str, ...] = MODES,
    progress: Progress | None = None,
    query_cache: Path | None = None,
) -> dict[str, dict[str, dict[str, float]]]:
    """Scores per mode (and per query kind/language group).

    The corpus goes into a scratch SQLite database (DATABASE when given, kept for the next
    run): whatever is missing or stale there (documents, index entries, vectors of another
    model or text) is brought up to date first, so a run never measures an interrupted or
    outdated build. `progress(message)` hears about that work; `query_cache` keeps query
    vectors in a file between runs (times then exclude encoding those queries).
    """
    settings = settings or MatchSettings()
    say = progress or (lambda _message: None)
    queries, qrels = read_queries(queries_path, lang)
    if qrels_path is not None:
        qrels = read_qrels(qrels_path)
    queries = [q for q in queries if q.id in qrels]
    cache = VectorCache(query_cache) if query_cache is not None else None
    encoders = _encoders(settings.backend)
    with tempfile.TemporaryDirectory() as scratch:
        path = database or Path(scratch) / "eval.sqlite3"
        engine_db = make_engine(f"sqlite:///{path}")
        upgrade(engine_db)
        session = make_sessionmaker(engine_db)()
        xref = XrefEngine(replace(settings, min_score=-1.0), refresh_seconds=3600)
        try:
            for encoder in encoders:
                encoder.persistent = cache
            documents = read_corpus(corpus)
            say(f"corpus: {len(documents):,} documents")
            names, changed = load_corpus(session, documents)
            if changed:
                say(f"full-text index: {len(changed):,} new or changed documents")
                for start in range(0, len(changed), 1000):
                    reindex(session, "article", changed[start : start + 1000])
                    session.commit()
            encoded = xref.refresh_all(
                session, "article", progress=_counter(say, "vectors", len(names))
            )
            say(f"vectors: {encoded:,} encoded, {len(names) - encoded:,} already stored")
            results = _run(xref, session, queries, qrels, names, modes, say)
        finally:
            for encoder in encoders:
                encoder.persistent = None
            session.close()
            engine_db.dispose()
            if cache is not None:
                say(f"query vectors: {cache.hits:,} from the cache, {cache.misses:,} encoded")
                cache.close()
    return results


Progress = Callable[[str], None]


def _encoders(backend: str) -> list[Encoder]:
    try:
        encoder = get_encoder(backend)
    except ValueError:
        return []
    return [encoder, *getattr(encoder, "parts", [])]


def _counter(say: Progress, label: str, total: int) -> Callable[[int], None]:
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        say(f"{label}: {done:,}/{total:,}")

    return step


def _run(
    xref: XrefEngine,
    session: Session,
    queries: list[Query],
    qrels: dict[str, set[str]],
    names: dict[int, str],
    modes: tuple[str, ...],
    say: Progress,
) -> dict[str, dict[str, dict[str, float]]]:
    results: dict[str, dict[str, Scores]] = {}
    for mode in modes:
        variant = _variant(xref, mode)
        for number, query in enumerate(queries, start=1):
            started = time.perf_counter()
            matched = variant.match(session, query.text, query.lang, kinds=("article",), limit=10)
            ms = (time.perf_counter() - started) * 1000
            ranked = [names[m.id] for m in matched.matches]
            scores = [m.score for m in matched.matches]
            for group in (
                "all",
                *(g for g in (query.kind, query.lang) if g),
                *([f"{query.kind}-{query.lang}"] if query.kind else []),
            ):
                results.setdefault(group, {}).setdefault(mode, Scores(mode)).add(
                    ranked, qrels[query.id], ms, scores
                )
            if number % 50 == 0 or number == len(queries):
                say(f"{mode}: {number}/{len(queries)} queries")
    return {
        group: {mode: s.summary() for mode, s in by_mode.items()}
        for group, by_mode in results.items()
    }


def _variant(base: XrefEngine, mode: str) -> XrefEngine:
    """The same engine (and vectors) with only one stage, or both."""
    if mode == "fused":
        return base
    settings = (
        replace(base.settings, backend="none")
        if mode == "lexical"
        else replace(base.settings, lexical_weight=0.0)
    )
    variant = XrefEngine(settings, refresh_seconds=3600)
    variant.store = base.store
    return variant


def format_table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    columns = ["MAP@5", "MRR", "S@1", "S@5", "S@10", "mean ms", "p95 ms", "queries"]
    lines = [f"{'group':14} {'mode':9} " + " ".join(f"{c:>8}" for c in columns)]
    for group, by_mode in results.items():
        for mode, values in by_mode.items():
            cells = [
                f"{values[c]:8.0f}"
                if c in ("queries",)
                else f"{values[c]:8.1f}"
                if "ms" in c
                else f"{values[c]:8.3f}"
                for c in columns
            ]
            lines.append(f"{group:14} {mode:9} " + " ".join(cells))
    return "\n".join(lines)


def threshold_table(
    results: dict[str, dict[str, dict[str, float]]], mode: str = "fused", group: str = "all"
) -> str:
    """What each score level would keep of the right documents and let through of the
    wrong ones (top ten per query), for choosing XREF_MIN_SCORE and XREF_SUGGEST_MIN_SCORE."""
    values = results.get(group, {}).get(mode, {})
    if f"right>={LEVELS[0]}" not in values:
        return ""
    lines = [f"{mode} scores, {group} queries: {'at least':>9} {'right kept':>11} "
             f"{'wrong per query':>16}"]  # fmt: skip
    indent = " " * len(f"{mode} scores, {group} queries:")
    for level in LEVELS:
        right, wrong = values[f"right>={level}"], values[f"wrong>={level}"]
        lines.append(f"{indent} {level:9.2f} {right:11.3f} {wrong:16.2f}")
    return "\n".join(lines)
