"""Migrations down and up again, one revision at a time, on a database full of demo data.

Every step is compared with the step before, table by table: the same rows (by primary
key) and the same values in every column both revisions have. Only what a downgrade drops
by design (its own tables and columns) may go. The walk covers whatever revisions exist.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, inspect, select, text

from tests.db_support import create_sqlite
from tests.test_migrations import schema_differences
from tracker.database import make_engine
from tracker.migrate import (
    MigrationError,
    alembic_config,
    current_revision,
    downgrade,
    head_revision,
    upgrade,
)
from tracker.models import Appearance, Base, Snapshot

# The demo must fill the tables that batch mode rebuilds and their children, or a lost row
# could not be noticed.
MUST_HAVE_ROWS = (
    "claims",
    "figures",
    "appearances",
    "verdicts",
    "comments",
    "claim_links",
    "claim_figure_links",
    "snapshots",
)

State = dict[str, dict[str, Any]]


def revision_chain() -> list[str]:
    """Revisions from the first to the head, as the scripts chain them."""
    script = ScriptDirectory.from_config(alembic_config())
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def read_state(engine: Engine) -> State:
    """For every application table: its columns and its rows keyed by primary key."""
    metadata = MetaData()
    with engine.connect() as connection:
        metadata.reflect(connection, only=lambda name, _: name in Base.metadata.tables)
        state: State = {}
        for table in metadata.sorted_tables:
            key = list(table.primary_key.columns) or list(table.columns)
            rows = {}
            for row in connection.execute(select(table)).mappings():
                rows[tuple(row[c.name] for c in key)] = dict(row)
            state[table.name] = {"columns": {c.name for c in table.columns}, "rows": rows}
    return state


def content_hash(rows: dict, columns: set[str]) -> str:
    digest = hashlib.sha256()
    for key in sorted(rows, key=repr):
        values = [rows[key][name] for name in sorted(columns)]
        digest.update(json.dumps([repr(key), values], default=str).encode())
    return digest.hexdigest()


def differences(before: State, after: State, step: str) -> list[str]:
    """What changed in the tables and columns both states have."""
    problems = []
    for name in sorted(before.keys() & after.keys()):
        old, new = before[name], after[name]
        if len(old["rows"]) != len(new["rows"]) or old["rows"].keys() != new["rows"].keys():
            problems.append(f"{step}: {name}: {len(old['rows'])} rows -> {len(new['rows'])}")
            continue
        shared = old["columns"] & new["columns"]
        if content_hash(old["rows"], shared) != content_hash(new["rows"], shared):
            changed = sorted(
                column
                for column in shared
                for key in old["rows"]
                if old["rows"][key][column] != new["rows"][key][column]
            )
            problems.append(f"{step}: {name}: values changed in {sorted(set(changed))}")
    return problems


def add_a_snapshot(db) -> None:
    """The demo captures no pages; one archived page, on an appearance, covers that table."""
    appearance = db.scalars(select(Appearance).order_by(Appearance.id)).first()
    appearance.snapshot = Snapshot(
        original_url=appearance.url,
        http_status=200,
        title="Archived page",
        text="The archived text.",
        raw_compressed=b"\x00compressed",
        raw_size=12,
    )
    db.commit()


def test_each_revision_down_and_up_keeps_the_demo_data(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    add_a_snapshot(db)
    db.close()
    chain = revision_chain()
    assert chain[-1] == head_revision()
    engine = make_engine(app.config["DATABASE_URL"])
    try:
        state = read_state(engine)
        empty = [name for name in MUST_HAVE_ROWS if not state[name]["rows"]]
        assert empty == []
        problems: list[str] = []
        # Down to the first revision (below it there are no tables), then back up.
        steps = [*reversed(chain[:-1]), *chain[1:]]
        for target in steps:
            was = current_revision(engine)
            if chain.index(target) < chain.index(was):
                downgrade(engine, target)
            else:
                upgrade(engine, target)
            assert current_revision(engine) == target
            now = read_state(engine)
            problems += differences(state, now, f"{was} -> {target}")
            state = now
        assert problems == []
        assert schema_differences(engine) == []
    finally:
        engine.dispose()


def test_a_migration_that_would_orphan_rows_changes_nothing(tmp_path):
    # SQLite only: PostgreSQL keeps enforcing foreign keys while it migrates.
    engine = make_engine(create_sqlite(tmp_path).url)
    chain = revision_chain()
    try:
        downgrade(engine, chain[-2])
        schema_before = columns_by_table(engine)
        with engine.connect() as connection:
            # An orphan left by some earlier accident: the check must notice it.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.execute(
                text("INSERT INTO claim_narratives (claim_id, narrative_id) VALUES (999, 999)")
            )
            connection.commit()
        with pytest.raises(MigrationError, match="claim_narratives"):
            upgrade(engine)
        assert current_revision(engine) == chain[-2]
        assert columns_by_table(engine) == schema_before  # the DDL was rolled back too
    finally:
        engine.dispose()


def columns_by_table(engine: Engine) -> dict[str, list[str]]:
    inspector = inspect(engine)
    return {
        name: [c["name"] for c in inspector.get_columns(name)]
        for name in inspector.get_table_names()
    }
