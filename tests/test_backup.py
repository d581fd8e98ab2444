"""Backups taken while the app writes, restored and verified table by table."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.factories import make_claim
from tracker.backup import (
    BackupError,
    backup,
    manifest_path,
    restore,
    table_checks,
    verify,
)
from tracker.database import make_engine, make_sessionmaker
from tracker.models import AuditEvent, Claim


def load_demo(app):
    result = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output


def test_backup_while_writing_then_restore_and_verify(app, database, tmp_path):
    load_demo(app)
    url = app.config["DATABASE_URL"]
    engine = make_engine(url)
    writer_engine = make_engine(url)
    stop = threading.Event()
    written = []

    def keep_writing() -> None:
        session = make_sessionmaker(writer_engine)()
        n = 0
        while not stop.is_set():
            n += 1
            make_claim(session, f"Claim written during the backup, number {n}.")
            session.commit()
            written.append(n)
            time.sleep(0.005)
        session.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        time.sleep(0.2)
        path = tmp_path / "backup.db"
        checks = backup(engine, path)
        time.sleep(0.2)
    finally:
        stop.set()
        writer.join()
    writer_engine.dispose()
    assert len(written) > 5
    backed_up = checks["claims"].rows
    with engine.connect() as connection:
        total_now = connection.execute(select(func.count()).select_from(Claim)).scalar()
    assert 24 <= backed_up < total_now  # a point in time, while writes went on

    # Disaster: the data is damaged; the restore brings back exactly the backup.
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM claim_figure_links"))
        connection.execute(text("UPDATE claims SET text = 'vandalised'"))
    restored = restore(engine, path)
    assert restored["claims"].rows == backed_up
    with engine.connect() as connection:
        assert (
            connection.execute(
                text("SELECT count(*) FROM claims WHERE text = 'vandalised'")
            ).scalar()
            == 0
        )
        assert table_checks(connection)["claims"].sha256 == checks["claims"].sha256
    engine.dispose()


def test_verify_notices_a_difference(app, tmp_path):
    load_demo(app)
    engine = make_engine(app.config["DATABASE_URL"])
    path = tmp_path / "backup.db"
    backup(engine, path)
    with engine.begin() as connection:
        connection.execute(text("UPDATE outlets SET name = name || ' (changed)'"))
    with pytest.raises(BackupError, match="outlets: same row count, different content"):
        verify(engine, path)
    engine.dispose()


def test_backup_refuses_to_overwrite_a_file(app, tmp_path):
    engine = make_engine(app.config["DATABASE_URL"])
    path = tmp_path / "exists.db"
    path.write_text("keep me")
    with pytest.raises(BackupError, match="already exists"):
        backup(engine, path)
    assert path.read_text() == "keep me"
    engine.dispose()


def test_the_commands_back_up_and_restore(app, tmp_path):
    load_demo(app)
    runner = app.test_cli_runner()
    path = tmp_path / "cli-backup.db"
    result = runner.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.output
    result = runner.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert "every table matches the backup" in result.output


def test_restore_without_a_manifest_is_refused(app, tmp_path):
    path = tmp_path / "orphan.db"
    path.write_bytes(b"")
    result = app.test_cli_runner().invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 1
    assert "manifest.json is missing" in result.output


def current_checks(engine):
    with engine.connect() as connection:
        return table_checks(connection)


def forged_backup(app, engine, tmp_path, *, keep_file_hash: bool):
    """The demo's backup file paired with the manifest of a later, different state: what
    a damaged or tampered copy looks like. The database is left in that later state."""
    load_demo(app)
    genuine = tmp_path / "genuine.db"
    backup(engine, genuine)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM claim_figure_links"))
        connection.execute(text("UPDATE claims SET summary_en = 'changed after the backup'"))
    later = tmp_path / "later.db"
    backup(engine, later)
    forged = tmp_path / "forged.db"
    forged.write_bytes(genuine.read_bytes())
    manifest = json.loads(manifest_path(later).read_text())
    if not keep_file_hash:
        del manifest["file_sha256"]  # as in manifests written before the file was hashed
    manifest_path(forged).write_text(json.dumps(manifest))
    return forged


@pytest.mark.parametrize("keep_file_hash", [True, False], ids=["hashed", "older-manifest"])
def test_a_backup_that_does_not_match_its_manifest_changes_nothing(app, tmp_path, keep_file_hash):
    engine = make_engine(app.config["DATABASE_URL"])
    forged = forged_backup(app, engine, tmp_path, keep_file_hash=keep_file_hash)
    before = current_checks(engine)
    with pytest.raises(BackupError, match=r"nothing was changed|put back as it was"):
        restore(engine, forged, safety_path=tmp_path / "safety" / "before.db")
    assert current_checks(engine) == before
    engine.dispose()


def test_the_restore_command_refuses_a_tampered_backup_before_touching_the_database(app, tmp_path):
    load_demo(app)
    engine = make_engine(app.config["DATABASE_URL"])
    path = tmp_path / "backup.db"
    backup(engine, path)
    with path.open("ab") as handle:  # the file was changed after its manifest was written
        handle.write(b"\0")
    before = current_checks(engine)
    result = app.test_cli_runner().invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 1
    assert "not the file its manifest describes" in result.output
    assert current_checks(engine) == before
    engine.dispose()


def test_a_restore_keeps_a_safety_backup_and_is_audited(app, tmp_path):
    load_demo(app)
    engine = make_engine(app.config["DATABASE_URL"])
    path = tmp_path / "backup.db"
    backup(engine, path)
    with engine.begin() as connection:
        connection.execute(text("UPDATE outlets SET name = name || ' (changed)'"))
    before = current_checks(engine)
    result = app.test_cli_runner().invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    [line] = [x for x in result.output.splitlines() if "as it was before is kept in" in x]
    safety = Path(line.rsplit(" ", 1)[1].rstrip("."))
    assert safety.exists()
    saved = json.loads(manifest_path(safety).read_text())["tables"]
    assert saved["outlets"]["sha256"] == before["outlets"].sha256
    manifest_hash = hashlib.sha256(manifest_path(path).read_bytes()).hexdigest()
    with engine.connect() as connection:
        event = connection.execute(select(AuditEvent).where(AuditEvent.action == "restore")).one()
    assert event.detail == f"backup=backup.db manifest_sha256={manifest_hash}"
    engine.dispose()


def test_a_backup_and_its_manifest_are_readable_by_their_owner_only(app, tmp_path):
    # They hold password hashes, drafts and the audit trail's IP addresses; they were 0644.
    engine = make_engine(app.config["DATABASE_URL"])
    path = tmp_path / "new-folder" / "backup.db"
    backup(engine, path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert manifest_path(path).stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    engine.dispose()


def test_a_backup_of_another_schema_revision_is_refused_before_anything_changes(app, tmp_path):
    # pg_restore failed half-way on a newer schema's constraints, naming none of this.
    engine = make_engine(app.config["DATABASE_URL"])
    path = tmp_path / "old.db"
    backup(engine, path)
    manifest = json.loads(manifest_path(path).read_text())
    assert manifest["revision"]  # the schema's migration revision is recorded
    manifest["revision"] = "0014_public_search_inline"
    manifest_path(path).write_text(json.dumps(manifest))
    before = current_checks(engine)
    with pytest.raises(BackupError, match="backup is of schema revision 0014_public_search"):
        restore(engine, path, safety_path=tmp_path / "safety.db")
    assert current_checks(engine) == before and not (tmp_path / "safety.db").exists()
    engine.dispose()


def test_a_database_that_lost_its_tables_takes_a_restore(app, database, tmp_path):
    # Disaster recovery: the safety backup of a database without tables stopped the
    # restore with a traceback, and a backup of it failed the same way.
    load_demo(app)
    engine = make_engine(app.config["DATABASE_URL"])
    path = tmp_path / "backup.db"
    backup(engine, path)
    engine.dispose()
    if database.backend == "sqlite":
        Path(engine.url.database).unlink()
    else:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{database.schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{database.schema}"'))
    with pytest.raises(BackupError, match="no Disinfo Tracker tables yet"):
        backup(engine, tmp_path / "nothing.db")
    checks = restore(engine, path, safety_path=tmp_path / "safety.db")
    assert checks["claims"].rows > 0 and not (tmp_path / "safety.db").exists()
    engine.dispose()
