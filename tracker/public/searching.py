"""The bridge between the public pages and the full-text search engine (``tracker.search``).

Everything the public site asks of the search engine goes through here: ranked hits for a
query and highlighted snippets.
"""

from __future__ import annotations

from markupsafe import Markup, escape
from sqlalchemy import Subquery
from sqlalchemy.orm import Session

from tracker.models import Claim
from tracker.search import match, snippet


def ranked_hits(session: Session, q: str, *, limit: int) -> tuple[Subquery | None, str | None]:
    """A ``(doc_id, score)`` subquery of the best LIMIT claims for Q, ranked in the index,
    and a notice for the visitor (or None). The subquery is None when nothing can match."""
    return match(session, "claim", q, limit=limit).subquery(), None


def highlight(claim: Claim, q: str) -> tuple[Markup, Markup | None]:
    """The claim text and English summary as HTML, query words wrapped in <mark>."""
    summary = claim.summary_en
    if not q:
        return escape(claim.text), escape(summary) if summary else None
    # snippet() escapes the text itself and adds only <mark> tags.
    text_html = Markup(snippet(claim.text, q, claim.language, width=400))  # noqa: S704
    summary_html = Markup(snippet(summary, q, "en", width=300)) if summary else None  # noqa: S704
    return text_html, summary_html
