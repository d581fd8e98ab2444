"""Recording and editing claims."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker import jobs
from tracker.desk import bp
from tracker.desk.forms.claims import AddLinksForm, ClaimForm
from tracker.desk.forms.fields import options
from tracker.desk.helpers import actor, attach_errors, form_version, has_errors, refuse
from tracker.desk.views.claim_input import (
    appearances_from_rows,
    claim_input_from_form,
    fill_form_from_claim,
)
from tracker.desk.views.conflicts import claim_conflict
from tracker.errors import DomainError, EditConflict, ValidationFailed
from tracker.extensions import db
from tracker.models import Claim, ClaimArticleLink, ClaimFigureLink, Narrative, Snapshot
from tracker.services import claims as claim_service
from tracker.services import permissions, workflow
from tracker.services.claims import ClaimInput
from tracker.services.countries import all_countries
from tracker.services.duplicates import Duplicates, claims_sharing_links, duplicates_for
from tracker.services.links import confirmed_target_ids
from tracker.services.validation import row_id
from tracker.xref.fingerprint import claim_fingerprint

FORM_ALIASES = {
    "article_ids": "article_refs",
    "figure_ids": "figure_refs",
    "narratives": "narratives",
    "countries": "country_codes",
}


def prepare(form: ClaimForm) -> ClaimForm:
    form.narratives.choices = options(
        (n.id, n.name)
        for n in db.session.scalars(
            select(Narrative).where(Narrative.deleted_at.is_(None)).order_by(Narrative.name)
        )
    )
    form.country_codes.choices = options(all_countries())
    return form


def row_snapshots(form: ClaimForm) -> dict[str, Snapshot]:
    """The snapshots the form's link rows point at, keyed by the id as the form holds it:
    the form says "Archived." only for those that were."""
    ids = [row_id(entry.form.snapshot_id.data) for entry in form.appearances.entries]
    wanted = [snapshot_id for snapshot_id in ids if snapshot_id is not None]
    if not wanted:
        return {}
    found = db.session.scalars(select(Snapshot).where(Snapshot.id.in_(wanted)))
    return {str(snapshot.id): snapshot for snapshot in found}


def handle_row_buttons(form: ClaimForm) -> bool:
    """'Add another link' and 'Fetch link details' re-show the form; True when one was used."""
    if form.add_link.data:
        if form.appearances.full:
            form.appearances.errors = [
                f"A claim takes at most {form.appearances.limit} links in one save; save, "
                "then edit the claim to add more."
            ]
        else:
            form.appearances.append_entry()
        return True
    if form.fetch_links.data:
        from tracker.desk.views.capture import fill_rows_from_links

        fill_rows_from_links(form)
        return True
    return False


def _check_records(form: ClaimForm) -> None:
    """Add the checks against the record (an unknown outlet, a debunk or figure that does
    not exist, a refused narrative name) to a form that failed its own, and undo what they
    created: so that the whole form is corrected in one round, not two."""
    try:
        claim_input_from_form(db.session, form, by=actor())
    except ValidationFailed as exc:
        attach_errors(form, exc, FORM_ALIASES)
    finally:
        db.session.rollback()


@bp.route("/claims/new", methods=["GET", "POST"])
def claim_new() -> str | Response | tuple[str, int]:
    form = prepare(ClaimForm())
    duplicates = Duplicates()
    saving = form.is_submitted() and not handle_row_buttons(form)
    if saving and form.validate():
        try:
            data = claim_input_from_form(db.session, form, by=actor())
            if not form.save_anyway.data:
                duplicates = duplicates_for(db.session, current_user, data.text, data.language)
            if duplicates:
                db.session.rollback()
            else:
                claim = claim_service.create_claim(db.session, data, by=actor())
                return _after_save(form, claim, "Claim saved as a draft.")
        except ValidationFailed as exc:
            db.session.rollback()
            attach_errors(form, exc, FORM_ALIASES)
    elif saving:
        _check_records(form)
    status = 400 if form.is_submitted() and has_errors(form) else 200
    return render_template(
        "desk/claim_new.html", form=form, duplicates=duplicates, snapshots=row_snapshots(form)
    ), status


@bp.route("/claims/<int:claim_id>/edit", methods=["GET", "POST"])
def claim_edit(claim_id: int) -> str | Response | tuple[str, int]:
    claim = permissions.require_view(current_user, db.session.get(Claim, claim_id), claim_id)
    try:
        permissions.require_edit(current_user, claim)
    except DomainError as exc:
        refuse(claim.id, "edit", exc)
        return redirect(url_for("desk.claim", claim_id=claim.id))
    form = prepare(ClaimForm())
    conflict = None
    duplicates = Duplicates()
    saving = request.method == "POST" and not handle_row_buttons(form)
    if request.method == "GET":
        fill_form_from_claim(form, claim)
        articles = confirmed_target_ids(db.session, ClaimArticleLink, "article_id", claim.id)
        form.article_refs.data = " ".join(str(i) for i in articles)
        figures = confirmed_target_ids(db.session, ClaimFigureLink, "figure_id", claim.id)
        form.figure_refs.data = " ".join(str(i) for i in figures)
    elif saving and form.validate():
        try:
            data = claim_input_from_form(db.session, form, by=actor())
            duplicates = _duplicates_of_edit(form, claim, data)
            if duplicates:
                db.session.rollback()
                claim = db.session.get_one(Claim, claim_id)
            else:
                claim = claim_service.update_claim(
                    db.session, claim, data, expected_version=form_version(form), by=actor()
                )
                return _after_save(form, claim, "Claim saved.")
        except ValidationFailed as exc:
            db.session.rollback()
            attach_errors(form, exc, FORM_ALIASES)
        except EditConflict as exc:
            db.session.rollback()
            claim = db.session.get_one(Claim, claim_id)
            conflict = claim_conflict(exc.message, claim, form)
            # Saving again now is a deliberate overwrite of the version shown beside it.
            form.version.data = str(claim.version)
    elif saving:
        _check_records(form)
    status = 409 if conflict else (400 if form.is_submitted() and has_errors(form) else 200)
    return render_template(
        "desk/claim_edit.html",
        form=form,
        claim=claim,
        conflict=conflict,
        duplicates=duplicates,
        snapshots=row_snapshots(form),
    ), status


def _duplicates_of_edit(form: ClaimForm, claim: Claim, data: ClaimInput) -> Duplicates:
    """Other claims with the text an edit gives this one (only when the text changes)."""
    language = data.language or claim.language
    unchanged = claim_fingerprint(data.text) == claim.fingerprint and language == claim.language
    if form.save_anyway.data or unchanged:
        return Duplicates()
    return duplicates_for(db.session, current_user, data.text, language, exclude_id=claim.id)


def archive(claim: Claim) -> None:
    """Commit, then archive the links that have no snapshot yet and refresh the claim's
    cross-reference suggestions (in the background when a worker runs; otherwise here)."""
    jobs.after_claim_saved(db.session, claim, by=actor())
    db.session.expire(claim)
    waiting = [a for a in claim.appearances if a.snapshot is None or not a.snapshot.ok]
    if waiting:
        # The buttons the claim page shows beside these links (as claim.html names them).
        buttons = sorted({"Fetch again" if a.snapshot else "Archive now" for a in waiting})
        flash(
            "Some links are not archived yet: "
            + ", ".join(a.url for a in waiting)
            + ". Use “"
            + "” or “".join(buttons)
            + "” beside them below.",
            "error",
        )


def _after_save(form: ClaimForm, claim: Claim, message: str) -> Response:
    """Commit the save, archive new links, and submit when that button was used."""
    archive(claim)
    if form.submit_review.data:
        try:
            workflow.apply(db.session, claim, workflow.Action.SUBMIT, by=actor())
            db.session.commit()
            message = "Claim saved and submitted for review."
        except DomainError as exc:
            refuse(claim.id, workflow.Action.SUBMIT.value, exc)
            return redirect(url_for("desk.claim", claim_id=claim.id))
    flash(message, "success")
    _tell_of_shared_links(claim)
    return redirect(url_for("desk.claim", claim_id=claim.id))


def _tell_of_shared_links(claim: Claim) -> None:
    others = claims_sharing_links(db.session, current_user, claim)
    if others:
        named = ", ".join(f"claim {other.id}" for other in others[:5])
        more = f" and {len(others) - 5} more" if len(others) > 5 else ""
        flash(
            f"A link of this claim is also a link of {named}{more}: if one of them says the "
            "same in other words, add the links there and delete this one.",
            "info",
        )


@bp.post("/claims/<int:claim_id>/appearances")
def claim_add_appearances(claim_id: int) -> str | Response | tuple[str, int]:
    """Add the links typed for a new claim to an existing one (the duplicate panel's button).

    Every row is checked before any is added; a refused row shows this form again with
    the reason next to it and every link as it was typed.
    """
    claim = permissions.require_view(current_user, db.session.get(Claim, claim_id), claim_id)
    form = AddLinksForm()
    if form.validate():
        try:
            items = appearances_from_rows(db.session, form, by=actor())
            if not items:
                raise ValidationFailed({"appearances": ["Type at least one link."]})
            added = 0
            for item in items:
                before = len(claim.appearances)
                claim_service.add_appearance(db.session, claim, item, by=actor())
                added += len(claim.appearances) - before
            archive(claim)
            flash(
                f"Added {added} link(s) to this claim."
                if added
                else "These links were already recorded for this claim.",
                "success",
            )
            return redirect(url_for("desk.claim", claim_id=claim.id))
        except ValidationFailed as exc:
            db.session.rollback()
            claim = db.session.get_one(Claim, claim_id)
            attach_errors(form, exc)
    return render_template("desk/claim_add_links.html", form=form, claim=claim), 400


__all__ = ["claim_add_appearances", "claim_edit", "claim_new", "refuse"]
