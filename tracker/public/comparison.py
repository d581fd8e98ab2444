"""How a claim's number compares with a published figure, in words and numbers.

One small function on purpose: the cross-referencing engine (``tracker.xref.figures``) will
produce these sentences itself and store them as ``ClaimFigureLink.reason``; until then the
sentence is built here from the stored fields.
"""

from __future__ import annotations

from datetime import date

from tracker.models import ClaimFigureLink, Figure, FigureKind, FigureQualifier, FigureRelation
from tracker.templating import format_number

_QUALIFIER_WORDS = {
    FigureQualifier.EXACT: "",
    FigureQualifier.MORE_THAN: "more than ",
    FigureQualifier.LESS_THAN: "less than ",
    FigureQualifier.ABOUT: "about ",
}


def _month(day: date) -> str:
    return day.strftime("%b %Y")


def figure_value_text(figure: Figure) -> str:
    """ "more than 1,500 people", "about 12%", "exactly $100,000,000"."""
    number = format_number(figure.value)
    if figure.lower_bound is not None and figure.upper_bound is not None:
        number = f"{format_number(figure.lower_bound)}–{format_number(figure.upper_bound)}"
    if figure.kind == FigureKind.PERCENT:
        number = f"{number}%"
    elif figure.kind == FigureKind.MONEY and figure.currency:
        number = f"{number} {figure.currency}"
    text = _QUALIFIER_WORDS[FigureQualifier(figure.qualifier)] + number
    if figure.unit and figure.kind == FigureKind.COUNT:
        text = f"{text} {figure.unit}"
    return text


def period_text(figure: Figure) -> str:
    start, end = figure.period_start, figure.period_end
    if start and end:
        return f"{_month(start)} – {_month(end)}"
    if start:
        return f"from {_month(start)}"
    if end:
        return f"until {_month(end)}"
    return ""


def source_text(figure: Figure) -> str:
    """ "UK Ministry of Defence, citing iStories"."""
    source = figure.publisher or "the source"
    if figure.cited_source:
        source = f"{source}, citing {figure.cited_source}"
    return source


def comparison_sentence(link: ClaimFigureLink, figure: Figure | None = None) -> str:
    """The human-readable comparison of the claim's number with the figure."""
    if link.reason:
        return link.reason
    figure = figure or link.figure
    stated = link.stated_text or (
        format_number(link.stated_value) if link.stated_value is not None else "a number"
    )
    says = f"{source_text(figure)} says {figure_value_text(figure)}"
    period = period_text(figure)
    if period:
        says += f" for {period}"
    if figure.place:
        says += f" ({figure.place})"
    sentence = f"The claim says {stated}; {says}"
    relation = FigureRelation(link.relation) if link.relation else None
    ratio = link.ratio
    if ratio is None and link.stated_value is not None and figure.value:
        ratio = link.stated_value / figure.value
    if relation == FigureRelation.OVERSTATES:
        sentence += ": the claim overstates it"
        if ratio and ratio > 1:
            sentence += f", about {format_number(round(ratio, 1))}× higher"
    elif relation == FigureRelation.UNDERSTATES:
        sentence += ": the claim understates it"
        if ratio and 0 < ratio < 1:
            sentence += f", about {format_number(round(1 / ratio, 1))}× lower"
    elif relation == FigureRelation.CONSISTENT:
        sentence += ": the claim is consistent with it"
    elif relation == FigureRelation.NOT_COMPARABLE:
        sentence += ": the two numbers cannot be compared directly"
    return sentence + "."
