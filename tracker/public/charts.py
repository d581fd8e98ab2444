"""Charts as server-rendered inline SVG: no scripts, no inline styles, no external services.

Colours come from CSS classes (public.css), so a strict Content-Security-Policy holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 720
HEIGHT = 180
PAD_LEFT = 36
PAD_BOTTOM = 24
PAD_TOP = 10


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
    out = []
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
        f'<text class="chart-label" x="{PAD_LEFT - 6}" y="{PAD_TOP + 8}" '
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
        if point.label.endswith("-01") or index == 0:
            parts.append(
                f'<text class="chart-label" x="{x:.1f}" y="{HEIGHT - 6}">'
                f"{escape(point.label[:4])}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def share_bars(items: Sequence[tuple[str, str, int]], *, title: str) -> Markup:
    """Horizontal bars: (css class suffix, label, count) each, as an accessible SVG."""
    if not items:
        return Markup("")
    peak = max(count for _, _, count in items) or 1
    row_h = 26
    height = row_h * len(items) + 4
    label_w = 150
    bar_space = WIDTH - label_w - 70
    summary = f"{title}: " + ", ".join(f"{label} {count:,}" for _, label, count in items)
    parts = [
        f'<svg class="chart chart-share" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-label="{escape(summary)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(summary)}</title>",
    ]
    for index, (css, label, count) in enumerate(items):
        y = index * row_h + 4
        w = max(bar_space * count / peak, 2)
        parts.append(
            f'<text class="chart-label" x="0" y="{y + 15}">{escape(label)}</text>'
            f'<rect class="chart-bar bar-{escape(css)}" x="{label_w}" y="{y}" '
            f'width="{w:.1f}" height="{row_h - 8}"/>'
            f'<text class="chart-label" x="{label_w + w + 6:.1f}" y="{y + 15}">{count:,}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped
