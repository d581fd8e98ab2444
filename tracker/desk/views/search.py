"""Full-text search inside the desk (same index as public search; never LIKE)."""

from __future__ import annotations

from sqlalchemy import Select

from tracker.extensions import db
from tracker.models import Claim

# Enough to fill many pages of filtered desk results, small enough to stay fast.
DESK_MATCH_LIMIT = 2_000


def restrict_to_text(query: Select, text: str) -> Select:
    """Keep only claims matching `text` (all words), ranked inside the index first."""
    from tracker.search import match

    hits = match(db.session, "claim", text, mode="all", limit=DESK_MATCH_LIMIT).subquery()
    return query.join(hits, Claim.id == hits.c.doc_id)
