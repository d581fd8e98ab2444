"""A claim's quantity against a published figure, in words and numbers.

``compare(quantity, figure, claim_period)`` models each side as an interval (see
``Tolerance`` for how wide each qualifier is), calls overlapping intervals consistent and
otherwise says which side is higher and by how much::

    The claim says tens of thousands; UK Ministry of Defence, citing iStories, reported
    more than 1,500 for April 2023 – May 2024 (at least 6.7x lower).

The ratio is between the nearest *stated* numbers (10,000, the least "tens of thousands"
can mean, against the 1,500 that was published). ``bound`` says how sure it is: the claim's
own wording decides first ("tens of thousands" is open upwards, so the gap is at least
that); when the claim states a single number, the figure's qualifier decides (a figure of
"more than 1,500" against a claim of 1,000 is at least 1.5x higher).

Different kinds (a percentage against a count), currencies, or periods that do not
overlap are ``not_comparable``, with the reason.

``breakdown(figure)`` relates a figure's parts to its total; ``check_text(text, figures)``
extracts quantities and a period from a claim and checks them against candidate figures.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date

from tracker.xref._figure_model import (
    DEFAULT_TOLERANCE,
    REMAINDER_PREFIXES,
    Bound,
    Breakdown,
    Comparison,
    ComparisonDetails,
    FigureCheck,
    FigureFacts,
    FigurePart,
    FigureQualifier,
    Relation,
    Tolerance,
)
from tracker.xref.formatting import (
    CURRENCY_NAMES,
    format_amount,
    format_figure,
    format_number,
    format_period,
    format_quantity,
    format_ratio,
)
from tracker.xref.periods import Period, extract_period
from tracker.xref.quantities import Kind, Quantity, extract_quantities
from tracker.xref.rates import Rate, rate_in_words, rate_near, spans_about
from tracker.xref.similarity import Similarity, stem_positions, stems, subject_overlap

__all__ = [
    "DEFAULT_TOLERANCE",
    "Bound",
    "Breakdown",
    "Comparison",
    "ComparisonDetails",
    "FigureCheck",
    "FigureFacts",
    "FigurePart",
    "FigureQualifier",
    "Relation",
    "Similarity",
    "Tolerance",
    "breakdown",
    "check_text",
    "compare",
    "format_figure",
    "format_quantity",
    "stated_figure",
    "subject_overlap",
]

_KIND_NAMES = {"count": "a count", "percent": "a percentage", "money": "an amount of money"}


def _half_unit(value: float) -> float:
    """Half the rounding unit of a stated number: 1,500 -> 50; 771 -> 0.5; 12.5 -> 0.05."""
    magnitude = abs(value)
    if magnitude == 0 or not math.isfinite(magnitude):
        return 0.0
    if float(magnitude).is_integer():
        digits = str(int(magnitude))
        zeros = len(digits) - len(digits.rstrip("0"))
        return 10.0**zeros / 2
    text = repr(float(magnitude))
    if "e" in text or "." not in text:
        return 0.0  # too small or too large to have been rounded by a person
    return 10.0 ** -len(text.split(".")[1]) / 2


def _exact_width(value: float, tolerance: Tolerance) -> float:
    relative = tolerance.exact
    if tolerance.rounding and value:
        relative = max(relative, _half_unit(value) / abs(value))
    return min(relative, max(tolerance.about, tolerance.exact))


def _interval(
    value: float, upper: float | None, qualifier: str, tolerance: Tolerance
) -> tuple[float, float]:
    if qualifier == "vague" and upper is not None:
        return value, upper
    if qualifier == "range" and upper is not None:
        return value * (1 - tolerance.exact), upper * (1 + tolerance.exact)
    if qualifier == "more_than":
        return value, value * tolerance.more_than_factor
    if qualifier == "less_than":
        return value / tolerance.less_than_factor, value
    width = tolerance.about if qualifier == "about" else _exact_width(value, tolerance)
    return value * (1 - width), value * (1 + width)


def _figure_interval(figure: FigureFacts, tolerance: Tolerance) -> tuple[float, float]:
    low, high = _interval(figure.value, None, figure.qualifier, tolerance)
    if figure.lower is not None:
        low = figure.lower * (1 - tolerance.exact)
    if figure.upper is not None:
        high = figure.upper * (1 + tolerance.exact)
    return low, max(low, high)


def _figure_source(figure: FigureFacts) -> str:
    if figure.publisher and figure.cited_source:
        return f"{figure.publisher}, citing {figure.cited_source}, reported"
    if figure.publisher:
        return f"{figure.publisher} reported"
    if figure.cited_source:
        return f"{figure.cited_source} reported"
    return "the published figure is"


def _figure_clause(figure: FigureFacts) -> str:
    """Who published what for when: "UK Ministry of Defence, citing iStories, reported more
    than 1,500 for April 2023 – May 2024"."""
    period = format_period(figure.period_start, figure.period_end)
    if period and not period.startswith(("since", "until")):
        period = f"for {period}"
    return " ".join(filter(None, (_figure_source(figure), stated_figure(figure), period)))


def stated_figure(figure: FigureFacts) -> str:
    """The figure's number, and for a part of a breakdown what it is part of: "more than
    1,500", "771 (South and East Asia, of more than 1,500)"."""
    stated = format_figure(figure)
    return f"{stated} ({figure.part_of})" if figure.part_of else stated


_COMPARE_FAIL = ", so the two cannot be compared."


def _not_comparable(sentence: str) -> Comparison:
    return Comparison("not_comparable", None, None, sentence + _COMPARE_FAIL)


def _period_bounds(start: date | None, end: date | None) -> tuple[date, date]:
    return start or date.min, end or date.max


def _rate_refusal(
    quantity: Quantity, figure: FigureFacts, claim_rate: Rate | None
) -> Comparison | None:
    """Not comparable when the claim's number and the figure are for different spans (a day
    against a year); percentages are rates already and are left alone."""
    if quantity.kind == "percent":
        return None
    named = rate_in_words(f"{figure.unit or ''} {figure.subject}")
    if named is not None:
        if claim_rate == named:
            return None
        figure_span = f"per {named}"
    else:
        if claim_rate is None or spans_about(claim_rate, figure.period_start, figure.period_end):
            return None
        period = format_period(figure.period_start, figure.period_end)
        figure_span = f"for {period}" if period else "a total at one time"
    claim_words = f"a number per {claim_rate}" if claim_rate else "a total"
    return _not_comparable(
        f"The claim gives {claim_words} ({format_quantity(quantity)}) but the figure is "
        f"{figure_span} ({format_figure(figure)})"
    )


# How much of a claim's closed period must lie inside the figure's for the two to be
# compared: "в 2024 году" against April 2023 – May 2024 has 5 of its 12 months inside (not
# compared); "in 2023" has 9 (compared).
MIN_PERIOD_OVERLAP = 0.5


def _share_inside(claim_period: Period, figure: FigureFacts) -> float:
    """The share of the claim's period inside the figure's (1.0 when either is open)."""
    if claim_period.start is None or claim_period.end is None:
        return 1.0
    figure_start, figure_end = _period_bounds(figure.period_start, figure.period_end)
    inside = (min(claim_period.end, figure_end) - max(claim_period.start, figure_start)).days + 1
    return max(0, inside) / ((claim_period.end - claim_period.start).days + 1)


def _comparability(
    quantity: Quantity,
    figure: FigureFacts,
    claim_period: Period | None,
    claim_rate: Rate | None = None,
) -> Comparison | None:
    """A not-comparable verdict with its reason, or None when the two can be compared."""
    claim, stated = format_quantity(quantity), format_figure(figure)
    if quantity.kind != figure.kind:
        return _not_comparable(
            f"The claim gives {_KIND_NAMES[quantity.kind]} ({claim}) but the figure is "
            f"{_KIND_NAMES[figure.kind]} ({stated})"
        )
    if quantity.kind == "money" and quantity.currency != figure.currency:
        claim_money = CURRENCY_NAMES.get(quantity.currency or "", quantity.currency or "?")
        figure_money = CURRENCY_NAMES.get(figure.currency or "", figure.currency or "no currency")
        return _not_comparable(
            f"The claim is in {claim_money} ({claim}) but the figure is in {figure_money} "
            f"({stated})"
        )
    if claim_period and (figure.period_start or figure.period_end):
        claim_start, claim_end = _period_bounds(claim_period.start, claim_period.end)
        figure_start, figure_end = _period_bounds(figure.period_start, figure.period_end)
        claim_words = format_period(claim_period.start, claim_period.end)
        figure_words = format_period(figure.period_start, figure.period_end)
        if claim_end < figure_start or figure_end < claim_start:
            return _not_comparable(
                f"The claim's period ({claim_words}) does not overlap the figure's ({figure_words})"
            )
        if _share_inside(claim_period, figure) < MIN_PERIOD_OVERLAP:
            return _not_comparable(
                f"The claim's period ({claim_words}) lies mostly outside the figure's "
                f"({figure_words})"
            )
    return _rate_refusal(quantity, figure, claim_rate)


