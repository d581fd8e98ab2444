"""Import into a real database and print the numbers: EUvsDisinfo (twice), the 32 real
ClaimReview items, and a full-dump round trip.

Run: python bench/bench_interop_import.py [--database-url postgresql+psycopg://...]
Without --database-url a temporary SQLite file is used; with a PostgreSQL URL a schema of
its own is created and dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from tracker.audit import Actor
from tracker.database import make_engine, make_sessionmaker
from tracker.interop.export_dump import export_dump
from tracker.interop.exporter import ExportFilters
from tracker.interop.importer import ImportOptions
from tracker.interop.imports import ImportSpec, run_import
from tracker.migrate import upgrade
from tracker.models import Role, User

SHARED = Path(
    os.environ.get("TRACKER_SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)


def _database(url: str | None, folder: Path, name: str) -> tuple[str, str | None]:
    if url is None:
        return f"sqlite:///{folder / name}.sqlite3", None
    schema = f"bench_interop_{uuid.uuid4().hex[:8]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    target = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return target.render_as_string(hide_password=False), schema


def _drop(url: str | None, schema: str | None) -> None:
    if url is None or schema is None:
        return
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _session(url: str) -> tuple[Session, User]:
    engine = make_engine(url)
    upgrade(engine)
    session = make_sessionmaker(engine)()
    user = User(email="bench@example.org", name="Bench", password_hash="!", role=Role.EDITOR)  # noqa: S106 - no login
    session.add(user)
    session.commit()
    return session, user


def _import(session: Session, user: User, label: str, spec: ImportSpec) -> None:
    started = time.perf_counter()
    result = run_import(session, spec, by=Actor(user))
    seconds = time.perf_counter() - started
    print(
        f"{label:32} {seconds:6.1f} s  read {result.read:>6,}  new {result.imported:>6,}  "
        f"added-to {result.updated:>4,}  unchanged {result.unchanged:>6,}  "
        f"rejected {result.rejected:>4,}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    backend = make_url(args.database_url).get_backend_name() if args.database_url else "sqlite"
    print(f"backend: {backend}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url, schema = _database(args.database_url, folder, "first")
        try:
            session, user = _session(url)
            cases = ImportSpec(
                "jsonl",
                SHARED / "euvsdisinfo" / "cases.jsonl",
                mapping="euvsdisinfo",
                report=folder / "rejected.jsonl",
                options=ImportOptions(),
            )
            _import(session, user, "EUvsDisinfo, first run", cases)
            _import(session, user, "EUvsDisinfo, second run", cases)
            reviews = ImportSpec("claimreview", SHARED / "claimreview")
            _import(session, user, "ClaimReview folder (32 x 2)", reviews)
            dump = folder / "dump.jsonl"
            started = time.perf_counter()
            with dump.open("w", encoding="utf-8") as stream:
                counts = export_dump(session, stream, ExportFilters())
            print(
                f"{'full dump export':32} {time.perf_counter() - started:6.1f} s  "
                f"{sum(counts.values()):,} records, {dump.stat().st_size / 1e6:.1f} MB"
            )
            session.close()
        finally:
            _drop(args.database_url, schema)
        url, schema = _database(args.database_url, folder, "second")
        try:
            session, user = _session(url)
            _import(session, user, "full dump into an empty database", ImportSpec("jsonl", dump))
            session.close()
        finally:
            _drop(args.database_url, schema)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
