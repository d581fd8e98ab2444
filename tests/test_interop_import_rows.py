"""CSV and JSONL rows into claims: matching, idempotency, bad input, resuming, statuses."""

from __future__ import annotations

import csv
import json

import pytest
from sqlalchemy import func, select

from tests.factories import make_user
from tests.interop_db_support import run
from tests.interop_support import EUVSDISINFO
from tests.interop_support import require as require_data
from tracker.interop.import_rows import RowHandler
from tracker.models import (
    Appearance,
    Article,
    Claim,
    ClaimArticleLink,
    ClaimStatus,
    Narrative,
    Outlet,
    Rating,
    Role,
)

HEADER = ["claim_text", "language", "source_url", "appearance_date", "outlet", "outlet_domain",
          "narratives", "countries", "verdict", "rationale", "debunk_url"]  # fmt: skip


def _row(n: int, **changes: str) -> dict[str, str]:
    row = {
        "claim_text": f"Claim number {n} about the war",
        "language": "en",
        "source_url": f"https://news.example.ru/story/{n}",
        "appearance_date": "2024-03-01",
        "outlet": "Example News",
        "outlet_domain": "news.example.ru",
        "narratives": "Ukraine recruits mercenaries",
        "countries": "UA; Russia",
        "verdict": "false",
        "rationale": "There is no evidence.",
        "debunk_url": f"https://checks.example.org/{n}",
    }
    row.update(changes)
    return row


