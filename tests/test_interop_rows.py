"""Reading CSV and JSONL rows: every bad input with its line and reason; writing them."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.interop_support import EUVSDISINFO, require
from tracker.interop.errors import InteropError
from tracker.interop.records import (
    AppearanceRecord,
    DebunkRecord,
    OutletRecord,
    TrackerRecord,
    VerdictRecord,
    dump_record,
    load_record,
)
from tracker.interop.rows import (
    ImportRecord,
    RowError,
    read_rows,
    write_csv_rows,
    write_jsonl_rows,
)

TODAY = date(2024, 6, 1)
HEADER = "claim_text,source_url,appearance_date,external_id,keywords\n"


def _csv(tmp_path: Path, text: str | bytes) -> list:
    path = tmp_path / "rows.csv"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return list(read_rows(path, "csv", "generic", today=TODAY))


def _jsonl(tmp_path: Path, lines: list[str | bytes], mapping: str = "generic") -> list:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"".join((x.encode() if isinstance(x, str) else x) + b"\n" for x in lines))
    return list(read_rows(path, "jsonl", mapping, today=TODAY))


def _errors(results: list) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in results if isinstance(r, RowError)]


def _row(**values: object) -> str:
    return json.dumps({"claim_text": "A claim", **values})


# --- JSONL --------------------------------------------------------------------------


def test_jsonl_malformed_line():
    with tempfile.TemporaryDirectory() as folder:
        results = _jsonl(Path(folder), [_row(), '{"claim_text": "x",', _row(claim_text="B")])
    assert _errors(results) == [
        (2, "malformed JSON: Expecting property name enclosed in double quotes at column 20")
    ]


def test_jsonl_line_that_is_not_an_object(tmp_path):
    assert _errors(_jsonl(tmp_path, ["[1, 2]"])) == [(1, "expected a JSON object, got an array")]


def test_jsonl_undecodable_line(tmp_path):
    results = _jsonl(tmp_path, [_row(), b'{"claim_text": "caf\xe9"}', _row(claim_text="C")])
    hint = " (a file saved in another encoding needs it named: --encoding cp1251)"
    assert _errors(results) == [(2, f"not valid UTF-8 (byte 19){hint}")]
    assert len([r for r in results if isinstance(r, ImportRecord)]) == 2


def test_jsonl_byte_order_mark_is_ignored(tmp_path):
    (record,) = _jsonl(tmp_path, [b"\xef\xbb\xbf" + _row().encode()])
    assert isinstance(record, ImportRecord)


def test_blank_lines_are_skipped_and_lines_still_counted(tmp_path):
    results = _jsonl(tmp_path, [_row(), "", "{bad"])
    assert _errors(results) == [
        (3, "malformed JSON: Expecting property name enclosed in double quotes at column 2")
    ]


def test_text_field_given_a_list(tmp_path):
    assert _errors(_jsonl(tmp_path, [_row(title=["a", "b"])])) == [
        (1, "title (column 'title'): expected text, got list \"['a', 'b']\"")
    ]


# --- CSV ----------------------------------------------------------------------------


def test_csv_missing_required_columns_is_one_error(tmp_path):
    results = _csv(tmp_path, "text,source_url\nA,https://a.example/\nB,https://b.example/\n")
    assert _errors(results) == [(1, "missing required columns: claim_text")]
    assert len(results) == 1


def test_csv_undecodable_line(tmp_path):
    data = HEADER.encode() + b"A,https://a.example/1,,,\nB\xff,https://a.example/2,,,\nC,,,,\n"
    results = _csv(tmp_path, data)
    assert _errors(results)[0][1].startswith("line 3 is not valid UTF-8 (byte 1) (a file saved")
    assert [r.claim_text for r in results if isinstance(r, ImportRecord)] == ["A", "C"]


def test_csv_nul_bytes(tmp_path):
    results = _csv(tmp_path, HEADER + "A\x00,https://a.example/1,,,\n")
    assert _errors(results) == [(2, "line 2 contains NUL bytes")]


def test_csv_cells_beyond_the_header(tmp_path):
    assert _errors(_csv(tmp_path, HEADER + "A,https://a.example/,,,,surplus\n")) == [
        (2, "6 cells but the header has 5 columns")
    ]


def test_csv_row_with_fewer_cells_than_the_header(tmp_path):
    results = _csv(tmp_path, HEADER + "A,https://a.example/1\nB,https://a.example/2,,,\n")
    assert _errors(results) == [(2, "2 cells but the header has 5 columns")]
    assert [r.claim_text for r in results if isinstance(r, ImportRecord)] == ["B"]


def test_csv_stray_quote_never_closed_names_the_lines_it_swallowed(tmp_path):
    text = (
        HEADER
        + "A,https://a.example/1,,,\n"
        + '"B,https://a.example/2,,,\n'
        + "C,https://a.example/3,,,\n"
    )
    results = _csv(tmp_path, text)
    assert _errors(results) == [
        (
            3,
            "a quoted cell opened on line 3 is never closed (a stray quote?): "
            "lines 3-4 not imported",
        )
    ]
    assert [r.claim_text for r in results if isinstance(r, ImportRecord)] == ["A"]


def test_csv_stray_quote_closed_by_a_later_one_is_found(tmp_path):
    # The cell count comes out right: only the swallowed line that reads as a row tells.
    path = tmp_path / "rows.csv"
    path.write_text(
        "claim_text,source_url\n"
        '"B,https://a.example/2\n'
        'C,https://a.example/3",https://a.example/9\n'
        "D,https://a.example/4\n",
        encoding="utf-8",
    )
    results = list(read_rows(path, "csv", "generic", today=TODAY))
    ((line, reason),) = _errors(results)
    assert (line, reason.split(": a stray quote?")[0]) == (
        2,
        "the quoted cell 'claim_text' runs over lines 2-3 and holds what reads as a whole row "
        "('C,https://a.example/3')",
    )
    assert [r.claim_text for r in results if isinstance(r, ImportRecord)] == ["D"]


def test_csv_text_after_a_closing_quote_is_refused(tmp_path):
    ((line, reason),) = _errors(_csv(tmp_path, HEADER + '"A"B,https://a.example/1,,,\n'))
    assert (line, reason) == (2, "unreadable CSV row (line 2): ',' expected after '\"'")


def test_csv_multiline_cell_that_is_prose_is_read(tmp_path):
    text = HEADER + '"First paragraph, with a comma.\nSecond one.",https://a.example/1,,,\n'
    (record,) = _csv(tmp_path, text)
    assert record.source_url == "https://a.example/1"


def test_csv_mapping_reading_columns_not_in_the_file_refuses_it_naming_them(tmp_path):
    mapping = tmp_path / "typo.toml"
    mapping.write_text(
        'name = "typo"\nrequired = ["claim_text"]\n[fields]\n'
        'claim_text = { from = "claim_text" }\n'
        'appearance_date = { from = "apperance_date", transform = "date" }\n'
        'verdict = { from = "verdikt", transform = "verdict" }\n',
        encoding="utf-8",
    )
    path = tmp_path / "rows.csv"
    path.write_text("claim_text,appearance_date,verdict\nA,2020-01-02,false\n", "utf-8")
    assert _errors(list(read_rows(path, "csv", mapping, today=TODAY))) == [
        (
            1,
            "the mapping typo reads columns that are not in the file: "
            "apperance_date (for appearance_date), verdikt (for verdict)",
        )
    ]


def test_csv_partial_mapping_reads_some_columns_and_notes_the_unread(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("claim_text,apperance_date\nA,2020-01-02\n", "utf-8")
    notes: list[str] = []
    (record,) = read_rows(path, "csv", "generic", today=TODAY, note=notes.append)
    assert record.claim_text == "A"
    assert notes == ["columns the mapping generic does not read: apperance_date"]


def test_jsonl_mapping_key_no_row_has_is_noted(tmp_path):
    mapping = tmp_path / "typo.toml"
    mapping.write_text(
        'name = "typo"\n[fields]\nclaim_text = { from = "claim_text" }\n'
        'verdict = { from = "verdikt", transform = "verdict" }\n',
        encoding="utf-8",
    )
    path = tmp_path / "rows.jsonl"
    path.write_text(_row(verdict="false") + "\n", encoding="utf-8")
    notes: list[str] = []
    list(read_rows(path, "jsonl", mapping, today=TODAY, note=notes.append))
    assert notes == ["the mapping typo reads keys not in the first row: verdikt (for verdict)"]


def test_csv_byte_order_mark_and_semicolons(tmp_path):
    results = _csv(tmp_path, '\ufeffclaim_text;keywords\nA;"x; y"\n'.encode())
    (record,) = results
    assert (record.claim_text, record.keywords) == ("A", ("x", "y"))


def test_csv_line_numbers_follow_multiline_cells(tmp_path):
    text = HEADER + '"A\nstill A",https://a.example/1,,,\nB,not a url,,,\n'
    assert _errors(_csv(tmp_path, text)) == [
        (4, "source_url (column 'source_url'): invalid URL: URL contains spaces: 'not a url'")
    ]


def test_invalid_url(tmp_path):
    results = _csv(tmp_path, HEADER + "A,ftp://a.example/x,,,\n")
    assert _errors(results) == [
        (
            2,
            "source_url (column 'source_url'): invalid URL: not an absolute http(s) URL: "
            "'ftp://a.example/x'",
        )
    ]


def test_invalid_date(tmp_path):
    assert _errors(_csv(tmp_path, HEADER + "A,,31.02.2017,,\n")) == [
        (2, "appearance_date (column 'appearance_date'): invalid date: no such day: '31.02.2017'")
    ]


def test_future_date(tmp_path):
    assert _errors(_csv(tmp_path, HEADER + "A,,2030-01-01,,\n")) == [
        (2, "appearance_date (column 'appearance_date'): date 2030-01-01 is in the future")
    ]


def test_ambiguous_date(tmp_path):
    ((line, reason),) = _errors(_csv(tmp_path, HEADER + "A,,05/07/2020,,\n"))
    assert (line, reason.split(": ")[-1]) == (2, "day 5 of month 7 or day 7 of month 5")


def test_empty_required_field(tmp_path):
    assert _errors(_csv(tmp_path, HEADER + "  ,https://a.example/,,,\n")) == [
        (2, "empty required field claim_text (column 'claim_text')")
    ]


def test_a_repeated_row_is_a_duplicate(tmp_path):
    text = HEADER + "A,,,id-1,\nB,,,id-2,\nA,,,id-1,\n"
    assert _errors(_csv(tmp_path, text)) == [
        (4, "duplicate of line 2 (same external id and every other field)")
    ]


def test_a_repeated_row_without_keys_is_a_duplicate(tmp_path):
    assert _errors(_csv(tmp_path, HEADER + "A,,,,\nA,,,,\n")) == [
        (3, "duplicate of line 2 (every field the same)")
    ]


def test_the_same_external_id_at_another_url_is_not_a_duplicate(tmp_path):
    text = HEADER + "A,https://a.example/1,,id-1,\nA,https://b.example/1,,id-1,\n"
    assert _errors(_csv(tmp_path, text)) == []


def test_the_same_url_and_text_with_another_debunk_is_not_a_duplicate(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text(
        "claim_text,source_url,debunk_url\n"
        "A,https://a.example/1,https://check.example/1\n"
        "A,https://a.example/1,https://check.example/2\n",
        encoding="utf-8",
    )
    assert _errors(list(read_rows(path, "csv", "generic", today=TODAY))) == []


def test_duplicate_ignores_case_space_and_tracking(tmp_path):
    text = (
        HEADER
        + "A claim,https://a.example/x,,,\n"
        + "a  CLAIM,https://A.example/x?utm_source=t,,,\n"
    )
    assert _errors(_csv(tmp_path, text)) == [
        (3, "duplicate of line 2 (same source URL and claim text and every other field)")
    ]


def test_unknown_verdict(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("claim_text,verdict\nA,banana\nB,Missing context\nC,Фейк\n", encoding="utf-8")
    results = list(read_rows(path, "csv", "generic", today=TODAY))
    assert _errors(results) == [
        (
            2,
            "verdict (column 'verdict'): unknown verdict 'banana' (ours: accurate, false, "
            "misleading, missing_context, satire, unproven)",
        )
    ]
    assert [r.verdict for r in results if isinstance(r, ImportRecord)] == [
        "missing_context",
        "false",
    ]


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(InteropError, match="unknown row format 'xml'"):
        list(read_rows(tmp_path / "x", "xml", "generic"))
    with pytest.raises(InteropError, match="no such file"):
        list(read_rows(tmp_path / "absent.csv", "csv", "generic"))


# --- round trips --------------------------------------------------------------------

RECORDS = [
    ImportRecord(
        line=2,
        claim_text='=Russia recruited tens of thousands; "foreign" volunteers',
        summary="Line one\n\nLine two",
        title="Recruits",
        language="en",
        appearance_language="ru",
        outlet="TV Zvezda",
        outlet_domain="tvzvezda.ru",
        source_url="https://tvzvezda.ru/news/1",
        appearance_date=date(2024, 5, 30),
        narratives=("Foreign mercenaries",),
        keywords=("recruitment", "-army"),
        countries=("Russia", "India"),
        verdict="misleading",
        rationale="UK MoD, citing iStories: 1,500+.",
        external_id="tracker:claim:1",
        debunk_url="https://tracker.example.org/claims/1",
    ),
    ImportRecord(line=3, claim_text="Second claim", external_id="tracker:claim:2"),
]


def _same(a: ImportRecord, b: ImportRecord) -> bool:
    fields = [f for f in ImportRecord.__dataclass_fields__ if f not in ("line", "warnings")]
    return all(getattr(a, f) == getattr(b, f) for f in fields)


def test_generic_csv_round_trip(tmp_path):
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        assert write_csv_rows(stream, iter(RECORDS)) == 2
    back = list(read_rows(path, "csv", "generic", today=TODAY))
    assert [r.line for r in back] == [2, 5]
    assert all(_same(a, b) for a, b in zip(RECORDS, back, strict=True))


def test_generic_jsonl_round_trip(tmp_path):
    path = tmp_path / "out.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        write_jsonl_rows(stream, RECORDS)
    back = list(read_rows(path, "jsonl", "generic", today=TODAY))
    assert all(_same(a, b) for a, b in zip(RECORDS, back, strict=True))


def _tracker_record() -> TrackerRecord:
    decided = datetime(2024, 5, 31, 9, 30, tzinfo=UTC)
    return TrackerRecord(
        id="tracker:claim:7",
        text="Россия завербовала десятки тысяч иностранных добровольцев",
        language="ru",
        summary="Russia has recruited tens of thousands of foreign volunteers in Moscow",
        status="published",
        narratives=("Foreign mercenaries",),
        countries=("Russia",),
        keywords=("recruitment",),
        verdict=VerdictRecord("misleading", "MoD: 1,500+", decided, "editor@x", decided),
        verdict_history=(VerdictRecord("unproven", "Checking", datetime(2024, 5, 30, tzinfo=UTC)),),
        appearances=(
            AppearanceRecord("https://t.me/x/2", date(2024, 6, 1), "ru"),
            AppearanceRecord(
                "https://tvzvezda.ru/news/1",
                date(2024, 5, 29),
                "ru",
                OutletRecord("TV Zvezda", ("tvzvezda.ru",), "RU", "state media", True),
                "https://archive.example/1",
                "ab" * 32,
            ),
        ),
        debunks=(
            DebunkRecord(
                "https://istories.media/x", "Recruits", "iStories", date(2024, 6, 1), "ru"
            ),
        ),
        created_at=datetime(2024, 5, 29, 8, 0, tzinfo=UTC),
        updated_at=datetime(2024, 5, 31, 9, 30, tzinfo=UTC),
        extra={"review_note": "checked twice"},
    )


def test_tracker_dump_and_load_round_trip():
    record = _tracker_record()
    assert load_record(json.loads(json.dumps(dump_record(record)))) == record


def test_tracker_jsonl_round_trip(tmp_path):
    path = tmp_path / "dump.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        write_jsonl_rows(stream, [_tracker_record()])
    (back,) = read_rows(path, "jsonl", "tracker", today=TODAY)
    assert back.record == _tracker_record()
    assert (back.source_url, back.outlet, back.verdict) == (
        "https://tvzvezda.ru/news/1",
        "TV Zvezda",
        "misleading",
    )


def test_tracker_record_errors_name_the_field(tmp_path):
    data = dump_record(_tracker_record())
    data["appearances"][1]["url"] = "tvzvezda"
    assert _errors(_jsonl(tmp_path, [json.dumps(data)], "tracker")) == [
        (1, "invalid tracker record: appearances[1].url: not an absolute http(s) URL: 'tvzvezda'")
    ]


def test_tracker_record_refuses_naive_times(tmp_path):
    data = dump_record(_tracker_record())
    data["created_at"] = "2024-05-29T08:00:00"
    assert _errors(_jsonl(tmp_path, [json.dumps(data)], "tracker")) == [
        (1, "invalid tracker record: created_at: time without a UTC offset: '2024-05-29T08:00:00'")
    ]


# --- the real EUvsDisinfo file -----------------------------------------------------


def test_euvsdisinfo_whole_file():
    path = require(EUVSDISINFO)
    accepted = 0
    reasons: Counter[str] = Counter()
    for result in read_rows(path, "jsonl", "euvsdisinfo", today=TODAY):
        if isinstance(result, RowError):
            reasons[
                result.reason.split(" (", 1)[1] if "duplicate" in result.reason else result.reason
            ] += 1
        else:
            accepted += 1
    # Every refused line repeats an earlier line of the file exactly (checked against the
    # database import in test_interop_import_rows); re-published cases pass.
    assert (accepted, sum(reasons.values())) == (2823, 307)
    assert reasons == {
        "same source URL and claim text and every other field)": 242,
        "same external id and every other field)": 65,
    }


# --- never raises -------------------------------------------------------------------

LINES = st.lists(
    st.binary(max_size=60)
    | st.text(max_size=60).map(str.encode)
    | st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=15),
        lambda c: (
            st.lists(c, max_size=3)
            | st.dictionaries(
                st.sampled_from(["claim_text", "source_url", "title", "source", "date"]),
                c,
                max_size=4,
            )
        ),
        max_leaves=10,
    ).map(lambda v: json.dumps(v).encode()),
    max_size=6,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LINES, st.sampled_from(["csv", "jsonl"]), st.sampled_from(["generic", "euvsdisinfo"]))
def test_read_rows_never_raises(lines, fmt, mapping):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"rows.{fmt}"
        path.write_bytes(b"\n".join(lines))
        results = list(read_rows(path, fmt, mapping, today=TODAY))
    assert all(isinstance(r, ImportRecord | RowError) for r in results)


def test_tracker_mapping_reads_jsonl_only(tmp_path):
    path = tmp_path / "dump.csv"
    path.write_text("id\n", encoding="utf-8")
    with pytest.raises(InteropError, match="the tracker mapping reads JSONL only"):
        list(read_rows(path, "csv", "tracker"))


def test_deeply_nested_json_line_is_rejected(tmp_path):
    assert _errors(_jsonl(tmp_path, ["[" * 100_000 + "]" * 100_000])) == [
        (1, "malformed JSON: nested too deeply")
    ]
