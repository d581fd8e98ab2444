"""Charts rendered on the server: no scripts, no inline styles, no external services.

Colours come from CSS classes (public.css), so a strict Content-Security-Policy holds.
The chart over time is an inline SVG; an SVG scales its text with its width, so public.css
makes the labels larger in user units on narrow screens, and the labels are spaced for that
larger size. Shares (claims by verdict) are HTML <meter> bars, whose text never scales.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 720
HEIGHT = 200
PAD_LEFT = 64
PAD_BOTTOM = 32
PAD_TOP = 24
# Distance between the starts of two year labels, in user units: "2024" at the largest
# label size public.css uses (22 units, on a phone) is about 55 units wide.
LABEL_GAP = 68


@dataclass(frozen=True)
class Point:
    label: str  # "2024-03"
    value: int


def _fill_months(points: Sequence[Point]) -> list[Point]:
    """Every month between the first and the last, zero where nothing happened."""
    if not points:
        return []
    by_month = {p.label: p.value for p in points}
    first, last = min(by_month), max(by_month)
    year, month = int(first[:4]), int(first[5:7])
    end = (int(last[:4]), int(last[5:7]))
    out: list[Point] = []
    while (year, month) <= end and len(out) < 600:
        key = f"{year:04d}-{month:02d}"
        out.append(Point(key, by_month.get(key, 0)))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def monthly_bars(points: Sequence[Point], *, title: str) -> Markup:
    """A bar chart of counts per month, with a text alternative for screen readers."""
    months = _fill_months(points)
    if not months:
        return Markup("")
    peak = max(p.value for p in months) or 1
    plot_w = WIDTH - PAD_LEFT - 4
    plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    step = plot_w / len(months)
    bar_w = max(step * 0.8, 1.0)
    total = sum(p.value for p in months)
    summary = (
        f"{title}: {total:,} in total from {months[0].label} to {months[-1].label}, "
        f"at most {peak:,} in one month."
    )
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(summary)}" '
        'xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(summary)}</title>",
        f'<line class="chart-axis" x1="{PAD_LEFT}" y1="{HEIGHT - PAD_BOTTOM}" '
        f'x2="{WIDTH - 4}" y2="{HEIGHT - PAD_BOTTOM}"/>',
        f'<text class="chart-label" x="{PAD_LEFT - 6}" y="{PAD_TOP + 4}" '
        f'text-anchor="end">{peak:,}</text>',
        f'<text class="chart-label" x="{PAD_LEFT - 6}" y="{HEIGHT - PAD_BOTTOM}" '
        'text-anchor="end">0</text>',
    ]
    for index, point in enumerate(months):
        x = PAD_LEFT + index * step + (step - bar_w) / 2
        h = plot_h * point.value / peak
        y = HEIGHT - PAD_BOTTOM - h
        parts.append(
            f'<rect class="chart-bar" x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" '
            f'height="{h:.1f}"><title>{escape(point.label)}: {point.value:,}</title></rect>'
        )
    for x, year in year_labels(months, step):
        parts.append(
            f'<text class="chart-label" x="{x:.1f}" y="{HEIGHT - 8}">{escape(year)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def year_labels(months: Sequence[Point], step: float) -> list[tuple[float, str]]:
    """``(x, year)`` of the year labels under the bars: at each January (and the first month
    when it is not one), dropping any that would start within LABEL_GAP of the one before,
    and every other year, or more, when years are narrower than that."""
    wanted = [i for i, p in enumerate(months) if p.label.endswith("-01")]
    if months and (not wanted or wanted[0] * step >= LABEL_GAP):
        wanted.insert(0, 0)
    every = max(1, math.ceil(LABEL_GAP / (12 * step)))
    labels: list[tuple[float, str]] = []
    for index in wanted:
        year = months[index].label[:4]
        if index and int(year) % every:
            continue
        x = PAD_LEFT + index * step
        if labels and x - labels[-1][0] < LABEL_GAP:
            continue
        labels.append((x, year))
    return labels


def share_bars(items: Sequence[tuple[str, str, int]], *, title: str) -> Markup:
    """Horizontal bars: (css class suffix, label, count) each, as an HTML list of <meter>s
    (read out by screen readers as the label and the count)."""
    if not items:
        return Markup("")
    peak = max(count for _, _, count in items) or 1
    rows = [
        f'<li><span class="share-label">{escape(label)}</span>'
        f'<meter class="share-bar bar-{escape(css)}" min="0" max="{peak}" value="{count}">'
        f"{count:,}</meter>"
        f'<span class="share-count">{count:,}</span></li>'
        for css, label, count in items
    ]
    return Markup(  # noqa: S704 - every text above is escaped
        f'<ul class="share-chart" aria-label="{escape(title)}">{"".join(rows)}</ul>'
    )
