"""Imports and exports: search indexing, deleted claims, bad dump lines, report files."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from tests.factories import make_claim, make_user
from tests.interop_db_support import run
from tracker.audit import Actor
from tracker.interop.exporter import ExportFilters, export_rows
from tracker.models import Claim, Role
from tracker.search import search_ids
from tracker.services import claims as claim_service


@pytest.fixture
def editor(db):
    user = make_user(db, Role.EDITOR)
    db.commit()
    return user


def _rows(tmp_path, *rows, name="rows.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_imported_claims_are_found_by_search(db, editor, tmp_path):
    path = _rows(tmp_path, {"claim_text": "Zaporizhzhia reactor sabotaged by saboteurs"})
    run(db, "jsonl", path, editor, mapping="generic")
    claim_id = db.scalar(select(Claim.id))
    assert [hit.doc_id for hit in search_ids(db, "claim", "Zaporizhzhia reactor")] == [claim_id]


def test_an_appearance_added_by_a_second_import_is_indexed_with_its_outlet(db, editor, tmp_path):
    first = {"claim_text": "A claim", "external_id": "c-1", "source_url": "https://a.example/1"}
    run(db, "jsonl", _rows(tmp_path, first), editor, mapping="generic")
    again = {**first, "source_url": "https://b.example/2", "outlet": "Borealis Gazette"}
    run(db, "jsonl", _rows(tmp_path, again, name="b.jsonl"), editor, mapping="generic")
    claim_id = db.scalar(select(Claim.id))
    assert [hit.doc_id for hit in search_ids(db, "claim", "Borealis")] == [claim_id]


def test_a_deleted_claim_is_left_alone_by_a_re_import(db, editor, tmp_path):
    row = {"claim_text": "Gone claim", "external_id": "g-1", "source_url": "https://a.example/1"}
    run(db, "jsonl", _rows(tmp_path, row), editor, mapping="generic")
    claim = db.scalar(select(Claim))
    claim_service.soft_delete(db, claim, by=Actor(editor))
    db.commit()
    again = {**row, "source_url": "https://b.example/2"}
    result = run(db, "jsonl", _rows(tmp_path, again, name="b.jsonl"), editor, mapping="generic")
    assert (result.imported, result.unchanged) == (0, 1)
    assert len(db.scalar(select(Claim)).appearances) == 1


def test_deleted_claims_are_not_exported(db, editor, tmp_path):
    kept = make_claim(db, "Kept")
    gone = make_claim(db, "Gone")
    claim_service.soft_delete(db, gone, by=Actor(editor))
    db.commit()
    out = tmp_path / "out.jsonl"
    with out.open("w", encoding="utf-8") as stream:
        assert export_rows(db, stream, "jsonl", ExportFilters()) == 1
    assert json.loads(out.read_text(encoding="utf-8"))["id"] == kept.id


def test_bad_lines_of_a_dump_are_rejected_with_line_and_reason(db, editor, tmp_path):
    path = tmp_path / "dump.jsonl"
    good = {"format": "disinfo-tracker/claim", "version": 1, "id": "x:1", "text": "Fine"}
    path.write_text(
        "\n".join(
            [
                json.dumps(good),
                json.dumps({**good, "id": "x:2", "status": "lost"}),
                json.dumps({"format": "disinfo-tracker/gadget", "version": 1, "id": "g"}),
                json.dumps(good),
                "{broken",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    report = tmp_path / "report.jsonl"
    result = run(db, "jsonl", path, editor, report=report)
    assert (result.imported, result.rejected) == (1, 4)
    reasons = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert [(r["line"], r["reason"].split(":")[0]) for r in reasons] == [
        (2, "invalid record"),
        (3, "invalid record"),
        (4, "duplicate of line 1 (same claim id)"),
        (5, "malformed JSON"),
    ]


def test_a_csv_report_is_a_spreadsheet_with_line_and_reason(db, editor, tmp_path):
    path = _rows(tmp_path, {"claim_text": ""}, {"claim_text": "ok"})
    report = tmp_path / "report.csv"
    run(db, "jsonl", path, editor, mapping="generic", report=report)
    lines = report.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "line,origin,reason,record"
    assert lines[1].startswith("1,,empty required field claim_text")


def test_an_old_report_is_removed_when_nothing_is_rejected(db, editor, tmp_path):
    report = tmp_path / "report.jsonl"
    run(db, "jsonl", _rows(tmp_path, {"claim_text": ""}), editor, mapping="generic", report=report)
    assert report.exists()
    run(
        db, "jsonl", _rows(tmp_path, {"claim_text": "ok"}), editor, mapping="generic", report=report
    )
    assert not report.exists()
