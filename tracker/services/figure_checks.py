"""Figure checks for stored records: a claim's numbers against a stored figure."""

from __future__ import annotations

from collections.abc import Iterable

from tracker.models import Claim, ClaimFigureLink, Figure, FigureRelation, LinkStatus
from tracker.xref.figure_matching import facts_of
from tracker.xref.figures import Breakdown, FigureCheck, breakdown
from tracker.xref.figures import check_text as check_figures


def figure_breakdown(figure: Figure) -> Breakdown | None:
    return breakdown(facts_of(figure)) if figure.parts else None


def best_check(claim: Claim, figure: Figure) -> FigureCheck | None:
    """The most telling comparison of the claim's numbers with `figure`, if it states any.

    The original text is read first; the English summary is the fallback for claims whose
    numbers are written in a way the extractor does not know in that language.
    """
    facts = facts_of(figure)
    for text, lang in ((claim.text, claim.language), (claim.summary_en, "en")):
        if not text:
            continue
        checks = check_figures(text, [facts], lang, min_similarity=0.0)
        comparable = [c for c in checks if c.comparison.relation != "not_comparable"]
        if comparable or checks:
            return (comparable or checks)[0]
    return None


def refresh_link(link: ClaimFigureLink, claim: Claim, figure: Figure) -> ClaimFigureLink:
    """Fill a claim–figure link with the number the claim states and how it compares."""
    check = best_check(claim, figure)
    if check is None:
        link.relation = FigureRelation.NOT_COMPARABLE
        link.reason = "The claim states no number that can be compared with this figure."
        return link
    link.stated_text = check.quantity.text[:255]
    link.stated_value = check.quantity.value
    link.relation = FigureRelation(check.comparison.relation)
    link.ratio = check.comparison.ratio
    link.reason = check.comparison.reason
    return link


def compare_again(links: Iterable[ClaimFigureLink]) -> None:
    """Each link not rejected compared anew, after an edit of its claim or its figure: the
    sentence kept on it ("at least 6.7x lower") was written from the old numbers, and a
    confirmed check is public."""
    for link in links:
        if link.status != LinkStatus.REJECTED:
            refresh_link(link, link.claim, link.figure)
