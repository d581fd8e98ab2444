"""Backups and restores, each checked table by table (row count and content hash).

SQLite uses its online backup API (a consistent copy while the app keeps writing);
PostgreSQL uses pg_dump/pg_restore, with the check computed inside the very snapshot that
pg_dump reads. Next to every backup file, `<file>.manifest.json` keeps the check.
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

from sqlalchemy import Connection, Engine, MetaData, Table, select, text
from sqlalchemy.engine import make_url

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


def _write_manifest(path: Path, backend: str, checks: dict[str, TableCheck]) -> None:
    manifest = {
        "created_at": utcnow().isoformat(),
        "backend": backend,
        "tables": {name: {"rows": c.rows, "sha256": c.sha256} for name, c in checks.items()},
    }
    manifest_path(path).write_text(json.dumps(manifest, indent=2), encoding="utf-8")


def read_manifest(path: Path) -> dict[str, Any]:
    try:
        return json.loads(manifest_path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(
            f"{manifest_path(path)} is missing; the backup cannot be checked."
        ) from exc


def verify(engine: Engine, path: Path) -> dict[str, TableCheck]:
    """Compare the database with a backup's manifest; raise BackupError on any difference."""
    expected = read_manifest(path)["tables"]
    with engine.connect() as connection:
        actual = table_checks(connection)
    problems = []
    for name, want in expected.items():
        got = actual.get(name)
        if got is None:
            problems.append(f"{name}: missing")
        elif got.rows != want["rows"]:
            problems.append(f"{name}: {got.rows} rows, expected {want['rows']}")
        elif got.sha256 != want["sha256"]:
            problems.append(f"{name}: same row count, different content")
    if problems:
        raise BackupError("The restored database does not match the backup: " + "; ".join(problems))
    return actual


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


def _restore_sqlite(engine: Engine, path: Path) -> None:
    engine.dispose()
    source = sqlite3.connect(path)
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
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        raise BackupError(f"{path} already exists; choose a new file name.")
    backend = engine.dialect.name
    if backend == "sqlite":
        checks = _backup_sqlite(engine, path)
    elif backend == "postgresql":
        checks = _backup_postgresql(engine, path)
    else:
        raise BackupError(f"Backups of {backend} databases are not supported.")
    _write_manifest(path, backend, checks)
    return checks


def restore(engine: Engine, path: Path) -> dict[str, TableCheck]:
    """Replace the database's contents with the backup at `path`, then verify them."""
    path = Path(path)
    if not path.exists():
        raise BackupError(f"{path} does not exist.")
    manifest = read_manifest(path)
    backend = engine.dialect.name
    if manifest["backend"] != backend:
        raise BackupError(f"This is a {manifest['backend']} backup; the database is {backend}.")
    if backend == "sqlite":
        _restore_sqlite(engine, path)
    else:
        _restore_postgresql(engine, path)
    return verify(engine, path)