def _direction(qualifier: str, side: str, relation: Relation) -> int:
    """+1 if the true gap may be larger than the stated ratio, -1 if smaller, 0 if neither.

    Ranges and vague amounts are compared at their nearest end, so the gap can only grow.
    "More than X" is open upwards: it widens the gap when it is the higher side and narrows
    it when it is the lower one; "less than X" the other way round.
    """
    if qualifier in ("vague", "range"):
        return 1
    opening = {"more_than": 1, "less_than": -1}.get(qualifier, 0)
    higher = (side == "claim") == (relation == "overstates")
    return opening if higher else -opening


_BOUNDS: dict[int, Bound] = {1: "at least", -1: "at most"}


def _bound(direction: int) -> Bound:
    return _BOUNDS.get(direction, "about")


def compare(
    quantity: Quantity,
    figure: FigureFacts,
    claim_period: Period | None = None,
    *,
    tolerance: Tolerance = DEFAULT_TOLERANCE,
    claim_rate: Rate | None = None,
) -> Comparison:
    """Compare a claim's quantity with a published figure (see the module docstring);
    CLAIM_RATE is the span the claim gives it for ("day" for "100 a day"), if any."""
    refused = _comparability(quantity, figure, claim_period, claim_rate)
    if refused is not None:
        return refused
    claim_low, claim_high = _interval(quantity.value, quantity.upper, quantity.qualifier, tolerance)
    figure_low, figure_high = _figure_interval(figure, tolerance)
    claim_words, figure_words = format_quantity(quantity), _figure_clause(figure)
    if claim_low <= figure_high and figure_low <= claim_high:
        relation: Relation = "consistent"
        claim_value, figure_value = quantity.value, figure.value
    elif claim_low > figure_high:
        relation = "overstates"
        claim_value = quantity.value
        figure_value = figure.upper if figure.upper is not None else figure.value
    else:
        relation = "understates"
        claim_value = quantity.upper if quantity.upper is not None else quantity.value
        figure_value = figure.lower if figure.lower is not None else figure.value
    details = ComparisonDetails(
        claim_low, claim_high, figure_low, figure_high, claim_value, figure_value
    )
    figure_qualifier = (
        "range" if figure.lower is not None or figure.upper is not None else (figure.qualifier)
    )
    direction = _direction(quantity.qualifier, "claim", relation) or _direction(
        figure_qualifier, "figure", relation
    )
    ratio: float | None = None
    if claim_value > 0 and figure_value > 0:
        high, low = (
            (figure_value, claim_value)
            if relation == "understates"
            else (claim_value, figure_value)
        )
        ratio = high / low
        if not math.isfinite(ratio) or ratio <= 0:
            ratio = None  # values so far apart (or so small) that a float cannot hold the ratio
    if relation == "consistent":
        ending = "consistent with the claim"
        bound: Bound | None = "about" if ratio is not None else None
    elif quantity.kind == "percent":
        # Shares differ by points: "5%" against "32%" is 27 points apart ("6.4x" read oddly).
        bound = _bound(direction)
        word = "lower" if relation == "overstates" else "higher"
        points = format_number(round(abs(claim_value - figure_value), 1))
        ending = f"{bound} {points} percentage {'point' if points == '1' else 'points'} {word}"
    else:
        bound = _bound(direction) if ratio is not None else None
        word = "lower" if relation == "overstates" else "higher"
        ending = f"{bound} {format_ratio(ratio)} {word}" if ratio is not None else f"{word}"
    reason = f"The claim says {claim_words}; {figure_words} ({ending})."
    return Comparison(relation, ratio, bound, reason, details)


def breakdown(figure: FigureFacts, tolerance: Tolerance = DEFAULT_TOLERANCE) -> Breakdown:
    """Relate a figure's parts to its total: what is accounted for and what is left over."""
    parts = tuple(figure.parts)
    accounted = math.fsum(part.value for part in parts)
    remainder = figure.value - accounted
    qualifier: FigureQualifier = figure.qualifier
    # "More than 1,500" is a lower bound: parts adding up to 2,366 only say how much more.
    above_a_lower_bound = accounted > figure.value and qualifier == "more_than"
    # "About 14,300" is rounded: parts of 14,304 account for it, they do not overlap.
    rounded = qualifier == "about" and 0 < -remainder <= tolerance.about * figure.value
    if rounded:
        remainder = 0.0
    exceeds = accounted > figure.value and not above_a_lower_bound and not rounded
    total = format_figure(
        FigureFacts(
            figure.subject, figure.value, figure.qualifier, figure.kind, currency=figure.currency
        )
    )
    listed = " + ".join(
        format_amount(p.value, figure.kind, figure.currency) + (f" ({p.label})" if p.label else "")
        for p in parts
    )
    summed = format_amount(accounted, figure.kind, figure.currency)
    left = format_amount(abs(remainder), figure.kind, figure.currency)
    if not parts:
        sentence = f"The figure ({total}) has no breakdown."
    elif above_a_lower_bound:
        sentence = f"{listed} = {summed}: the total ({total}) is at least {summed}."
    elif exceeds:
        sentence = (
            f"{listed} = {summed}, {left} more than the total ({total}): "
            "the parts overlap or were counted differently."
        )
    elif remainder == 0 or rounded:
        sentence = f"{listed} = {summed}: the parts account for the whole total ({total})."
    else:
        sentence = (
            f"{listed} = {summed} accounted for; {REMAINDER_PREFIXES.get(qualifier, '')}{left} "
            f"of the {total} are not broken down."
        )
    return Breakdown(figure.value, accounted, remainder, qualifier, exceeds, parts, sentence)


