"""Backups and restores, each checked table by table (row count and content hash).

SQLite uses its online backup API (a consistent copy while the app keeps writing);
PostgreSQL uses pg_dump/pg_restore, with the check computed inside the very snapshot that
pg_dump reads. Next to every backup file, `<file>.manifest.json` keeps the check and the
sha256 of the file itself, and the schema's migration revision: a backup is restored only
into a database at the same revision (or one without our tables yet). Backups hold password
hashes, drafts and the IP addresses of the audit trail, so only their owner may read them.

A restore checks the backup file against its manifest before it touches anything, takes a
safety backup of the database as it is, replaces it, verifies every table, and puts the
safety backup back if the result does not match. A completed restore is audited.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from tracker.models import Base, utcnow


class BackupError(RuntimeError):
    """A backup or restore that did not complete or did not verify."""


@dataclass
class TableCheck:
    rows: int
    sha256: str


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _tables(connection: Connection) -> list[Table]:
    """The application's tables (search indexes are derived data and are left out)."""
    reflected = MetaData()
    reflected.reflect(connection, only=[t.name for t in Base.metadata.sorted_tables])
    return [
        reflected.tables[t.name] for t in Base.metadata.sorted_tables if t.name in reflected.tables
    ]


def table_checks(connection: Connection) -> dict[str, TableCheck]:
    """Row count and a hash of every row (in primary-key order) for each table."""
    checks = {}
    for table in _tables(connection):
        digest = hashlib.sha256()
        rows = 0
        order = list(table.primary_key.columns) or list(table.columns)
        for row in connection.execute(select(table).order_by(*order)).yield_per(5000):
            digest.update(
                json.dumps([_canonical(v) for v in row], default=str, ensure_ascii=False).encode()
            )
            digest.update(b"\n")
            rows += 1
        checks[table.name] = TableCheck(rows, digest.hexdigest())
    return checks


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _write_manifest(
    path: Path, backend: str, checks: dict[str, TableCheck], revision: str | None
) -> None:
    manifest = {
        "created_at": utcnow().isoformat(),
        "backend": backend,
        "revision": revision,
        "file_sha256": file_sha256(path),
        "tables": {name: {"rows": c.rows, "sha256": c.sha256} for name, c in checks.items()},
    }
    target = manifest_path(path)
    _private_file(target)
    target.write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def _private_file(path: Path) -> None:
    """Create PATH empty, readable and writable by its owner only (0600), before anything
    is written into it: a backup written first and locked after was world-readable for a
    while, and in a 0755 folder for good."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _revision(engine: Engine) -> str | None:
    from tracker.migrate import current_revision

    return current_revision(engine)


def _has_our_tables(engine: Engine) -> bool:
    from sqlalchemy import inspect

    return "claims" in inspect(engine).get_table_names()


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        return json.loads(manifest_path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(
            f"{manifest_path(path)} is missing; the backup cannot be checked."
        ) from exc


def _differences(expected: dict[str, Any], actual: dict[str, TableCheck]) -> list[str]:
    problems = []
    for name, want in expected.items():
        got = actual.get(name)
        if got is None:
            problems.append(f"{name}: missing")
        elif got.rows != want["rows"]:
            problems.append(f"{name}: {got.rows} rows, expected {want['rows']}")
        elif got.sha256 != want["sha256"]:
            problems.append(f"{name}: same row count, different content")
    return problems


def verify(engine: Engine, path: Path) -> dict[str, TableCheck]:
    """Compare the database with a backup's manifest; raise BackupError on any difference."""
    expected = read_manifest(path)["tables"]
    with engine.connect() as connection:
        actual = table_checks(connection)
    problems = _differences(expected, actual)
    if problems:
        raise BackupError("The restored database does not match the backup: " + "; ".join(problems))
    return actual


def check_backup_file(path: Path, manifest: dict[str, Any]) -> None:
    """Refuse a backup file that is not the one its manifest describes, before any change.

    The file's sha256 is compared when the manifest has it (backups from this version on);
    a SQLite backup is also opened read-only and checked table by table.
    """
    want = manifest.get("file_sha256")
    if want is not None and file_sha256(path) != want:
        raise BackupError(
            f"{path} is not the file its manifest describes (different sha256); "
            "nothing was changed."
        )
    if manifest["backend"] != "sqlite":
        return
    copy = _read_only_sqlite(path)
    try:
        with copy.connect() as connection:
            problems = _differences(manifest["tables"], table_checks(connection))
    except DBAPIError as exc:
        raise BackupError(f"{path} cannot be read as a SQLite database: {exc.orig}") from exc
    finally:
        copy.dispose()
    if problems:
        raise BackupError(
            f"{path} does not match its manifest ({'; '.join(problems)}); nothing was changed."
        )


# --- SQLite --------------------------------------------------------------------------------


def _sqlite_file(engine: Engine) -> str:
    database = make_url(engine.url).database
    if not database or database == ":memory:":
        raise BackupError("Only file-based SQLite databases can be backed up.")
    return database


def _backup_sqlite(engine: Engine, path: Path) -> dict[str, TableCheck]:
    source = sqlite3.connect(_sqlite_file(engine))
    target = sqlite3.connect(path)
    try:
        # One step (pages=-1): a consistent copy even while other connections write (WAL).
        source.backup(target, pages=-1)
    finally:
        target.close()
        source.close()
    from tracker.database import make_engine

    copy = make_engine(f"sqlite:///{path}")
    try:
        with copy.connect() as connection:
            return table_checks(connection)
    finally:
        copy.dispose()


