"""Creating and editing claims and their appearances, narratives and countries."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit import Actor, changed, json_value, record_event, values_of
from tracker.errors import EditConflict, NotFound, PermissionDenied, ValidationFailed
from tracker.models import (
    Appearance,
    Article,
    Claim,
    ClaimArticleLink,
    ClaimFigureLink,
    ClaimLink,
    ClaimStatus,
    Country,
    Figure,
    LinkStatus,
    Narrative,
    Rating,
    VerdictEvent,
    utcnow,
)
from tracker.models.claim import CLAIMANT_LIMIT, RATIONALE_LIMIT, SUMMARY_LIMIT, TEXT_LIMIT
from tracker.services import public_record, validation
from tracker.services.appearances import (
    AppearanceInput,
    attach_snapshot,
    outlet_problem,
    sync_appearances,
)
from tracker.services.duplicates import find_duplicates  # noqa: F401 - the service's name for it
from tracker.services.figure_checks import compare_again, refresh_link
from tracker.services.indexing import reindex_claims
from tracker.services.permissions import is_editor, require_edit
from tracker.services.validation import canonical_url
from tracker.services.workflow import record_verdict
from tracker.xref.fingerprint import claim_fingerprint

CLAIM_FIELDS = [
    "text", "language", "summary_en", "status", "rating", "rationale", "first_seen",
    "correction_note", "assignee_id", "deleted_at", "claimant",
]  # fmt: skip


@dataclass
class ClaimInput:
    text: str
    language: str | None = None
    summary_en: str | None = None
    rating: Rating | None = None
    rationale: str | None = None
    narrative_ids: list[int] = field(default_factory=list)
    country_codes: list[str] = field(default_factory=list)
    appearances: list[AppearanceInput] = field(default_factory=list)
    # None leaves the claim's links alone; a list makes exactly these the manual links.
    article_ids: list[int] | None = None
    figure_ids: list[int] | None = None
    external_id: str | None = None
    # None leaves the claimant alone (the desk form does not edit it).
    claimant: str | None = None
    # What readers are told when the wording of a public claim is corrected (required then).
    public_note: str | None = None


def claim_values(claim: Claim) -> dict[str, Any]:
    """What the audit trail and the conflict page show of a claim."""
    values = values_of(claim, CLAIM_FIELDS)
    values["narratives"] = sorted(n.slug for n in claim.narratives)
    values["countries"] = sorted(c.code for c in claim.countries)
    values["appearances"] = [a.url for a in claim.appearances]
    return values


def _edit_values(claim: Claim) -> dict[str, Any]:
    """What the audit trail of an edit shows: `claim_values` and each link's date, platform
    and outlet (the URLs alone did not show a changed date)."""
    return {
        **claim_values(claim),
        "appearance_details": [
            f"{a.url} | {json_value(a.appeared_on) or 'no date'} | {a.platform or 'no platform'}"
            f" | outlet {a.outlet_id or 'none'}"
            for a in claim.appearances
        ],
    }


def _manual_links(session: Session, claim: Claim) -> dict[str, Any]:
    from tracker.services.links import confirmed_target_ids

    return {
        "debunk_articles": confirmed_target_ids(session, ClaimArticleLink, "article_id", claim.id),
        "figures": confirmed_target_ids(session, ClaimFigureLink, "figure_id", claim.id),
    }


def validate(data: ClaimInput) -> None:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str | None) -> None:
        if message:
            errors.setdefault(name, []).append(message)

    if not data.text.strip():
        add("text", "Enter the claim as it was made.")
    add("text", validation.length_problem(data.text, TEXT_LIMIT, "The claim"))
    add("summary_en", validation.length_problem(data.summary_en, SUMMARY_LIMIT, "The summary"))
    add("rationale", validation.length_problem(data.rationale, RATIONALE_LIMIT, "The rationale"))
    add("language", validation.language_problem(data.language))
    add("claimant", validation.length_problem(data.claimant, CLAIMANT_LIMIT, "The claimant"))
    add("external_id", validation.length_problem(data.external_id, 500, "The external id"))
    seen: set[str] = set()
    for index, appearance in enumerate(data.appearances):
        key = f"appearances-{index}"
        add(f"{key}-url", validation.url_problem(appearance.url))
        add(f"{key}-appeared_on", validation.date_problem(appearance.appeared_on, "The date"))
        if appearance.url in seen:
            add(f"{key}-url", "This link is listed twice.")
        seen.add(appearance.url)
    if errors:
        raise ValidationFailed(errors)


def _check_external_id(session: Session, external_id: str | None, claim_id: int | None) -> None:
    if not external_id:
        return
    query = select(Claim.id).where(Claim.external_id == external_id)
    if claim_id is not None:
        query = query.where(Claim.id != claim_id)
    other = session.scalar(query)
    if other is not None:
        raise ValidationFailed({"external_id": [f"Claim {other} already has this external id."]})


def detect_language(text: str) -> str:
    """The language of a claim's text (`guess_text_language`), "und" when there is no telling
    or the guess is none of the desk's languages: a symbol-laden text guessed as Latin ("la")
    was stored with a code that the desk, the API and the public names could not take back."""
    from tracker.capture.language import guess_text_language
    from tracker.wording import LANGUAGE_NAMES

    guess = guess_text_language(text)
    return guess if guess in LANGUAGE_NAMES else "und"


def _narratives(session: Session, ids: list[int]) -> list[Narrative]:
    found = list(session.scalars(select(Narrative).where(Narrative.id.in_(ids)))) if ids else []
    if len(found) != len(set(ids)):
        raise ValidationFailed({"narratives": ["One of the chosen narratives does not exist."]})
    return found


def _countries(session: Session, codes: list[str]) -> list[Country]:
    from tracker.services.countries import ensure_countries

    try:
        return ensure_countries(session, codes)
    except KeyError as exc:
        raise ValidationFailed({"countries": [f"Unknown country code {exc.args[0]}."]}) from exc


def _apply(session: Session, claim: Claim, data: ClaimInput) -> None:
    claim.text = data.text.strip()
    claim.language = data.language or detect_language(claim.text)
    claim.summary_en = (data.summary_en or "").strip() or None
    claim.rating = data.rating
    claim.rationale = (data.rationale or "").strip() or None
    claim.fingerprint = claim_fingerprint(claim.text)
    if data.external_id:
        claim.external_id = data.external_id
    if data.claimant is not None:
        claim.claimant = data.claimant.strip() or None
    claim.narratives = _narratives(session, data.narrative_ids)
    claim.countries = _countries(session, data.country_codes)
    sync_appearances(session, claim, data.appearances)
    dates = [a.appeared_on for a in claim.appearances if a.appeared_on]
    claim.first_seen = min(dates) if dates else claim.first_seen
    _link_manually(session, claim, data.article_ids, data.figure_ids)


def _link_manually(
    session: Session, claim: Claim, article_ids: list[int] | None, figure_ids: list[int] | None
) -> None:
    """Links chosen by a person in the form are confirmed; links taken out are rejected."""
    if claim.id is None:
        session.flush()
    if article_ids is not None:
        _set_links(
            session,
            claim,
            ClaimArticleLink,
            "article_id",
            Article,
            article_ids,
            "article_ids",
            "debunk article",
        )
    if figure_ids is not None:
        created = _set_links(
            session, claim, ClaimFigureLink, "figure_id", Figure, figure_ids, "figure_ids", "figure"
        )
        for link in created:
            # A figure linked by hand still gets the comparison in words and numbers.
            refresh_link(link, claim, session.get_one(Figure, link.figure_id))


_Link = TypeVar("_Link", bound=ClaimArticleLink | ClaimFigureLink | ClaimLink)


def _set_links(
    session: Session,
    claim: Claim,
    link_model: type[_Link],
    key: str,
    target: type,
    wanted: list[int],
    field_name: str,
    label: str,
) -> list[_Link]:
    """Make exactly `wanted` the confirmed links of one kind; returns the links created."""
    links = list(session.scalars(select(link_model).where(link_model.claim_id == claim.id)))
    by_target: dict[int, list[_Link]] = {}
    for link in links:
        by_target.setdefault(getattr(link, key), []).append(link)
    now = utcnow()
    created: list[_Link] = []
    for target_id in dict.fromkeys(wanted):
        if session.get(target, target_id) is None:
            raise ValidationFailed({field_name: [f"There is no {label} {target_id}."]})
        existing = by_target.get(target_id)
        if not existing:
            link = link_model(
                claim_id=claim.id,
                status=LinkStatus.CONFIRMED,
                method="manual",
                reason="Linked by hand in the claim form.",
                score=1.0,
                decided_at=now,
                **{key: target_id},
            )
            session.add(link)
            created.append(link)
        for link in existing or []:
            if link.status != LinkStatus.CONFIRMED:
                link.status, link.decided_at = LinkStatus.CONFIRMED, now
    for target_id, existing in by_target.items():
        if target_id in wanted:
            continue
        for link in existing:
            if link.status == LinkStatus.CONFIRMED:
                link.status, link.decided_at = LinkStatus.REJECTED, now
    return created


def create_claim(session: Session, data: ClaimInput, *, by: Actor) -> Claim:
    """A new draft claim with its appearances; a proposed verdict is kept in the history."""
    validate(data)
    _check_external_id(session, data.external_id, None)
    claim = Claim(
        text=data.text,
        language="und",
        status=ClaimStatus.DRAFT,
        created_by_id=by.user_id,
        updated_by_id=by.user_id,
    )
    session.add(claim)
    # Inserted once, whole: an early autoflush would insert it half-filled, and the rest
    # would be an update that makes a new claim start at version 2.
    with session.no_autoflush:
        _apply(session, claim, data)
    session.flush()
    if claim.rating is not None:
        record_verdict(session, claim, VerdictEvent.PROPOSED, by.user_id, utcnow())
    record_event(session, "create", "claim", claim.id, by=by, after=claim_values(claim))
    reindex_claims(session, [claim.id])
    return claim


def update_claim(
    session: Session, claim: Claim, data: ClaimInput, *, expected_version: int, by: Actor
) -> Claim:
    """Save an edit made from `expected_version`; a newer save by someone else is a conflict."""
    require_edit(by.user, claim)
    validate(data)
    _check_external_id(session, data.external_id, claim.id)
    if claim.version != expected_version:
        raise EditConflict(
            f"Someone else saved this claim after you opened it (version {expected_version}; "
            f"now version {claim.version}).",
            current=claim_values(claim),
        )
    public_record.check_verdict_edit(claim, data.rating, data.rationale)
    public_record.check_wording_edit(claim, data.text, data.summary_en, data.public_note)
    corrected = public_record.wording_changed(claim, data.text, data.summary_en)
    if claim.status in public_record.VERDICT_LOCKED:  # kept exactly as published
        data = replace(data, rating=claim.rating, rationale=claim.rationale)
    before = {**_edit_values(claim), **_manual_links(session, claim)}
    rating_before = (claim.rating, claim.rationale)
    stamp = (claim.updated_at, claim.updated_by_id)
    try:
        # One save is one new version: nothing is flushed until the whole edit is applied.
        with session.no_autoflush:
            claim.updated_by_id = by.user_id
            claim.updated_at = utcnow()
            _apply(session, claim, data)
            if _edit_values(claim).items() <= before.items():
                # Saved unchanged: no new version (nothing else differs, so no UPDATE).
                claim.updated_at, claim.updated_by_id = stamp
        session.flush()
    except StaleDataError as exc:  # a concurrent save between our check and our write
        session.rollback()
        raise EditConflict("Someone else saved this claim at the same moment.") from exc
    old, new = changed(before, {**_edit_values(claim), **_manual_links(session, claim)})
    if not new:
        return claim  # nothing changed: nothing to record or index again
    if corrected:  # a dated public entry, as an updated verdict has
        record_verdict(
            session,
            claim,
            VerdictEvent.CORRECTED,
            by.user_id,
            utcnow(),
            note=(data.public_note or "").strip(),
        )
    if (claim.rating, claim.rationale) != rating_before and claim.rating is not None:
        record_verdict(session, claim, VerdictEvent.PROPOSED, by.user_id, utcnow())
    record_event(session, "update", "claim", claim.id, by=by, before=old, after=new)
    reindex_claims(session, [claim.id])
    if {"text", "summary_en"} & set(new):  # the numbers its figure checks read may differ
        compare_again(
            session.scalars(select(ClaimFigureLink).where(ClaimFigureLink.claim_id == claim.id))
        )
        session.flush()
    return claim


def add_appearance(
    session: Session, claim: Claim, item: AppearanceInput, *, by: Actor
) -> Appearance:
    """Record one more place where an existing claim appeared (a claim that keeps coming back)."""
    problems = {
        "url": validation.url_problem(item.url),
        "appeared_on": validation.date_problem(item.appeared_on, "The date"),
        "outlet_id": outlet_problem(session, item.outlet_id),
    }
    if any(problems.values()):
        raise ValidationFailed({name: [p] for name, p in problems.items() if p})
    existing = next((a for a in claim.appearances if canonical_url(a.url) == item.url), None)
    if existing is not None:
        return existing
    appearance = Appearance(
        url=item.url,
        appeared_on=item.appeared_on,
        outlet_id=item.outlet_id,
        platform=item.platform,
        language=item.language,
        title=item.title,
    )
    if item.snapshot_id is not None:
        attach_snapshot(session, appearance, item.snapshot_id)
    appearance.language = appearance.language or claim.language
    claim.appearances.append(appearance)
    if item.appeared_on and (claim.first_seen is None or item.appeared_on < claim.first_seen):
        claim.first_seen = item.appeared_on
    # A new link is a new version: an edit form opened before it must not drop it unseen.
    claim.updated_at = utcnow()
    claim.updated_by_id = by.user_id
    session.flush()
    record_event(
        session,
        "add_appearance",
        "claim",
        claim.id,
        by=by,
        after={"url": item.url, "appearance_id": appearance.id},
    )
    reindex_claims(session, [claim.id])
    return appearance


def get_claim(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"There is no claim {claim_id}.")
    return claim


def soft_delete(session: Session, claim: Claim, *, by: Actor) -> Claim:
    """Hide a claim from every list and page; an editor can restore it."""
    require_edit(by.user, claim)
    public_record.check_deletion(claim)
    before = claim_values(claim)  # all of it: what was deleted stays readable in the log
    claim.deleted_at = utcnow()
    claim.deleted_by_id = by.user_id
    after = {"deleted_at": json_value(claim.deleted_at), "deleted_by_id": claim.deleted_by_id}
    record_event(session, "delete", "claim", claim.id, by=by, before=before, after=after)
    reindex_claims(session, [claim.id])
    return claim


def restore(session: Session, claim: Claim, *, by: Actor) -> Claim:
    """Bring a deleted claim back, in the state it was deleted in (editors only)."""
    if not is_editor(by.user):
        raise PermissionDenied("Only editors can restore deleted claims.")
    if claim.deleted_at is None:  # nothing to restore, nothing to record
        return claim
    before = {"deleted_at": json_value(claim.deleted_at), "deleted_by_id": claim.deleted_by_id}
    claim.deleted_at = None
    claim.deleted_by_id = None
    after = {"deleted_at": None, "deleted_by_id": None}
    record_event(session, "restore", "claim", claim.id, by=by, before=before, after=after)
    reindex_claims(session, [claim.id])
    return claim
