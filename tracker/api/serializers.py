"""Public records as JSON-ready dicts: the shapes of the read API and the JSONL export.

Every shape here is described in :mod:`tracker.api.openapi`; a test checks each response
against that description.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from tracker.models import (
    Appearance,
    Article,
    Claim,
    ClaimStatus,
    Figure,
    Narrative,
    Outlet,
    Verdict,
)
from tracker.public.details import ClaimPage, FigureComparison

UrlFor = Callable[..., str]


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def rating_dict(claim: Claim) -> dict[str, Any] | None:
    if claim.rating is None:
        return None
    return {
        "value": claim.rating.value,
        "label": claim.rating.label,
        "number": claim.rating.value_number,
    }


def outlet_ref(outlet: Outlet, url_for: UrlFor) -> dict[str, Any]:
    return {
        "id": outlet.id,
        "name": outlet.name,
        "url": url_for("public.outlet", outlet_id=outlet.id, _external=True),
    }


def claim_summary(
    claim: Claim,
    url_for: UrlFor,
    *,
    outlets: list[Outlet] | None = None,
    score: float | None = None,
) -> dict[str, Any]:
    """The short form of a claim, used in lists and search results."""
    data: dict[str, Any] = {
        "id": claim.id,
        "url": url_for("public.claim", claim_id=claim.id, _external=True),
        "api_url": url_for("api.claim", claim_id=claim.id, _external=True),
        "text": claim.text,
        "language": claim.language,
        "summary": claim.summary_en,
        "rating": rating_dict(claim),
        "status": claim.status.value,
        "correction_note": claim.correction_note if claim.status == ClaimStatus.RETRACTED else None,
        "first_seen": iso(claim.first_seen),
        "published_at": iso(claim.published_at),
        "outlets": [outlet_ref(o, url_for) for o in outlets or []],
    }
    if score is not None:
        data["score"] = round(float(score), 6)
    return data


def appearance_dict(appearance: Appearance, url_for: UrlFor, *, first: bool) -> dict[str, Any]:
    snapshot = appearance.snapshot
    archive = None
    if snapshot is not None and snapshot.ok:
        archive = {
            "url": url_for("public.snapshot", snapshot_id=snapshot.id, _external=True),
            "fetched_at": iso(snapshot.fetched_at),
            "sha256": snapshot.sha256,
            "title": snapshot.title,
        }
    outlet = appearance.outlet
    return {
        "url": appearance.url,
        "date": iso(appearance.appeared_on),
        "language": appearance.language,
        "platform": appearance.platform,
        "title": appearance.title,
        "first": first,
        "outlet": outlet_ref(outlet, url_for)
        if outlet is not None and outlet.deleted_at is None
        else None,
        "archive": archive,
    }


def narrative_ref(narrative: Narrative, url_for: UrlFor) -> dict[str, Any]:
    return {
        "slug": narrative.slug,
        "name": narrative.name,
        "url": url_for("public.narrative", slug=narrative.slug, _external=True),
    }


def article_summary(article: Article, url_for: UrlFor) -> dict[str, Any]:
    return {
        "id": article.id,
        "url": url_for("public.article", article_id=article.id, _external=True),
        "source_url": article.url,
        "title": article.title,
        "publisher": article.publisher,
        "author": article.author,
        "published_on": iso(article.published_on),
        "language": article.language,
        "claim_statement": article.claim_statement,
        "is_ours": article.is_ours,
        "rating": article.rating.value if article.rating else None,
        "rating_text": article.rating_text,
    }


def figure_summary(figure: Figure, url_for: UrlFor) -> dict[str, Any]:
    return {
        "id": figure.id,
        "url": url_for("public.figure", figure_id=figure.id, _external=True),
        "subject": figure.subject,
        "label": figure.label,
        "value": figure.value,
        "lower_bound": figure.lower_bound,
        "upper_bound": figure.upper_bound,
        "qualifier": figure.qualifier.value,
        "kind": figure.kind.value,
        "unit": figure.unit,
        "currency": figure.currency,
        "period_start": iso(figure.period_start),
        "period_end": iso(figure.period_end),
        "place": figure.place,
        "publisher": figure.publisher,
        "cited_source": figure.cited_source,
        "source_url": figure.source_url,
        "published_on": iso(figure.published_on),
        "parent_id": figure.parent_id,
    }


def figure_detail(figure: Figure, parts: list[Figure], url_for: UrlFor) -> dict[str, Any]:
    data = figure_summary(figure, url_for)
    data["quote"] = figure.quote
    data["parts"] = [figure_summary(p, url_for) for p in parts]
    data["parts_total"] = sum(p.value for p in parts) if parts else None
    data["remainder"] = figure.value - data["parts_total"] if parts else None
    return data


def comparison_dict(item: FigureComparison, url_for: UrlFor) -> dict[str, Any]:
    link = item.link
    return {
        "figure": figure_summary(item.figure, url_for),
        "claim_id": link.claim_id,
        "stated_text": link.stated_text or None,
        "stated_value": link.stated_value,
        "relation": link.relation.value if link.relation else None,
        "ratio": link.ratio,
        "comparison": item.sentence,
    }


def verdict_event(verdict: Verdict) -> dict[str, Any]:
    return {
        "at": iso(verdict.at),
        "event": verdict.event.value,
        "rating": verdict.rating.value if verdict.rating else None,
        "note": verdict.note,
    }


def claim_detail(page: ClaimPage, url_for: UrlFor) -> dict[str, Any]:
    """The full public record of one claim."""
    claim = page.claim
    data = claim_summary(claim, url_for, outlets=page.outlets)
    first = page.first_appearance
    data.update(
        rationale=claim.rationale,
        appearances=[
            appearance_dict(a, url_for, first=first is not None and a.id == first.id)
            for a in page.appearances
        ],
        narratives=[narrative_ref(n, url_for) for n in page.narratives],
        countries=[{"code": c.code, "name": c.name} for c in page.countries],
        articles=[article_summary(link.article, url_for) for link in page.articles],
        figures=[comparison_dict(item, url_for) for item in page.figures],
        related=[
            {
                "id": other.id,
                "url": url_for("public.claim", claim_id=other.id, _external=True),
                "text": other.text,
                "language": other.language,
            }
            for other in page.related
        ],
        history=[verdict_event(v) for v in page.history],
        updated_at=iso(page.last_modified),
    )
    return data


def outlet_detail(outlet: Outlet, claims: int, url_for: UrlFor) -> dict[str, Any]:
    return {
        **outlet_ref(outlet, url_for),
        "kind": outlet.kind.value,
        "country": outlet.country,
        "state_affiliated": outlet.state_affiliated,
        "description": outlet.description,
        "handles": [{"kind": h.kind.value, "value": h.value} for h in outlet.handles],
        "claims": claims,
    }
