"""Capturing a pasted URL: archive it now and tell the form what the page says."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import jsonify, request
from werkzeug.wrappers import Response

from tracker.capture import Capture
from tracker.desk import bp
from tracker.desk.forms.claims import ClaimForm
from tracker.desk.forms.fields import has_option, web_address
from tracker.desk.helpers import capture_settings, snapshot_store
from tracker.extensions import db
from tracker.interop.claimreview_model import ParsedReview
from tracker.interop.claimreview_parse import parse_claimreview
from tracker.services import outlets as outlet_service
from tracker.services.snapshots import CaptureOutcome, capture_snapshot
from tracker.services.validation import url_problem

TEXT_PREVIEW = 20_000


def _day(value: date | datetime | None) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return value.isoformat() if value else None


def reviews_in(capture: Capture) -> list[ParsedReview]:
    parsed = [parse_claimreview(raw, base_url=capture.final_url) for raw in capture.claim_reviews]
    return [review for review in parsed if isinstance(review, ParsedReview)]


def describe(outcome: CaptureOutcome) -> dict[str, Any]:
    """What the page said, as the forms need it (JSON for the as-you-paste script)."""
    snapshot = outcome.snapshot
    body: dict[str, Any] = {
        "ok": outcome.ok,
        "snapshot_id": snapshot.id,
        "url": snapshot.original_url,
    }
    if not outcome.ok:
        body["error"] = {"code": snapshot.error_code, "message": snapshot.error_message}
        return body
    capture = outcome.capture
    if capture is None:  # pragma: no cover - ok implies a capture
        return body
    outlet = outlet_service.find_by_url(db.session, capture.final_url)
    body.update(
        title=capture.title,
        byline=capture.byline,
        site_name=capture.site_name,
        published=_day(capture.published),
        language=capture.language,
        text=(capture.text or "")[:TEXT_PREVIEW],
        domain=capture.domain,
        handle=capture.handle,
        outlet={"id": outlet.id, "name": outlet.name} if outlet else None,
        claim_reviews=[_review(r) for r in reviews_in(capture)],
    )
    return body


def _review(review: ParsedReview) -> dict[str, Any]:
    return {
        "claim_reviewed": review.claim_reviewed,
        "rating_text": review.rating.alternate_name,
        "rating": review.mapping.rating if review.mapping else None,
        "rating_rule": review.mapping.rule if review.mapping else None,
        "publisher": review.publisher.name,
        "date_published": _day(review.date_published),
        "appearances": list(review.claim.appearances),
        "claimant": review.claim.claimant.name,
    }


@bp.post("/capture")
def capture() -> tuple[Response, int]:
    """Fetch and archive a pasted URL (called by the form script; CSRF-protected)."""
    url = web_address(request.form.get("url")) or ""  # as the form will read it
    problem = url_problem(url)
    if problem:
        return jsonify(error="Bad Request", message=problem), 400
    outcome = capture_snapshot(db.session, url, capture_settings(), snapshot_store())
    db.session.commit()
    return jsonify(describe(outcome)), 200


def fill_rows_from_links(form: ClaimForm) -> None:
    """The no-JavaScript path of 'Fetch link details': capture each new link, fill blanks."""
    for entry in form.appearances.entries:
        row = entry.form
        url = (row.url.data or "").strip()
        if not url or row.snapshot_id.data or url_problem(url):
            continue
        outcome = capture_snapshot(db.session, url, capture_settings(), snapshot_store())
        row.snapshot_id.data = str(outcome.snapshot.id)
        if outcome.capture is None:
            row.url.errors = [
                f"Could not archive this link: {outcome.snapshot.error_message} "
                "You can still save; it can be fetched again later."
            ]
            continue
        found = describe(outcome)
        if not row.appeared_on.data and found.get("published"):
            row.appeared_on.data = date.fromisoformat(found["published"])
        if not row.outlet.data and found.get("outlet"):
            row.outlet.data = found["outlet"]["name"]
        if not form.language.data and has_option(form.language, found.get("language")):
            form.language.data = found["language"]
    db.session.commit()
