"""Multilingual full-text search: one interface over SQLite FTS5 and PostgreSQL tsvector.

Typical use::

    from tracker.search import SearchDocument, index_documents, match, search_ids, snippet

    index_documents(session, "claim", [SearchDocument(7, claim.text, claim.summary_en,
                                                      lang=claim.language)])
    hits = search_ids(session, "claim", "Зеленский бежал", limit=20)
"""

from tracker.search.analysis import ANALYSER_VERSION
from tracker.search.base import (
    DEFAULT_WEIGHTS,
    KINDS,
    SearchDocument,
    SearchError,
    SearchHit,
    UnknownKindError,
)
from tracker.search.query import ParsedQuery, analyse_query, parse_query
from tracker.search.service import (
    containing,
    count_matches,
    create_schema,
    delete_documents,
    drop_schema,
    index_analyser,
    index_documents,
    match,
    match_plan,
    matching_ids,
    plan_query,
    record_analyser,
    search_ids,
)
from tracker.search.snippet import snippet

__all__ = [
    "ANALYSER_VERSION",
    "DEFAULT_WEIGHTS",
    "KINDS",
    "ParsedQuery",
    "SearchDocument",
    "SearchError",
    "SearchHit",
    "UnknownKindError",
    "analyse_query",
    "containing",
    "count_matches",
    "create_schema",
    "delete_documents",
    "drop_schema",
    "index_analyser",
    "index_documents",
    "match",
    "match_plan",
    "matching_ids",
    "parse_query",
    "plan_query",
    "record_analyser",
    "search_ids",
    "snippet",
]
