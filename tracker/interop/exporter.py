"""Exporting from the database, streamed: constant memory whatever the number of claims.

- :func:`export_rows`: one row per claim (CSV or JSONL) in our generic columns, which the
  ``generic`` mapping reads back; every status unless filtered, deleted claims left out.
- :func:`tracker.interop.export_dump.export_dump`: the full-fidelity dump (outlets,
  narratives, articles, figures with their parts, then claims with everything attached),
  which ``tracker import jsonl`` reads back without loss.
- :func:`export_claimreview`: the schema.org DataFeed of our published verdicts, the same
  as ``/claimreview.json``.

Claims are read by key in batches (``id > last``) with what they need loaded in a few
queries per batch, and the session forgets each batch once it is written.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.interop.mapping import TARGET_FIELDS
from tracker.interop.rows_out import write_csv_rows
from tracker.models import (
    Appearance,
    Article,
    Claim,
    ClaimArticleLink,
    ClaimStatus,
    Figure,
    HandleKind,
    LinkStatus,
    Outlet,
    Verdict,
    utcnow,
)
from tracker.public.filters import ClaimFilters, apply_filters

BATCH = 500
ROW_COLUMNS = ("id", "status", *TARGET_FIELDS)


@dataclass(frozen=True)
class ExportFilters:
    """Which claims to export: the search filters, and workflow statuses (empty: all)."""

    claims: ClaimFilters = field(default_factory=ClaimFilters)
    statuses: tuple[ClaimStatus, ...] = ()


def claim_ref(claim: Claim) -> str:
    return claim.external_id or f"tracker:claim:{claim.id}"


def article_ref(article: Article) -> str:
    return article.external_id or article.url or f"tracker:article:{article.id}"


def figure_ref(figure: Figure) -> str:
    return figure.external_id or f"tracker:figure:{figure.id}"


def claim_batches(session: Session, filters: ExportFilters) -> Iterator[list[int]]:
    last = 0
    while True:
        stmt = select(Claim.id).where(Claim.id > last, Claim.deleted_at.is_(None))
        stmt = apply_filters(stmt, filters.claims)
        if filters.statuses:
            stmt = stmt.where(Claim.status.in_(filters.statuses))
        ids = list(session.scalars(stmt.order_by(Claim.id).limit(BATCH)))
        if not ids:
            return
        yield ids
        last = ids[-1]


def load_claims(session: Session, ids: list[int], *, full: bool) -> list[Claim]:
    appearances = selectinload(Claim.appearances)
    options = [
        appearances.selectinload(Appearance.outlet).selectinload(Outlet.handles),
        selectinload(Claim.narratives),
        selectinload(Claim.countries),
    ]
    if full:
        options += [
            appearances.selectinload(Appearance.snapshot),
            selectinload(Claim.verdicts).selectinload(Verdict.by),
            selectinload(Claim.created_by),
        ]
    stmt = select(Claim).where(Claim.id.in_(ids)).options(*options).order_by(Claim.id)
    return list(session.scalars(stmt))


def article_links(
    session: Session, ids: list[int], *, confirmed_only: bool
) -> dict[int, list[tuple[ClaimArticleLink, Article]]]:
    stmt = (
        select(ClaimArticleLink, Article)
        .join(Article, Article.id == ClaimArticleLink.article_id)
        .where(ClaimArticleLink.claim_id.in_(ids), Article.deleted_at.is_(None))
        .order_by(ClaimArticleLink.id)
    )
    if confirmed_only:
        stmt = stmt.where(ClaimArticleLink.status == LinkStatus.CONFIRMED)
    found: dict[int, list[tuple[ClaimArticleLink, Article]]] = defaultdict(list)
    for link, article in session.execute(stmt):
        found[link.claim_id].append((link, article))
    return found


def claim_row(claim: Claim, debunk: Article | None) -> dict[str, Any]:
    """One claim in the generic columns (its first appearance and first confirmed debunk)."""
    first = claim.first_appearance
    outlet = first.outlet if first is not None else None
    domains = [h.value for h in outlet.handles if h.kind == HandleKind.DOMAIN] if outlet else []
    return {
        "id": claim.id,
        "status": claim.status.value,
        "claim_text": claim.text,
        "summary": claim.summary_en,
        "title": debunk.title if debunk else None,
        "language": claim.language,
        "appearance_language": first.language if first else None,
        "outlet": outlet.name if outlet else None,
        "outlet_domain": domains[0] if domains else None,
        "source_url": first.url if first else None,
        "appearance_date": first.appeared_on if first else None,
        "narratives": [n.name for n in claim.narratives if n.deleted_at is None],
        "keywords": [],
        "countries": [c.code for c in claim.countries],
        "verdict": claim.rating.value if claim.rating else None,
        "rationale": claim.rationale,
        "external_id": claim_ref(claim),
        "debunk_url": debunk.url if debunk else None,
    }


def iter_rows(session: Session, filters: ExportFilters) -> Iterator[dict[str, Any]]:
    for ids in claim_batches(session, filters):
        links = article_links(session, ids, confirmed_only=True)
        for claim in load_claims(session, ids, full=False):
            debunk = next((a for _link, a in links.get(claim.id, []) if a.url), None)
            yield claim_row(claim, debunk)
        session.expunge_all()


def export_rows(session: Session, stream: IO[str], fmt: str, filters: ExportFilters) -> int:
    """Write the filtered claims as CSV or JSONL rows to STREAM; return how many."""
    rows = iter_rows(session, filters)
    if fmt == "csv":
        return write_csv_rows(stream, rows, columns=ROW_COLUMNS)
    count = 0
    for row in rows:
        stream.write(json.dumps(row, ensure_ascii=False, default=json_default) + "\n")
        count += 1
    return count


def json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


# --- ClaimReview ---------------------------------------------------------------------------


def export_claimreview(
    session: Session,
    stream: IO[str],
    *,
    name: str,
    site_url: str,
    logo_url: str | None = None,
    date_modified: datetime | None = None,
) -> int:
    """Write the DataFeed of our published verdicts (as ``/claimreview.json``); return the count.

    SITE_URL is our public address (the claim pages are ``SITE_URL/claims/<id>``).
    """
    from tracker.public.claimreview import Publisher, iter_reviewed_claims, stream_datafeed

    publisher = Publisher(name=name, site_url=site_url.rstrip("/") + "/", logo_url=logo_url)
    count = 0

    def counted() -> Iterator[Any]:
        nonlocal count
        for claim in iter_reviewed_claims(session, publisher):
            count += 1
            yield claim

    for chunk in stream_datafeed(counted(), date_modified=date_modified or utcnow()):
        stream.write(chunk)
    return count
