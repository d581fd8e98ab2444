"""The answer to "what do we know about this text?", as plain JSON-able data.

Used by `tracker xref check`, the public /check page and POST /api/v1/xref/check, so the
three always agree. `allowed` narrows what may be shown (published records on public pages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models import Article, Claim, Figure, utcnow
from tracker.xref.engine import XrefEngine
from tracker.xref.figures import stated_figure
from tracker.xref.periods import extract_period
from tracker.xref.quantities import extract_quantities

Allowed = Callable[[str, list[int]], set[int]]


def quantities_report(text: str, lang: str | None = None) -> dict[str, Any]:
    period = extract_period(text, lang)
    return {
        "quantities": [asdict(q) for q in extract_quantities(text, lang)],
        "period": None
        if period is None
        else {
            "start": period.start.isoformat() if period.start else None,
            "end": period.end.isoformat() if period.end else None,
            "text": period.text,
        },
    }


def check_report(
    session: Session,
    engine: XrefEngine,
    text: str,
    lang: str | None = None,
    *,
    allowed: Allowed | None = None,
    limit: int = 10,
    reference: date | None = None,
) -> dict[str, Any]:
    """What the record says about a text: matching claims and debunks, and figure checks.
    REFERENCE: when the text was written ("last year" in it), today unless told."""
    # The start of a text tells its language; reading all 100,000 characters only costs time.
    from tracker.capture.language import guess_text_language

    lang = lang or guess_text_language((text or "")[: engine.settings.max_chars])
    result = engine.match(session, text, lang, limit=limit, allowed=allowed)
    articles = {
        a.id: a
        for a in session.scalars(
            select(Article).where(Article.id.in_([m.id for m in result.of_kind("article")]))
        )
    }
    claims = {
        c.id: c
        for c in session.scalars(
            select(Claim).where(Claim.id.in_([m.id for m in result.of_kind("claim")]))
        )
    }
    figure_allowed = (lambda ids: allowed("figure", ids)) if allowed else None
    reference = reference or utcnow().date()
    figures = engine.figures(session, text, lang, allowed=figure_allowed, reference=reference)
    figure_rows = {
        f.id: f
        for f in session.scalars(
            select(Figure).where(Figure.id.in_([f.figure_id for f in figures]))
        )
    }
    return {
        "language": lang,
        "notices": result.notices,
        "semantic": result.semantic_used,
        "debunks": [
            {
                "id": m.id,
                "title": articles[m.id].title,
                "url": articles[m.id].url,
                "publisher": articles[m.id].publisher,
                "claim_statement": articles[m.id].claim_statement,
                "score": m.score,
                "method": m.method,
                "reason": m.reason,
            }
            for m in result.of_kind("article")
            if m.id in articles
        ],
        "claims": [
            {
                "id": m.id,
                "text": claims[m.id].text,
                "language": claims[m.id].language,
                # `summary`, as the claims API names it; `summary_en` is the same (deprecated).
                "summary": claims[m.id].summary_en,
                "summary_en": claims[m.id].summary_en,
                "rating": rating.value if (rating := claims[m.id].rating) else None,
                # A retracted claim's rating is the verdict it had, withdrawn since.
                "status": claims[m.id].status.value,
                "score": m.score,
                "method": m.method,
                "reason": m.reason,
            }
            for m in result.of_kind("claim")
            if m.id in claims
        ],
        "figure_checks": [
            {
                "figure_id": f.figure_id,
                "subject": figure_rows[f.figure_id].subject,
                "figure": stated_figure(f.check.figure),
                "stated": f.check.quantity.text,
                "relation": f.check.comparison.relation,
                "ratio": f.check.comparison.ratio,
                "bound": f.check.comparison.bound,
                "reason": f.check.comparison.reason,
                "relatedness": f.similarity,
            }
            for f in figures
            if f.figure_id in figure_rows
        ],
        "milliseconds": round(result.milliseconds, 1),
    }
