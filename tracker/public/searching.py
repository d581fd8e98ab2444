"""The bridge between the public pages and the full-text search engine (``tracker.search``).

Everything the public site asks of the search engine goes through here: ranked hits for a
query, the newest matches, and highlighted snippets.
"""

from __future__ import annotations

from markupsafe import Markup, escape
from sqlalchemy import Select, false, select
from sqlalchemy.orm import Session

from tracker.models import Claim
from tracker.search import match, match_plan, matching_ids, snippet
from tracker.search.base import Plan


def ranked_hits(session: Session, q: str, *, limit: int) -> list[tuple[int, float]]:
    """``(claim id, score)`` of the best LIMIT claims for Q, ranked inside the index.
    Fewer than LIMIT means every match is there."""
    hits = match(session, "claim", q, limit=limit).subquery()
    rows = session.execute(select(hits.c.doc_id, hits.c.score))
    return [(int(row.doc_id), float(row.score)) for row in rows]


def plan(session: Session, q: str) -> Plan | None:
    """The query planned once for walking its matches; None when nothing can match."""
    return match_plan(session, "claim", q)


def newest_ids(session: Session, planned: Plan, newest: int, before: int | None = None) -> Select:  # type: ignore[type-arg]
    """A select of the ids of the NEWEST claims that match (below BEFORE), unranked."""
    found = matching_ids(session, "claim", planned, newest=newest, before=before)
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
