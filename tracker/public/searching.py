"""The bridge between the public pages and the full-text search engine (``tracker.search``).

Everything the public site asks of the search engine goes through here: ranked hits for a
query, the newest matches, and highlighted snippets, including the line that says where the
words matched when the claim's text does not show them (its rationale, an English summary,
an outlet's name or the title of a page it appeared on).
"""

from __future__ import annotations

from typing import NamedTuple

from markupsafe import Markup, escape
from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from tracker.models import Claim
from tracker.search import containing, match, match_plan, matching_ids, snippet
from tracker.search.base import DocumentTest, Plan


class Ranked(NamedTuple):
    """The best claims for a query, and how many matching claims (public or not) the index
    ranked to find them, when asked: at least that many match (0 when not asked)."""

    hits: list[tuple[int, float]]
    considered: int


def ranked_hits(
    session: Session,
    q: str,
    *,
    limit: int,
    within: list[int] | None = None,
    count_ranked: bool = False,
) -> Ranked:
    """``(claim id, score)`` of the best LIMIT claims for Q (among WITHIN when given),
    ranked inside the index. Fewer than LIMIT means every match is there. With COUNT_RANKED,
    how many were ranked (else 0)."""
    found = match(
        session, "claim", q, limit=limit, within=within, count_ranked=count_ranked
    ).subquery()
    rows = session.execute(select(found.c.doc_id, found.c.score, found.c.considered)).all()
    hits = [(int(row.doc_id), float(row.score)) for row in rows]
    return Ranked(hits, int(rows[0].considered) if rows else 0)


def plan(session: Session, q: str) -> Plan | None:
    """The query planned once for walking its matches; None when nothing can match."""
    return match_plan(session, "claim", q)


def containing_words(session: Session, planned: Plan) -> DocumentTest | None:
    """What makes the condition that a claim (a column of claim ids) has the words of
    PLANNED, tested claim by claim; None when walking the words' own matches is the cheaper
    way (rare words, or SQLite)."""
    return containing(session, "claim", planned)


def newest_ids(
    session: Session,
    planned: Plan,
    newest: int,
    before: int | None = None,
    *,
    any_order: bool = False,
) -> Select:
    """A select of the ids of the NEWEST claims that match (below BEFORE), unranked; with
    ANY_ORDER, as many matches but any of them."""
    found = matching_ids(
        session, "claim", planned, newest=newest, before=before, any_order=any_order
    )
    return found if found is not None else select(Claim.id).where(false())


def highlight(claim: Claim, q: str) -> tuple[Markup, Markup | None]:
    """The claim text and English summary as HTML, query words wrapped in <mark>."""
    summary = claim.summary_en
    if not q:
        return escape(claim.text), escape(summary) if summary else None
    # snippet() escapes the text itself and adds only <mark> tags.
    text_html = Markup(snippet(claim.text, q, claim.language, width=400))  # noqa: S704
    summary_html = Markup(snippet(summary, q, "en", width=300)) if summary else None  # noqa: S704
    return text_html, summary_html


MARK = "<mark>"


def shows_match(claim: Claim, text_html: Markup, summary_html: Markup | None) -> bool:
    """Whether what a result card shows (the text; the summary of a foreign claim) has a
    matched word marked."""
    shown_summary = summary_html if claim.language != "en" else None
    return MARK in text_html or (shown_summary is not None and MARK in shown_summary)


def explain_match(
    claim: Claim, q: str, outlet_names: list[str], titles: list[str]
) -> Markup | None:
    """'Where: …snippet…' for the first other field of the claim in which the words of Q
    are marked, in the order the index weighs them; None when none is."""
    from tracker.templating import render_markdown

    fields: list[tuple[str, str | None, str | None]] = []
    if claim.language == "en":  # a foreign claim's summary is on the card already
        fields.append(("Summary", claim.summary_en, "en"))
    rationale = render_markdown(claim.rationale).striptags() if claim.rationale else None
    fields.append(("Verdict rationale", rationale, claim.language))
    fields += [("Outlet", name, claim.language) for name in outlet_names]
    fields += [("Page title", title, claim.language) for title in titles]
    for label, text, lang in fields:
        if not text:
            continue
        marked = snippet(text, q, lang, width=200)
        if MARK in marked:
            # snippet() escapes the text itself and adds only <mark> tags.
            return Markup('<span class="match-where">{}:</span> ').format(label) + Markup(  # noqa: S704
                marked
            )
    return None
