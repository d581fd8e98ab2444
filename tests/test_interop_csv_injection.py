"""CSV exports are safe against formula injection (cells that spreadsheets would run)."""

from __future__ import annotations

import io

import pytest

from tracker.interop.rows import protect_cell, write_csv_rows


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1,1)", "'@SUM(1,1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("  =1+1", "'  =1+1"),
        ("＝1+1", "'＝1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-5", "-5"),
        ("-0.25", "-0.25"),
        ("plain text", "plain text"),
        ("", ""),
    ],
)
def test_protect_cell(cell, expected):
    assert protect_cell(cell) == expected


def test_numbers_are_written_as_numbers():
    stream = io.StringIO()
    write_csv_rows(stream, [{"value": -5, "share": -0.5, "note": "=1"}])
    assert stream.getvalue().splitlines() == ["value,share,note", "-5,-0.5,'=1"]


def test_header_cells_are_protected_too():
    stream = io.StringIO()
    write_csv_rows(stream, [{"=evil": 1}])
    assert stream.getvalue().splitlines()[0] == "'=evil"