#: Which of a text's quantities speak of which part of a figure's breakdown: a map from the
#: index of a quantity (in the text's `extract_quantities`) to the index of the part.
PartNamer = Callable[[str, FigureFacts, list[Quantity]], dict[int, int]]


def parts_by_words(text: str, figure: FigureFacts, quantities: list[Quantity]) -> dict[int, int]:
    """The parts whose label the text names (every content word, by the stems of
    `similarity`), each given to the quantity just before the label ("771 from South and
    East Asia", "60% of them women"), or the first after it when none comes before."""
    named: dict[int, int] = {}
    positions = stem_positions(text)
    for part_index, part in enumerate(figure.parts):
        label = stems(part.label)
        if not label or not label <= positions.keys():
            continue
        at = min(positions[stem] for stem in label)
        before = [i for i, q in enumerate(quantities) if q.start < at]
        after = [i for i, q in enumerate(quantities) if q.start >= at]
        chosen = before[-1] if before else (after[0] if after else None)
        if chosen is not None and chosen not in named:
            named[chosen] = part_index
    return named


def part_as_figure(figure: FigureFacts, part: FigurePart, kind: Kind | None = None) -> FigureFacts:
    """One part of a breakdown as a figure of its own, saying what it is part of; as a
    share of the total when KIND asks for a percentage of a counted part ("60% of them
    women" against 600,000 women of about 1.1 million: 55%)."""
    total = format_figure(figure)
    value, part_of = part.value, f"{part.label}, of {total}"
    qualifier: FigureQualifier = "exact"
    share = kind == "percent" and figure.kind == "count" and figure.value > 0
    if share:
        value = round(100 * part.value / figure.value, 1)
        qualifier = "about" if figure.qualifier != "exact" else "exact"
        counted = format_amount(part.value, figure.kind, figure.currency)
        part_of = f"{part.label}: {counted} of {total}"
    return replace(
        figure,
        value=value,
        qualifier=qualifier,
        kind="percent" if share else figure.kind,
        lower=None,
        upper=None,
        parts=(),
        part_of=part_of,
    )


def check_text(
    text: str,
    figures: Iterable[FigureFacts],
    lang: str | None = None,
    *,
    similarity: Similarity = subject_overlap,
    names_parts: PartNamer = parts_by_words,
    min_similarity: float = 0.2,
    tolerance: Tolerance = DEFAULT_TOLERANCE,
    reference: date | None = None,
) -> list[FigureCheck]:
    """Check every quantity in a claim text against every candidate figure.

    Candidates come from a retrieval stage; ``similarity`` ranks them and pairs scoring below
    ``min_similarity`` are skipped as unrelated (pass ``min_similarity=0`` to keep all).
    The period found in the text, if any, applies to all its quantities ("last year" only
    with ``reference``, when the text was written). Results are ordered by similarity,
    comparable pairs first, then by position in the text.
    """
    quantities = extract_quantities(text, lang)
    if not quantities:
        return []
    period = extract_period(text, lang, reference=reference)
    rates = [rate_near(text, quantity) for quantity in quantities]
    checks = []
    for figure in figures:
        score = similarity(text, figure)
        if score < min_similarity:
            continue
        # A number given for a part ("771 from South and East Asia") is checked against that
        # part, ranked first, and not against the total; the text's other numbers are.
        named = names_parts(text, figure, quantities) if figure.parts else {}
        for index, quantity in enumerate(quantities):
            if index in named:
                part = figure.parts[named[index]]
                candidate, rank = part_as_figure(figure, part, quantity.kind), score + 1.0
            else:
                candidate, rank = figure, score
            comparison = compare(
                quantity,
                candidate,
                period,
                tolerance=tolerance,
                claim_rate=rates[index],
            )
            checks.append(FigureCheck(quantity, candidate, rank, comparison))
    checks.sort(
        key=lambda c: (
            -c.similarity,
            c.comparison.relation == "not_comparable",
            c.quantity.start,
        )
    )
    return checks
