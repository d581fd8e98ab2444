"""`tracker import` and `tracker export` on the command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import make_article, make_claim, make_outlet, make_user
from tracker.models import (
    Claim,
    ClaimArticleLink,
    ClaimStatus,
    Job,
    JobStatus,
    LinkStatus,
    Rating,
    Role,
    Vector,
)


@pytest.fixture
def cli(app):
    # Click 8.2 runners show stdout and stderr together in `output`.
    return app.test_cli_runner()


@pytest.fixture
def editor(db):
    user = make_user(db, Role.EDITOR, email="editor@cli.example")
    db.commit()
    return user


def _rows_csv(tmp_path, rows):
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["claim_text", "source_url", "appearance_date"])
        writer.writerows(rows)
    return path


def _claims(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Claim))


def test_import_with_rejections_exits_non_zero_and_says_how_many(cli, db, editor, tmp_path):
    path = _rows_csv(
        tmp_path,
        [["Good claim", "https://a.example/1", "2024-01-02"], ["Bad", "nope", "2024-01-02"]],
    )
    report = tmp_path / "rejected.jsonl"
    result = cli.invoke(
        args=["import", "csv", str(path), "--user", editor.email, "--report", str(report)]
    )
    assert result.exit_code == 1
    assert "1 record rejected" in result.output
    assert "Read 2 records from" in result.output
    assert "1 x source_url" in result.output and "(first at line 3)" in result.output
    assert "Time: " in result.output
    assert json.loads(report.read_text(encoding="utf-8"))["line"] == 3
    assert _claims(db) == 1
    # What was imported is cross-referenced all the same (it was skipped without a word).
    assert "Cross-referenced 1 claim" in result.output


def test_an_import_cross_references_what_it_imported(cli, db, editor, tmp_path):
    # The desk and the API queue each saved claim's vector and suggestions; an import did
    # neither, so its claims were found by no semantic match and had no suggestions.
    make_article(
        db,
        "No, NATO soldiers are not fighting in Ukraine",
        claim_statement="NATO troops are fighting in Ukraine",
    )
    db.commit()
    rows = [["NATO troops are secretly fighting in Ukraine", "https://a.example/1", "2024-01-02"]]
    result = cli.invoke(
        args=["import", "csv", str(_rows_csv(tmp_path, rows)), "--user", editor.email]
    )
    assert result.exit_code == 0, result.output
    assert "Cross-referenced 1 claim in" in result.output
    db.expire_all()
    claim = db.scalars(select(Claim)).one()
    vectors = db.scalars(select(Vector.entity_type)).all()
    assert sorted(vectors) == ["article", "claim"]
    suggested = db.scalars(select(ClaimArticleLink).where(ClaimArticleLink.claim_id == claim.id))
    assert [link.status for link in suggested] == [LinkStatus.SUGGESTED]


def test_an_import_with_no_xref_says_how_to_cross_reference_later(cli, db, editor, tmp_path):
    rows = [["A claim", "https://a.example/1", "2024-01-02"]]
    path = _rows_csv(tmp_path, rows)
    result = cli.invoke(args=["import", "csv", str(path), "--user", editor.email, "--no-xref"])
    assert result.exit_code == 0, result.output
    assert "tracker xref rebuild" in result.output
    assert db.scalar(select(func.count()).select_from(Vector)) == 0


def test_clean_import_exits_zero(cli, db, editor, tmp_path):
    path = _rows_csv(tmp_path, [["Good claim", "https://a.example/1", "2024-01-02"]])
    result = cli.invoke(args=["import", "csv", str(path), "--user", editor.email])
    assert result.exit_code == 0, result.output
    assert "rejected: 0" in result.output


def test_claimreview_import_as_the_issue_writes_it_runs_as_the_command_line(cli, db, tmp_path):
    path = tmp_path / "reviews.jsonl"
    review = {
        "@type": "ClaimReview",
        "url": "https://checks.example.org/1",
        "claimReviewed": "The bridge was built in 1990",
        "reviewRating": {"alternateName": "False"},
    }
    path.write_text(json.dumps(review) + "\n", encoding="utf-8")
    result = cli.invoke(args=["import", "claimreview", str(path)])
    assert result.exit_code == 0, result.output
    assert "Importing as the command line" in result.output
    claim = db.scalar(select(Claim))
    assert (claim.created_by_id, claim.status) == (None, ClaimStatus.DRAFT)


def test_the_report_goes_to_the_instance_folder_and_its_path_is_printed(
    cli, app, db, editor, tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    path = _rows_csv(
        tmp_path, [["Good claim", "https://a.example/1", "2024-01-02"], ["Bad", "x", ""]]
    )
    result = cli.invoke(args=["import", "csv", str(path), "--user", editor.email])
    report = Path(app.instance_path) / "import-reports" / "in.csv.rejected.jsonl"
    assert result.exit_code == 1
    assert str(report) in result.output
    assert json.loads(report.read_text(encoding="utf-8"))["line"] == 3
    assert list(tmp_path.glob("*.rejected.jsonl")) == []


def test_rejections_are_summed_up_by_reason_most_common_first(cli, db, editor, tmp_path):
    # The first ten rows alone were shown: a file refused for want of verdicts showed as a
    # few duplicates, the rows that happened to come first.
    rows = [["Same claim", "https://a.example/1", "2024-01-02"]] * 3
    rows += [[f"Claim {n}", "not a link", "2024-01-02"] for n in range(5)]
    path = _rows_csv(tmp_path, rows)
    result = cli.invoke(args=["import", "csv", str(path), "--user", editor.email])
    reasons = [line for line in result.output.splitlines() if " x " in line]
    assert reasons[0].startswith("  5 x source_url") and "(first at line 5)" in reasons[0]
    # What the rows share, not the first one's line ("duplicate of line 2" read as all).
    assert reasons[1].startswith("  2 x duplicate of line … (")
    assert reasons[1].endswith("(first at line 3)")


def test_rejections_of_a_folder_name_their_file(cli, db, editor, tmp_path):
    folder = tmp_path / "reviews"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "bad.jsonl").write_text('{"@type": "ClaimReview"}\n{broken\n', "utf-8")
    result = cli.invoke(args=["import", "claimreview", str(folder), "--user", editor.email])
    assert result.exit_code == 1
    assert "(first at sub/bad.jsonl line 2)" in result.output


def test_a_mapping_with_unknown_fields_is_refused_before_reading(cli, db, editor, tmp_path):
    mapping = tmp_path / "bad.toml"
    mapping.write_text('name = "bad"\n[fields]\nclaim_text = "a"\nheadline = "b"\n')
    path = _rows_csv(tmp_path, [["Good claim", "https://a.example/1", "2024-01-02"]])
    result = cli.invoke(
        args=["import", "csv", str(path), "--mapping", str(mapping), "--user", editor.email]
    )
    assert result.exit_code == 1
    assert "unknown target fields: headline" in result.output
    assert _claims(db) == 0


def test_a_row_with_a_known_external_id_but_another_text_is_not_dropped_silently(
    cli, db, editor, tmp_path
):
    path = tmp_path / "ids.csv"
    path.write_text(
        "claim_text,source_url,appearance_date,external_id\n"
        "First text,https://a.example/1,2024-01-02,dup-2\n"
        "Another text altogether,https://a.example/2,2024-01-03,dup-2\n",
        encoding="utf-8",
    )
    result = cli.invoke(args=["import", "csv", str(path), "--user", editor.email, "--no-xref"])
    assert result.exit_code == 0, result.output
    assert "the external id of a claim already recorded, with another text" in result.output
    assert _claims(db) == 1


def test_a_row_again_with_another_summary_is_not_dropped_silently(cli, db, editor, tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text(
        "claim_text,source_url,external_id,summary\n"
        "Same text,https://a.example/1,csv-1,First summary\n"
        "Same text,https://a.example/1,csv-1,An edited summary\n",
        encoding="utf-8",
    )
    result = cli.invoke(args=["import", "csv", str(path), "--user", editor.email, "--no-xref"])
    assert result.exit_code == 0, result.output
    assert "already recorded, with another summary: only new links taken" in result.output


def test_an_unknown_encoding_is_refused_in_one_line(cli, db, editor, tmp_path):
    path = _rows_csv(tmp_path, [["A claim", "https://a.example/1", "2024-01-02"]])
    result = cli.invoke(args=["import", "csv", str(path), "--encoding", "nosuch"])
    assert result.exit_code == 1
    assert "Error: unknown text encoding 'nosuch'" in result.output
    assert "Traceback" not in result.output


def test_an_analyst_may_not_import_as_published(cli, db, tmp_path):
    analyst = make_user(db, Role.ANALYST)
    db.commit()
    path = _rows_csv(tmp_path, [["Good claim", "https://a.example/1", "2024-01-02"]])
    result = cli.invoke(
        args=["import", "csv", str(path), "--user", analyst.email, "--status", "published"]
    )
    assert result.exit_code == 1
    assert "only editors" in result.output


def test_an_unknown_user_is_refused(cli, tmp_path):
    path = _rows_csv(tmp_path, [["Good claim", "https://a.example/1", "2024-01-02"]])
    result = cli.invoke(args=["import", "csv", str(path), "--user", "nobody@example.org"])
    assert result.exit_code == 1
    assert "no active user" in result.output


def test_background_import_without_redis_runs_as_a_job(cli, db, editor, tmp_path):
    path = _rows_csv(tmp_path, [["Good claim", "https://a.example/1", "2024-01-02"]])
    result = cli.invoke(args=["import", "csv", str(path), "--user", editor.email, "--background"])
    assert result.exit_code == 0, result.output
    job = db.scalar(select(Job))
    assert (job.kind, job.status) == ("import_file", JobStatus.DONE)
    assert (job.result["imported"], job.result["rejected"]) == (1, 0)
    assert _claims(db) == 1


def test_export_csv_protects_against_formulas_and_filters_by_status(cli, db, tmp_path):
    make_claim(db, '=HYPERLINK("http://evil.example")', status=ClaimStatus.PUBLISHED)
    make_claim(db, "A draft", status=ClaimStatus.DRAFT)
    db.commit()
    out = tmp_path / "out.csv"
    result = cli.invoke(args=["export", "csv", str(out), "--status", "published"])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["claim_text"] for r in rows] == ['\'=HYPERLINK("http://evil.example")']


def test_export_csv_reads_back_with_the_generic_mapping(cli, db, editor, tmp_path):
    make_claim(
        db,
        "Exported claim",
        rating=Rating.FALSE,
        url="https://news.example.ru/x",
        rationale="No.",
    )
    db.commit()
    out = tmp_path / "out.csv"
    assert cli.invoke(args=["export", "csv", str(out)]).exit_code == 0
    db.execute(Claim.__table__.delete())
    db.commit()
    result = cli.invoke(args=["import", "csv", str(out), "--user", editor.email])
    assert result.exit_code == 0, result.output
    claim = db.scalar(select(Claim))
    assert (claim.text, claim.rating, claim.rationale) == ("Exported claim", Rating.FALSE, "No.")
    assert [a.url for a in claim.appearances] == ["https://news.example.ru/x"]


def test_the_public_export_imports_with_the_public_mapping(cli, client, db, editor, tmp_path):
    make_claim(
        db, "Exported claim", status=ClaimStatus.PUBLISHED, rating=Rating.FALSE, rationale="Why."
    )
    db.commit()
    exported = client.get("/exports/claims.csv").get_data(as_text=True)
    rows = list(csv.DictReader(exported.splitlines()))
    # As another tracker would receive them: the same claims at other addresses.
    for row in rows:
        row["url"] = row["url"].replace("http://localhost/", "https://elsewhere.example/")
        row["text"] += " (as published elsewhere)"
    path = tmp_path / "claims.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    args = ["import", "csv", str(path), "--mapping", "public", "--user", editor.email]
    result = cli.invoke(args=[*args, "--status", "published", "--no-xref"])
    assert result.exit_code == 0, result.output
    assert "rejected: 0" in result.output
    db.expire_all()
    copy = db.scalars(select(Claim).where(Claim.text.like("%as published elsewhere%"))).one()
    assert copy.rating == Rating.FALSE and copy.status == ClaimStatus.PUBLISHED
    assert copy.external_id.startswith("https://elsewhere.example/claims/")
    again = cli.invoke(args=[*args, "--status", "published", "--no-xref"])
    assert "new: 0;" in again.output


def test_the_public_jsonl_export_imports_with_the_public_mapping(cli, client, db, editor, tmp_path):
    # Its verdict is an object ({"value": "false", "label": ...}): every line was rejected.
    # The first link's outlet comes along (every outlet was lost).
    outlet = make_outlet(db, "Zarya TV", "zarya.example")
    make_claim(
        db, "Exported claim", status=ClaimStatus.PUBLISHED, rating=Rating.FALSE, rationale="Why.",
        outlet=outlet, url="https://zarya.example/news/1",
    )  # fmt: skip
    db.commit()
    lines = client.get("/exports/claims.jsonl").get_data(as_text=True).splitlines()
    records = [json.loads(line) for line in lines]
    for record in records:
        record["url"] = record["url"].replace("http://localhost/", "https://elsewhere.example/")
        record["text"] += " (as published elsewhere)"
        assert record["first_appearance_outlet"] == "Zarya TV"
        # An outlet the receiving tracker does not know yet is created.
        record["first_appearance_url"] = "https://zarya-mirror.example/news/1"
        record["first_appearance_outlet"] = "Zarya Mirror"
    path = tmp_path / "claims.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    args = ["import", "jsonl", str(path), "--mapping", "public", "--user", editor.email]
    result = cli.invoke(args=[*args, "--status", "published", "--no-xref"])
    assert result.exit_code == 0, result.output
    assert "rejected: 0" in result.output
    db.expire_all()
    copy = db.scalars(select(Claim).where(Claim.text.like("%as published elsewhere%"))).one()
    assert (copy.rating, copy.rationale) == (Rating.FALSE, "Why.")
    assert [a.outlet.name for a in copy.appearances] == ["Zarya Mirror"]


def test_full_dump_reimported_into_the_same_database_changes_nothing(cli, db, editor, tmp_path):
    make_claim(db, "Dumped claim", url="https://news.example.ru/y")
    db.commit()
    out = tmp_path / "dump.jsonl"
    assert cli.invoke(args=["export", "jsonl", str(out), "--full"]).exit_code == 0
    before = _claims(db)
    result = cli.invoke(args=["import", "jsonl", str(out), "--user", editor.email])
    assert result.exit_code == 0, result.output
    assert _claims(db) == before


def test_export_jsonl_rows_one_per_claim(cli, db, tmp_path):
    make_claim(db, "One")
    make_claim(db, "Two")
    db.commit()
    out = tmp_path / "rows.jsonl"
    assert cli.invoke(args=["export", "jsonl", str(out)]).exit_code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["claim_text"] for r in rows) == ["One", "Two"]


def test_export_to_a_place_it_cannot_write_says_so_without_a_traceback(cli, tmp_path):
    folder = tmp_path / "taken"
    folder.mkdir()
    result = cli.invoke(args=["export", "csv", str(folder)])  # a folder's name, not a file's
    assert result.exit_code == 1
    assert f"Error: cannot write {folder}" in result.output
    assert "Traceback" not in result.output


def test_export_claimreview_needs_our_address(cli, tmp_path):
    result = cli.invoke(args=["export", "claimreview", str(tmp_path / "feed.json")])
    assert result.exit_code == 2
    assert "--site-url" in result.output


def test_export_claimreview_refuses_an_address_that_is_not_a_url(cli, tmp_path):
    out = tmp_path / "feed.json"
    result = cli.invoke(args=["export", "claimreview", str(out), "--site-url", "notaurl"])
    assert result.exit_code == 2
    assert "Use an http:// or https:// address." in result.output
    assert not out.exists()


def test_export_claimreview_writes_a_datafeed(cli, db, tmp_path):
    from datetime import UTC, datetime

    make_claim(
        db,
        "Published",
        status=ClaimStatus.PUBLISHED,
        rating=Rating.FALSE,
        rationale="Because.",
        published_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    db.commit()
    out = tmp_path / "feed.json"
    result = cli.invoke(
        args=["export", "claimreview", str(out), "--site-url", "https://t.example/"]
    )
    assert result.exit_code == 0, result.output
    feed = json.loads(out.read_text(encoding="utf-8"))
    (item,) = feed["dataFeedElement"]
    assert item["item"][0]["reviewRating"]["alternateName"] == "False"
