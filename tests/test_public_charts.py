"""Charts rendered on the server: labels that stay apart and readable."""

from __future__ import annotations

import itertools
import re

import pytest

from tracker.public.charts import LABEL_GAP, Point, monthly_bars


def _year_labels(svg: str) -> list[tuple[float, str]]:
    return [
        (float(x), year)
        for x, year in re.findall(r'<text class="chart-label" x="([\d.]+)" y="\d+">(\d{4})<', svg)
    ]


@pytest.mark.parametrize(
    ("first", "last"),
    [
        ("2017-12", "2019-03"),
        ("2015-01", "2025-12"),
        ("2001-06", "2026-01"),
        ("2024-03", "2024-05"),
    ],
)
def test_year_labels_never_overlap(first, last):
    labels = _year_labels(monthly_bars([Point(first, 1), Point(last, 2)], title="Claims"))
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(labels)]
    assert labels and all(gap >= LABEL_GAP for gap in gaps)


def test_a_year_that_starts_near_the_first_month_gets_the_label():
    # December 2017 then January 2018 a bar apart: "2018" is shown, not "20172018".
    labels = _year_labels(monthly_bars([Point("2017-12", 1), Point("2019-06", 2)], title="C"))
    assert [year for _x, year in labels] == ["2018", "2019"]
