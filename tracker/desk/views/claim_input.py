"""Turning a submitted claim form into service input (resolving outlets, narratives, links)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker.audit import Actor
from tracker.desk.forms.claims import ClaimForm
from tracker.desk.forms.fields import split_list
from tracker.errors import ValidationFailed
from tracker.models import Article, Claim, Figure, Rating, Snapshot
from tracker.services import articles as article_service
from tracker.services import narratives as narrative_service
from tracker.services import outlets as outlet_service
from tracker.services.claims import AppearanceInput, ClaimInput
from tracker.services.validation import row_id

RATINGS = {rating.value for rating in Rating}


def _outlet_for_row(session: Session, row, url: str, by: Actor, errors: dict) -> int | None:
    typed = (row.outlet.data or "").strip()
    if not typed:
        proposed = outlet_service.find_by_url(session, url)
        return proposed.id if proposed else None
    outlet = outlet_service.find_by_name_or_handle(session, typed)
    if outlet is not None:
        return outlet.id
    if not row.create_outlet.data:
        errors[row.outlet.name] = [
            f"No outlet is called “{typed}”. Pick one from the list, or tick "
            "“Create this outlet” to add it."
        ]
        return None
    # The new outlet takes the link's handle or host, unless another outlet already has it.
    first = outlet_service.url_candidates(url)[:1]
    free = [h for h in first if outlet_service.find_by_name_or_handle(session, h) is None]
    created = outlet_service.create_outlet(
        session, outlet_service.OutletInput(name=typed, handles=free), by=by
    )
    return created.id


def snapshot_for(session: Session, raw: str | None, url: str) -> int | None:
    snapshot_id = row_id(raw)
    if snapshot_id is None:
        return None
    snapshot = session.get(Snapshot, snapshot_id)
    # Only a snapshot of this very URL may be attached (the hidden field is user input).
    if snapshot is None or snapshot.original_url != url:
        return None
    return snapshot.id


def _article_ids(session: Session, refs: str | None, errors: dict) -> list[int]:
    ids = []
    for ref in split_list(refs):
        if ref.isdecimal():
            # Looked up here, with the form's other checks, not later by the service alone:
            # an unknown number came in a round of its own.
            if row_id(ref) is None or session.get(Article, int(ref)) is None:
                errors.setdefault("article_refs", []).append(f"There is no debunk article {ref}.")
            else:
                ids.append(int(ref))
            continue
        article = article_service.find_by_url(session, ref)
        if article is None:
            errors.setdefault("article_refs", []).append(
                f"No debunk article is recorded with the link {ref}."
            )
        else:
            ids.append(article.id)
    return ids


def _figure_ids(session: Session, refs: str | None, errors: dict) -> list[int]:
    ids = []
    for ref in split_list(refs):
        if not ref.isdecimal():
            errors.setdefault("figure_refs", []).append(f"“{ref}” is not a figure number.")
        elif row_id(ref) is None or session.get(Figure, int(ref)) is None:
            errors.setdefault("figure_refs", []).append(f"There is no figure {ref}.")
        else:
            ids.append(int(ref))
    return ids


def _appearances(session: Session, form, by: Actor, errors: dict) -> list[AppearanceInput]:
    appearances = []
    for entry in form.appearances.entries:
        row = entry.form
        url = (row.url.data or "").strip()
        if not url:
            continue
        appearances.append(
            AppearanceInput(
                url=url,
                appeared_on=row.appeared_on.data,
                outlet_id=_outlet_for_row(session, row, url, by, errors),
                platform=row.platform.data or None,
                snapshot_id=snapshot_for(session, row.snapshot_id.data, url),
            )
        )
    return appearances


def appearances_from_rows(session: Session, form, *, by: Actor) -> list[AppearanceInput]:
    """The link rows of a form (new outlets created when asked; flushed only)."""
    errors: dict[str, list[str]] = {}
    appearances = _appearances(session, form, by, errors)
    if errors:
        raise ValidationFailed(errors)
    return appearances


def claim_input_from_form(session: Session, form: ClaimForm, *, by: Actor) -> ClaimInput:
    """Resolve the form into a ClaimInput; may create outlets and narratives (flushed only)."""
    errors: dict[str, list[str]] = {}
    appearances = _appearances(session, form, by, errors)
    narrative_ids = list(form.narratives.data or [])
    for name in (form.new_narratives.data or "").split(";"):
        if not name.strip():
            continue
        try:
            narrative_ids.append(
                narrative_service.create_narrative(session, name.strip(), by=by).id
            )
        except ValidationFailed as refused:
            # The service names its field "name"; here the name is one of several typed.
            shown = name.strip() if len(name.strip()) <= 60 else name.strip()[:60] + "…"
            for problem in refused.errors.get("name", []):
                errors.setdefault("new_narratives", []).append(f"“{shown}”: {problem}")
    data = ClaimInput(
        text=form.text.data or "",
        language=form.language.data or None,
        summary_en=form.summary_en.data,
        # A rating not in the list is the form's own error; the record checks run anyway.
        rating=Rating(form.rating.data) if form.rating.data in RATINGS else None,
        rationale=form.rationale.data,
        narrative_ids=narrative_ids,
        country_codes=list(form.country_codes.data or []),
        appearances=appearances,
        article_ids=_article_ids(session, form.article_refs.data, errors),
        figure_ids=_figure_ids(session, form.figure_refs.data, errors),
        public_note=form.public_note.data,
    )
    if errors:
        raise ValidationFailed(errors)
    return data


def fill_form_from_claim(form: ClaimForm, claim: Claim) -> None:
    """Prefill the edit form with the stored claim (GET only)."""
    form.text.data = claim.text
    form.language.data = claim.language if claim.language != "und" else ""
    form.summary_en.data = claim.summary_en
    form.rating.data = claim.rating.value if claim.rating else ""
    form.rationale.data = claim.rationale
    form.narratives.data = [n.id for n in claim.narratives]
    form.country_codes.data = [c.code for c in claim.countries]
    form.version.data = str(claim.version)
    form.known_links.data = " ".join(a.url for a in claim.appearances)
    while len(form.appearances.entries):
        form.appearances.pop_entry()
    for appearance in claim.appearances:
        form.appearances.append_entry(
            {
                "url": appearance.url,
                "appeared_on": appearance.appeared_on,
                "outlet": appearance.outlet.name if appearance.outlet else "",
                "platform": appearance.platform or "web",
                "snapshot_id": str(appearance.snapshot_id or ""),
            }
        )
    if not claim.appearances:
        form.appearances.append_entry()
