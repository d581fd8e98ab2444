"""CSV and JSONL exports of any search, streamed in batches (memory does not grow with rows).

Every public claim that the filters and the query select is exported, read in batches by
key so that each batch costs the same at any depth. Without a query they are read by id
(``id > last``); with a query the search index walks every match, newest record first
(``id < last``), and each batch of matches is narrowed to the public claims that pass the
filters. Relevance is not the order: ranking every match of a common word would cost as
much as the export itself. CSV cells are protected against formula injection by
:func:`tracker.interop.rows.protect_cell`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.api.serializers import UrlFor, claim_summary
from tracker.interop.rows import protect_cell
from tracker.models import Appearance, Article, Claim, ClaimArticleLink, LinkStatus
from tracker.public import searching
from tracker.public.filters import ClaimFilters, apply_filters, in_ids
from tracker.public.visibility import public_article_condition, public_claim_condition

BATCH = 1_000
CSV_COLUMNS = (
    "id",
    "url",
    "text",
    "language",
    "summary",
    "rating",
    "status",
    "correction_note",
    "first_seen",
    "published_at",
    "outlets",
    "narratives",
    "countries",
    "first_appearance_url",
    "first_appearance_outlet",
    "appearance_count",
    "rationale",
    # Added in stop 25, after the columns other tools already read by position.
    "narrative_names",
    "appearance_urls",
    "debunk_urls",
)
# How a CSV cell holds a list: names by "; ", addresses by a space (no address has one).
URL_LISTS = frozenset({"appearance_urls", "debunk_urls"})


def _batches_by_key(session: Session, filters: ClaimFilters) -> Iterator[list[int]]:
    last_id = 0
    while True:
        stmt = apply_filters(
            select(Claim.id).where(public_claim_condition(), Claim.id > last_id), filters
        )
        ids = list(session.scalars(stmt.order_by(Claim.id).limit(BATCH)))
        if not ids:
            return
        yield ids
        last_id = ids[-1]


def _batches_matching(session: Session, filters: ClaimFilters) -> Iterator[list[int]]:
    plan = searching.plan(session, filters.q)
    if plan is None:
        return
    before: int | None = None
    while True:
        ids = list(session.scalars(searching.newest_ids(session, plan, BATCH, before)))
        if not ids:
            return
        stmt = select(Claim.id).where(in_ids(session, Claim.id, ids), public_claim_condition())
        kept = sorted(session.scalars(apply_filters(stmt, filters)), reverse=True)
        if kept:
            yield kept
        before = min(ids)


def _debunk_urls(session: Session, ids: list[int]) -> dict[int, list[str]]:
    """The addresses of the public debunk articles confirmed for each claim."""
    rows = session.execute(
        select(ClaimArticleLink.claim_id, Article.url)
        .join(Article, Article.id == ClaimArticleLink.article_id)
        .where(
            ClaimArticleLink.claim_id.in_(ids),
            ClaimArticleLink.status == LinkStatus.CONFIRMED,
            public_article_condition(),
        )
        .order_by(ClaimArticleLink.claim_id, Article.id)
    )
    found: dict[int, list[str]] = {}
    for claim_id, url in rows:
        if url:  # an article may be recorded without an address
            found.setdefault(claim_id, []).append(url)
    return found


def iter_export_claims(
    session: Session, filters: ClaimFilters
) -> Iterator[tuple[Claim, list[str]]]:
    """The public claims FILTERS select, with what the export rows need, batch by batch,
    each with the addresses of its confirmed debunks."""
    batches = _batches_matching if filters.q else _batches_by_key
    for ids in batches(session, filters):
        debunks = _debunk_urls(session, ids)
        claims = session.scalars(
            select(Claim)
            .where(Claim.id.in_(ids))
            .options(
                selectinload(Claim.appearances).selectinload(Appearance.outlet),
                selectinload(Claim.narratives),
                selectinload(Claim.countries),
            )
        ).all()
        by_id = {c.id: c for c in claims}
        for claim_id in ids:
            if claim_id in by_id:
                yield by_id[claim_id], debunks.get(claim_id, [])
        session.expunge_all()


def export_record(
    claim: Claim, url_for: UrlFor, debunk_urls: list[str] | None = None
) -> dict[str, Any]:
    outlets = []
    for appearance in claim.appearances:
        outlet = appearance.outlet
        if outlet is not None and outlet.deleted_at is None and outlet not in outlets:
            outlets.append(outlet)
    record = claim_summary(claim, url_for, outlets=outlets)
    first = claim.first_appearance
    record.update(
        rationale=claim.rationale,
        narratives=[n.slug for n in claim.narratives if n.deleted_at is None],
        countries=[c.code for c in claim.countries],
        first_appearance_url=first.url if first else None,
        # Its outlet by name, for another tracker to attach the link to (the outlets list
        # above is the claim's, in no order that says which link is whose).
        first_appearance_outlet=(
            first.outlet.name
            if first and first.outlet is not None and first.outlet.deleted_at is None
            else None
        ),
        appearance_count=len(claim.appearances),
        narrative_names=[n.name for n in claim.narratives if n.deleted_at is None],
        appearance_urls=[a.url for a in claim.appearances],
        debunk_urls=debunk_urls or [],
    )
    return record


def _csv_value(key: str, record: dict[str, Any]) -> str:
    value: Any = record.get(key)
    if key == "rating":
        value = value["value"] if value else None
    elif key == "outlets":
        value = "; ".join(o["name"] for o in value)
    elif key in URL_LISTS:
        value = " ".join(value)
    elif isinstance(value, list):
        value = "; ".join(value)
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return protect_cell(str(value))


def stream_csv(session: Session, filters: ClaimFilters, url_for: UrlFor) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for count, (claim, debunks) in enumerate(iter_export_claims(session, filters), 1):
        record = export_record(claim, url_for, debunks)
        writer.writerow([_csv_value(key, record) for key in CSV_COLUMNS])
        if count % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def stream_jsonl(session: Session, filters: ClaimFilters, url_for: UrlFor) -> Iterator[str]:
    chunk: list[str] = []
    for claim, debunks in iter_export_claims(session, filters):
        chunk.append(json.dumps(export_record(claim, url_for, debunks), ensure_ascii=False))
        if len(chunk) >= 200:
            yield "\n".join(chunk) + "\n"
            chunk = []
    if chunk:
        yield "\n".join(chunk) + "\n"
