"""Machine-readable public outputs: the Atom feed, the ClaimReview DataFeed and exports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import (
    Response,
    abort,
    render_template,
    request,
    stream_with_context,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.extensions import db
from tracker.models import CHANGE_EVENTS, Claim, Verdict, VerdictEvent
from tracker.public.cache import cached
from tracker.public.claimreview import iter_reviewed_claims, stream_datafeed
from tracker.public.exports import stream_csv, stream_jsonl
from tracker.public.filters import ClaimFilters, parse_filters, problems_as_text
from tracker.public.listing import candidate_select
from tracker.public.urls import absolute_url
from tracker.public.views import bp, publisher
from tracker.text import without_controls

FEED_SIZE = 50


@dataclass
class FeedEntry:
    claim: Claim
    updated: datetime
    note: str | None


def _strict_filters() -> ClaimFilters:
    """Feeds and exports are read by programs: a bad filter is an error, not a notice."""
    parsed = parse_filters(request.args, allow_page=False, session=db.read_session)
    if parsed.problems:
        abort(400, description=problems_as_text(parsed.problems))
    return parsed.filters


def feed_entries(session: Session, filters: ClaimFilters, size: int = FEED_SIZE) -> list[FeedEntry]:
    """The most recently published or updated public claims that FILTERS select."""
    stmt = candidate_select(session, filters)
    if stmt is None:
        return []
    base = stmt.with_only_columns(Claim.id).order_by(None)
    last_update = func.max(Verdict.at).label("at")
    updated = dict(
        session.execute(
            select(Verdict.claim_id, last_update)
            .where(Verdict.event.in_((*CHANGE_EVENTS, VerdictEvent.RETRACTED)))
            .where(Verdict.claim_id.in_(base))
            .group_by(Verdict.claim_id)
            .order_by(last_update.desc())
            .limit(size)
        ).all()
    )
    newest = list(
        session.scalars(base.order_by(Claim.published_at.desc(), Claim.id.desc()).limit(size))
    )
    ids = set(newest) | set(updated)
    claims = session.scalars(select(Claim).where(Claim.id.in_(ids))).all()
    notes = {
        claim_id: note
        for claim_id, note in session.execute(
            select(Verdict.claim_id, Verdict.note)
            .where(Verdict.claim_id.in_(ids), Verdict.event.in_(CHANGE_EVENTS))
            .order_by(Verdict.at)
        )
    }
    entries = []
    for claim in claims:
        published = claim.published_at or claim.created_at
        changed = updated.get(claim.id)
        when = max(published, changed) if changed else published
        entries.append(FeedEntry(claim, when, claim.correction_note or notes.get(claim.id)))
    entries.sort(key=lambda e: (e.updated, e.claim.id), reverse=True)
    return entries[:size]


@bp.get("/feeds/claims.atom")
def claims_feed() -> Response:
    filters = _strict_filters()
    entries = cached(("feed", repr(filters)), lambda: feed_entries(db.read_session, filters))
    updated = entries[0].updated if entries else datetime(2000, 1, 1, tzinfo=UTC)
    body = render_template(
        "public/claims.atom.xml",
        entries=entries,
        updated=updated,
        publisher=publisher(),
        self_url=absolute_url("public.claims_feed", **filters.params()),
        alternate_url=absolute_url("public.search", **filters.params()),
    )
    # Records stored before control characters were refused on input may still hold one;
    # XML allows none, and one would make the whole feed unreadable.
    return Response(without_controls(body), mimetype="application/atom+xml")


def _own_session(make_stream: Callable[[Session], Iterator[str]]) -> Iterator[str]:
    """Run a streamed body on a session of its own, closed when the stream ends.

    The request's session is closed when the view returns, before a streamed body is read.
    """
    session = db.read_sessionmaker()
    try:
        yield from make_stream(session)
    finally:
        session.close()


@bp.get("/claimreview.json")
def claimreview_feed() -> Response:
    site = publisher()
    # When the published record last changed, not the time of the request (with that, the
    # feed looked changed to every reader that polled it). A claim taken back down changes
    # its own time too, so claims ever published cover the feed's removals as well.
    changed = db.session.scalar(
        select(func.max(Claim.updated_at)).where(Claim.published_at.is_not(None))
    )
    modified = (changed or datetime.now(UTC)).replace(microsecond=0)
    stream = _own_session(
        lambda session: stream_datafeed(iter_reviewed_claims(session, site), date_modified=modified)
    )
    return Response(stream_with_context(stream), mimetype="application/ld+json")


def _download(stream: Iterator[str], mimetype: str, name: str) -> Response:
    response = Response(stream_with_context(stream), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/exports/claims.csv")
def export_csv() -> Response:
    filters = _strict_filters()
    stream = _own_session(lambda session: stream_csv(session, filters, absolute_url))
    return _download(stream, "text/csv", "claims.csv")


@bp.get("/exports/claims.jsonl")
def export_jsonl() -> Response:
    filters = _strict_filters()
    stream = _own_session(lambda session: stream_jsonl(session, filters, absolute_url))
    return _download(stream, "application/x-ndjson", "claims.jsonl")
