"""CSV and JSONL exports of any search, streamed in batches (memory does not grow with rows).

Without a query every public claim matching the filters is exported, by id, read in
batches by key (``id > last``). With a query the best `SEARCH_EXPORT_LIMIT` ranked hits are
exported in rank order. CSV cells are protected against formula injection by
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
from tracker.models import Appearance, Claim
from tracker.public.filters import ClaimFilters, apply_filters
from tracker.public.listing import candidate_select
from tracker.public.visibility import public_claim_condition

BATCH = 1_000
SEARCH_EXPORT_LIMIT = 10_000
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
    "appearance_count",
    "rationale",
)


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


def _batches_ranked(session: Session, filters: ClaimFilters) -> Iterator[list[int]]:
    stmt, _ = candidate_select(session, filters, rank_limit=SEARCH_EXPORT_LIMIT)
    if stmt is None:
        return
    ids = [row.id for row in session.execute(stmt.limit(SEARCH_EXPORT_LIMIT))]
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def iter_export_claims(session: Session, filters: ClaimFilters) -> Iterator[Claim]:
    """The public claims FILTERS select, with what the export rows need, batch by batch."""
    batches = _batches_ranked if filters.q else _batches_by_key
    for ids in batches(session, filters):
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
                yield by_id[claim_id]
        session.expunge_all()


def export_record(claim: Claim, url_for: UrlFor) -> dict[str, Any]:
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
        appearance_count=len(claim.appearances),
    )
    return record


def _csv_value(key: str, record: dict[str, Any]) -> str:
    value = record.get(key)
    if key == "rating":
        value = value["value"] if value else None
    elif key == "outlets":
        value = "; ".join(o["name"] for o in value)
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
    for count, claim in enumerate(iter_export_claims(session, filters), 1):
        record = export_record(claim, url_for)
        writer.writerow([_csv_value(key, record) for key in CSV_COLUMNS])
        if count % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def stream_jsonl(session: Session, filters: ClaimFilters, url_for: UrlFor) -> Iterator[str]:
    chunk: list[str] = []
    for claim in iter_export_claims(session, filters):
        chunk.append(json.dumps(export_record(claim, url_for), ensure_ascii=False))
        if len(chunk) >= 200:
            yield "\n".join(chunk) + "\n"
            chunk = []
    if chunk:
        yield "\n".join(chunk) + "\n"