def _read_only_uri(path: Path) -> str:
    # immutable: no journal or lock files, and nothing can write to the backup while reading.
    return path.resolve().as_uri() + "?mode=ro&immutable=1"


def _read_only_sqlite(path: Path) -> Engine:
    uri = _read_only_uri(path)
    return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))


def _restore_sqlite(engine: Engine, path: Path) -> None:
    engine.dispose()
    source = sqlite3.connect(_read_only_uri(path), uri=True)
    target = sqlite3.connect(_sqlite_file(engine))
    try:
        source.backup(target, pages=-1)
    finally:
        target.close()
        source.close()


# --- PostgreSQL ----------------------------------------------------------------------------


def _pg_environment(engine: Engine) -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore (the password goes in the environment)."""
    url = make_url(engine.url)
    args = []
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    options = url.query.get("options")
    if options:
        env["PGOPTIONS"] = options if isinstance(options, str) else " ".join(options)
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client tools.")
    return found


def _backup_postgresql(engine: Engine, path: Path) -> dict[str, TableCheck]:
    args, env = _pg_environment(engine)
    database = make_url(engine.url).database or ""
    # Hash the data in the same snapshot that pg_dump will read.
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
        snapshot = connection.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        schema = connection.execute(text("SELECT current_schema()")).scalar_one()
        command = [
            _tool("pg_dump"),
            *args,
            "--format=custom",
            "--no-owner",
            f"--snapshot={snapshot}",
            f"--schema={schema}",
            f"--file={path}",
            database,
        ]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
        checks = table_checks(connection)
        connection.rollback()
    return checks


def _restore_postgresql(engine: Engine, path: Path) -> None:
    args, env = _pg_environment(engine)
    database = make_url(engine.url).database or ""
    engine.dispose()
    command = [
        _tool("pg_restore"),
        *args,
        "--clean",
        "--if-exists",
        "--no-owner",
        "--single-transaction",
        f"--dbname={database}",
        str(path),
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")


# --- entry points --------------------------------------------------------------------------


def backup(engine: Engine, path: Path) -> dict[str, TableCheck]:
    """Write a consistent backup to `path` and its manifest beside it."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if path.exists():
        raise BackupError(f"{path} already exists; choose a new file name.")
    backend = engine.dialect.name
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups of {backend} databases are not supported.")
    if not _has_our_tables(engine):
        raise BackupError("The database has no Disinfo Tracker tables yet: nothing to back up.")
    _private_file(path)
    try:
        checks = (_backup_sqlite if backend == "sqlite" else _backup_postgresql)(engine, path)
        _write_manifest(path, backend, checks, _revision(engine))
    except BaseException:
        path.unlink(missing_ok=True)
        manifest_path(path).unlink(missing_ok=True)
        raise
    return checks


def safety_backup_path(folder: Path, backend: str) -> Path:
    """Where the database as it was goes before a restore: a new, dated file in `folder`."""
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%fZ")
    return Path(folder) / f"before-restore-{stamp}.{'db' if backend == 'sqlite' else 'dump'}"


def _replace(engine: Engine, path: Path) -> None:
    if engine.dialect.name == "sqlite":
        _restore_sqlite(engine, path)
    else:
        _restore_postgresql(engine, path)


def restore(
    engine: Engine, path: Path, *, safety_path: Path | None = None
) -> dict[str, TableCheck]:
    """Replace the database's contents with the backup at `path`, then verify them.

    Nothing is changed unless the backup file matches its manifest. The database as it was
    is first saved to `safety_path` (by default beside the backup); if the restored tables
    do not match the manifest, it is put back and BackupError says so.
    """
    path = Path(path)
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    manifest = read_manifest(path)
    backend = engine.dialect.name
    if manifest["backend"] != backend:
        raise BackupError(f"This is a {manifest['backend']} backup; the database is {backend}.")
    check_backup_file(path, manifest)
    fresh = not _has_our_tables(engine)
    _check_revision(manifest, None if fresh else _revision(engine))
    safety_path = Path(safety_path or safety_backup_path(path.parent, backend))
    if not fresh:  # a database without our tables has nothing to keep
        backup(engine, safety_path)
    _replace(engine, path)
    try:
        checks = verify(engine, path)
    except BackupError as exc:
        if fresh:
            raise
        _replace(engine, safety_path)
        verify(engine, safety_path)
        raise BackupError(
            f"{exc}. The database was put back as it was, from the safety backup {safety_path}."
        ) from exc
    _record_restore(engine, path)
    return checks


def _check_revision(manifest: dict[str, Any], current: str | None) -> None:
    """Refuse a backup of another schema revision: pg_restore failed half-way on the
    constraints of a newer schema. (Older manifests name no revision; a database without
    our tables takes any backup.)"""
    made_at = manifest.get("revision")
    if made_at is None or current is None or made_at == current:
        return
    raise BackupError(
        f"This backup is of schema revision {made_at}; the database is at {current}. "
        f"Restore it into a database at {made_at} (`alembic downgrade {made_at}` or "
        "`alembic upgrade` as needed; a new, empty database takes it too), then upgrade."
    )


def _record_restore(engine: Engine, path: Path) -> None:
    """The audit trail shows the restore: which backup, and the hash of its manifest."""
    from tracker.audit import SYSTEM, record_event
    from tracker.database import session_scope

    manifest_hash = file_sha256(manifest_path(path))
    with session_scope(engine) as session:
        record_event(
            session,
            "restore",
            "database",
            None,
            by=SYSTEM,
            after={"backup": path.name, "manifest_sha256": manifest_hash},
            detail=f"backup={path.name} manifest_sha256={manifest_hash}",
        )