def _csv(tmp_path, rows, header=HEADER, encoding="utf-8", name="claims.csv"):
    path = tmp_path / name
    with path.open("w", encoding=encoding, newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def _report(path) -> list[tuple[int, str]]:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return [(line["line"], line["reason"]) for line in lines]


@pytest.fixture
def editor(db):
    user = make_user(db, Role.EDITOR)
    db.commit()
    return user


def test_a_row_becomes_a_claim_with_appearance_outlet_narrative_countries_and_debunk(
    db, editor, tmp_path
):
    run(db, "csv", _csv(tmp_path, [_row(1)]), editor)
    claim = db.scalar(select(Claim))
    (appearance,) = claim.appearances
    assert (claim.rating, claim.status, claim.first_seen.isoformat()) == (
        Rating.FALSE,
        ClaimStatus.DRAFT,
        "2024-03-01",
    )
    assert appearance.outlet.name == "Example News"
    assert appearance.outlet.domains == ["news.example.ru"]
    assert [n.name for n in claim.narratives] == ["Ukraine recruits mercenaries"]
    assert sorted(c.code for c in claim.countries) == ["RU", "UA"]
    assert db.scalar(select(Article.url)) == "https://checks.example.org/1"


def test_a_second_run_changes_nothing(db, editor, tmp_path):
    path = _csv(tmp_path, [_row(1), _row(2)])
    run(db, "csv", path, editor)
    second = run(db, "csv", path, editor)
    assert (second.imported, second.updated, second.unchanged) == (0, 0, 2)
    assert (_count(db, Claim), _count(db, Appearance), _count(db, Outlet)) == (2, 2, 1)


def test_a_known_claim_seen_at_a_new_url_gets_a_new_appearance(db, editor, tmp_path):
    run(
        db, "csv", _csv(tmp_path, [_row(1, external_id="case-1")], [*HEADER, "external_id"]), editor
    )
    again = _row(1, external_id="case-1", source_url="https://mirror.example.com/1")
    result = run(db, "csv", _csv(tmp_path, [again], [*HEADER, "external_id"], name="b.csv"), editor)
    assert (result.imported, result.updated) == (0, 1)
    assert _count(db, Claim) == 1
    assert _count(db, Appearance) == 2


def test_a_case_republished_in_another_outlet_in_the_same_file_is_another_appearance(
    db, editor, tmp_path
):
    header = [*HEADER, "external_id"]
    first = _row(1, external_id="case-1")
    elsewhere = _row(
        1,
        external_id="case-1",
        source_url="https://ria.example.ru/7",
        outlet="RIA",
        outlet_domain="ria.example.ru",
    )
    report = tmp_path / "report.jsonl"
    result = run(db, "csv", _csv(tmp_path, [first, elsewhere], header), editor, report=report)
    assert (result.imported, result.updated, result.rejected) == (1, 1, 0)
    (claim,) = db.scalars(select(Claim))
    found = {(a.url, a.outlet.name) for a in claim.appearances}
    assert ("https://ria.example.ru/7", "RIA") in found


def test_the_same_claim_at_the_same_url_named_by_another_debunk_gets_the_link(db, editor, tmp_path):
    rows = [_row(1), _row(1, debunk_url="https://other-checks.example.org/1")]
    result = run(db, "csv", _csv(tmp_path, rows), editor)
    assert (result.imported, result.updated, result.rejected) == (1, 1, 0)
    urls = db.scalars(select(Article.url).join(ClaimArticleLink).order_by(Article.url)).all()
    assert urls == [
        "https://checks.example.org/1",
        "https://other-checks.example.org/1",
    ]


def test_a_row_repeating_an_earlier_row_in_every_field_is_a_rejected_duplicate(
    db, editor, tmp_path
):
    report = tmp_path / "report.jsonl"
    result = run(db, "csv", _csv(tmp_path, [_row(1), _row(2), _row(1)]), editor, report=report)
    assert (result.imported, result.rejected) == (2, 1)
    assert _report(report) == [
        (4, "duplicate of line 2 (same source URL and claim text and every other field)")
    ]


def test_status_is_the_one_chosen(db, editor, tmp_path):
    run(db, "csv", _csv(tmp_path, [_row(1)]), editor, status=ClaimStatus.IN_REVIEW)
    assert db.scalar(select(Claim.status)) == ClaimStatus.IN_REVIEW


def test_published_rows_need_a_verdict(db, editor, tmp_path):
    path = _csv(tmp_path, [_row(1), _row(2, verdict="")])
    report = tmp_path / "report.jsonl"
    result = run(db, "csv", path, editor, status=ClaimStatus.PUBLISHED, report=report)
    assert (result.imported, result.rejected) == (1, 1)
    assert _report(report)[0][0] == 3
    assert "needs a verdict and a rationale" in _report(report)[0][1]


def test_bad_rows_are_reported_with_line_and_reason_and_the_rest_imports(db, editor, tmp_path):
    rows = [
        _row(1),
        _row(2, source_url="not a url"),
        _row(3, appearance_date="2024-13-45"),
        _row(1),
        _row(4, appearance_date="2999-01-01"),
        _row(5),
    ]
    report = tmp_path / "report.jsonl"
    result = run(db, "csv", _csv(tmp_path, rows), editor, report=report)
    assert (result.imported, result.rejected) == (2, 4)
    found = _report(report)
    assert [line for line, _ in found] == [3, 4, 5, 6]
    assert "invalid URL" in found[0][1]
    assert "invalid date" in found[1][1]
    assert "duplicate of line 2" in found[2][1]
    assert "in the future" in found[3][1]


def test_missing_columns_reject_the_file_naming_them(db, editor, tmp_path):
    path = _csv(tmp_path, [{"title": "x"}], header=["title"])
    report = tmp_path / "report.jsonl"
    result = run(db, "csv", path, editor, report=report)
    assert result.rejected == 1
    assert _report(report) == [(1, "missing required columns: claim_text")]


def test_wrong_encoding_is_reported_and_the_right_one_reads(db, editor, tmp_path):
    path = _csv(tmp_path, [_row(1, claim_text="Взрывы в Виннице")], encoding="cp1251")
    report = tmp_path / "report.jsonl"
    wrong = run(db, "csv", path, editor, report=report)
    assert wrong.rejected == 1
    assert "not valid UTF-8" in _report(report)[0][1]
    right = run(db, "csv", path, editor, encoding="cp1251")
    assert (right.imported, db.scalar(select(Claim.text))) == (1, "Взрывы в Виннице")


def test_keywords_become_narratives_unless_turned_off(db, editor, tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text(json.dumps({"claim_text": "A", "keywords": "NATO; Crimea"}) + "\n")
    run(db, "jsonl", path, editor, mapping="generic", keywords_as_narratives=False)
    assert _count(db, Narrative) == 0
    path.write_text(json.dumps({"claim_text": "B", "keywords": "NATO; Crimea"}) + "\n")
    run(db, "jsonl", path, editor, mapping="generic")
    assert sorted(db.scalars(select(Narrative.name))) == ["Crimea", "NATO"]


def test_regions_that_are_not_countries_are_noted_not_guessed(db, editor, tmp_path):
    result = run(db, "csv", _csv(tmp_path, [_row(1, countries="EU; Ukraine")]), editor)
    assert [c.code for c in db.scalar(select(Claim)).countries] == ["UA"]
    assert result.notes["not a country, left out: EU"] == 1


def test_an_unknown_language_is_noted_not_dropped_in_silence(db, editor, tmp_path):
    result = run(db, "csv", _csv(tmp_path, [_row(1, language="xx")]), editor)
    note = "language (column 'language'): unknown language 'xx': not taken"
    assert result.notes[note] == 1
    assert f"  note: {note} (x1)" in result.summary_lines()


def test_an_interrupted_import_resumes_where_it_stopped(db, editor, tmp_path, monkeypatch):
    path = _csv(tmp_path, [_row(n) for n in range(1, 8)])
    original = RowHandler.handle
    calls = {"n": 0}

    def flaky(self, record):
        calls["n"] += 1
        if calls["n"] == 5:
            raise KeyboardInterrupt
        return original(self, record)

    monkeypatch.setattr(RowHandler, "handle", flaky)
    with pytest.raises(KeyboardInterrupt):
        run(db, "csv", path, editor, batch_size=2)
    db.rollback()
    assert _count(db, Claim) == 4  # two committed batches of two
    monkeypatch.setattr(RowHandler, "handle", original)
    resumed = run(db, "csv", path, editor, batch_size=2)
    assert (resumed.unchanged, resumed.imported) == (4, 3)
    assert _count(db, Claim) == 7


def test_a_record_a_service_refuses_half_way_leaves_nothing_behind(db, editor, tmp_path):
    # The debunk URL passes the reader but not the article service (over 2,048
    # characters), which refuses it after the claim and its new outlet were written.
    long_url = "https://checks.example.org/" + "a" * 2100
    rows = [_row(1), _row(2, outlet="Only here", outlet_domain="only.example", debunk_url=long_url)]
    report = tmp_path / "report.jsonl"
    result = run(db, "csv", _csv(tmp_path, rows), editor, report=report)
    assert (result.imported, result.rejected) == (1, 1)
    ((line, reason),) = _report(report)
    assert (line, "2,048" in reason) == (3, True)
    assert _count(db, Claim) == 1
    assert db.scalar(select(Outlet).where(Outlet.name == "Only here")) is None


def test_whole_euvsdisinfo_sample_imports_and_a_second_run_adds_nothing(db, editor, tmp_path):
    # How long it takes is measured by bench/bench_interop_import.py, not here: its 60 s limit
    # failed on PostgreSQL with other tests running on both cores (alone it took 33 s).
    cases = require_data(EUVSDISINFO)
    first = run(db, "jsonl", cases, editor, mapping="euvsdisinfo", report=tmp_path / "r.jsonl")
    assert first.read == 3130
    assert first.imported + first.updated + first.unchanged + first.rejected == first.read
    # Only lines that repeat an earlier line exactly are refused.
    lines = cases.read_text(encoding="utf-8").splitlines()
    for line, reason in _report(tmp_path / "r.jsonl"):
        earlier = int(reason.removeprefix("duplicate of line ").split(" ")[0])
        assert json.loads(lines[line - 1]) == json.loads(lines[earlier - 1])
    # Line 77: case 74 re-published by ria.ru, the same external id at another URL.
    ria = "https://ria.ru/syria/20170907/1502010574.html"
    assert db.scalar(select(Appearance.claim_id).where(Appearance.url == ria)) is not None
    claims = _count(db, Claim)
    second = run(db, "jsonl", cases, editor, mapping="euvsdisinfo")
    assert (second.imported, second.updated, second.rejected) == (0, 0, first.rejected)
    assert _count(db, Claim) == claims == first.imported


def test_a_euvsdisinfo_report_becomes_a_debunk_titled_as_euvsdisinfo_titles_it(
    db, editor, tmp_path
):
    # Titled with the bare claim, /check listed "US wants to destroy Russia" as a fact-check.
    case = {
        "title": "US wants to destroy Russia",
        "summary": "The US plans to destroy Russia.",
        "disproof": "No evidence is given for this recurring claim.",
        "source": "https://ria.example/news/1",
        "euvsdisinfo_report_url": "https://euvsdisinfo.eu/report/us-wants-to-destroy-russia/",
        "date_iso": "2017-10-03",
    }
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(case) + "\n", encoding="utf-8")
    run(db, "jsonl", path, editor, mapping="euvsdisinfo")
    article = db.scalar(select(Article))
    assert article.title == "DISINFO: US wants to destroy Russia"
    assert article.claim_statement == "US wants to destroy Russia"
    assert article.text == "No evidence is given for this recurring claim."


def test_a_time_code_in_an_outlet_name_does_not_make_another_outlet(db, editor, tmp_path):
    # 687 of the EUvsDisinfo cases' 1,524 outlet names carry where in the programme it was.
    names = ["Vremya pokazhet @Pervyi kanal, 21:55",
             "Vremya pokazhet @ Pervyi kanal (time: 1:48:13 and onwards)",
             "Vremya pokazhet @Pervyi kanal"]  # fmt: skip
    rows = [_row(n, outlet=name, outlet_domain="") for n, name in enumerate(names, start=1)]
    run(db, "csv", _csv(tmp_path, rows), editor)
    assert db.scalars(select(Outlet.name)).all() == ["Vremya pokazhet @Pervyi kanal"]


def test_notes_beyond_those_shown_are_counted_not_dropped_unsaid():
    from collections import Counter

    from tracker.interop.importer import SHOWN_NOTES, ImportResult

    notes = Counter({f"unknown language 'x{n}'": 2 for n in range(SHOWN_NOTES + 3)})
    lines = ImportResult(source="in.csv", kind="csv", notes=notes).summary_lines()
    assert sum(line.startswith("  note: ") for line in lines) == SHOWN_NOTES
    assert lines[-1] == "  ... and 3 other notes (on 6 records) not shown here"
