"""Highlight the words of a query in a text, with the same analyser as the index.

Done in Python rather than by the database, so both backends highlight identically and the
index never needs to hold the original text.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from tracker.search.analysis import matched_spans
from tracker.search.query import ParsedQuery, analyse_query

ELLIPSIS = "…"


def _window(text: str, spans: list[tuple[int, int]], width: int) -> tuple[int, int]:
    """The `width`-character stretch of text holding the most matched words."""
    if len(text) <= width:
        return 0, len(text)
    best_start, best_count, right = 0, 0, 0
    for left, (start, _end) in enumerate(spans):
        right = max(right, left)
        while right < len(spans) and spans[right][1] - start <= width:
            right += 1
        if right - left > best_count:
            best_start, best_count = start, right - left
    start = max(0, min(best_start - width // 4, len(text) - width))
    end = min(len(text), start + width)
    # Cut at spaces so no word is broken, unless the text has none nearby.
    if start > 0:
        space = text.find(" ", start, start + 20)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", end - 20, end)
        end = space if space != -1 else end
    return start, end


def _terms(query: ParsedQuery | str) -> frozenset[str]:
    return analyse_query(query, mode="all").terms


# A results page highlights some forty texts for the same query.
_query_terms = lru_cache(maxsize=256)(_terms)


def snippet(
    text: str, query: ParsedQuery | str, lang: str | None = None, *, width: int = 240
) -> str:
    """HTML-escaped text around the best match, each matched word wrapped in <mark>.

    `lang` is the text's language (as it was indexed); the query is read without one, so a
    word highlights whichever of its plausible stems the text uses.
    """
    text = text or ""
    wanted = _query_terms(query) if isinstance(query, str) else _terms(query)
    spans = sorted(set(matched_spans(text, lang, wanted)))
    start, end = _window(text, spans, width)
    parts = [ELLIPSIS] if start > 0 else []
    cursor = start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        parts.append(escape(text[cursor:span_start]))
        parts.append("<mark>" + escape(text[span_start:span_end]) + "</mark>")
        cursor = span_end
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(ELLIPSIS)
    return "".join(parts)
