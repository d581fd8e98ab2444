"""Outlets and narratives in the desk: list, create, edit, merge."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from werkzeug.wrappers import Response

from tracker.desk import bp
from tracker.desk.forms.records import MergeForm, NarrativeForm, NarrativeMergeForm, OutletForm
from tracker.desk.helpers import actor, attach_errors, form_version, has_errors
from tracker.desk.listing import list_page
from tracker.desk.views.conflicts import Row, record_conflict
from tracker.errors import DomainError, EditConflict, ValidationFailed
from tracker.extensions import db
from tracker.models import (
    Appearance,
    Narrative,
    Outlet,
    OutletHandle,
    OutletKind,
    claim_narratives,
)
from tracker.services import narratives as narrative_service
from tracker.services import outlets as outlet_service
from tracker.services import permissions
from tracker.services.validation import row_id, without_nul

OUTLET_COMPARED = ["name", "kind", "country", "state_affiliated", "description"]


def _outlet_input(form: OutletForm) -> outlet_service.OutletInput:
    return outlet_service.OutletInput(
        name=form.name.data or "",
        kind=OutletKind(form.kind.data),
        country=form.country.data,
        state_affiliated=bool(form.state_affiliated.data),
        description=form.description.data,
        handles=[line for line in (form.handles.data or "").splitlines() if line.strip()],
    )


@bp.get("/outlets/")
def outlets() -> str:
    counts = (
        select(Appearance.outlet_id, func.count(func.distinct(Appearance.claim_id)).label("claims"))
        .group_by(Appearance.outlet_id)
        .subquery()
    )
    listing = list_page(
        select(Outlet, func.coalesce(counts.c.claims, 0))
        .outerjoin(counts, counts.c.outlet_id == Outlet.id)
        .where(Outlet.deleted_at.is_(None))  # a merged outlet is deleted too
        .order_by(Outlet.name, Outlet.id),
        lambda words: or_(
            func.lower(Outlet.name).contains(words, autoescape=True),
            Outlet.handles.any(OutletHandle.value.contains(words, autoescape=True)),
        ),
    )
    return render_template("desk/outlets.html", listing=listing)


@bp.get("/outlets/lookup")
def outlet_lookup() -> Response:
    """Outlets matching what is typed (name or domain prefix), for the as-you-type list."""
    found = outlet_service.lookup(db.session, without_nul(request.args.get("q", ""))[:200])
    return jsonify(
        outlets=[
            {"id": o.id, "name": o.name, "handles": [h.value for h in o.handles]} for o in found
        ]
    )


@bp.route("/outlets/new", methods=["GET", "POST"])
def outlet_new() -> str | Response | tuple[str, int]:
    form = OutletForm()
    if form.validate_on_submit():
        try:
            outlet = outlet_service.create_outlet(db.session, _outlet_input(form), by=actor())
            db.session.commit()
            flash(f"Outlet {outlet.name} created.", "success")
            return redirect(url_for("desk.outlets"))
        except ValidationFailed as exc:
            db.session.rollback()
            attach_errors(form, exc)
    status = 400 if has_errors(form) else 200
    return render_template("desk/outlet_form.html", form=form, outlet=None), status


@bp.route("/outlets/<int:outlet_id>/edit", methods=["GET", "POST"])
def outlet_edit(outlet_id: int) -> str | Response | tuple[str, int]:
    outlet = outlet_service.get_outlet(db.session, outlet_id)
    if outlet.merged_into_id is not None:
        # Its edits would change nothing anyone sees: it is only a pointer now.
        became = outlet_service.merge_destination(db.session, outlet)
        flash(f"“{outlet.name}” was merged into “{became.name}”; this is “{became.name}”.", "info")
        return redirect(url_for("desk.outlet_edit", outlet_id=became.id))
    form = OutletForm(obj=outlet if request.method == "GET" else None)
    conflict = None
    if request.method == "GET":
        form.kind.data = outlet.kind.value
        form.handles.data = "\n".join(h.value for h in outlet.handles)
        form.version.data = str(outlet.version)
    elif form.validate():
        try:
            outlet_service.update_outlet(
                db.session,
                outlet,
                _outlet_input(form),
                expected_version=form_version(form),
                by=actor(),
            )
            db.session.commit()
            flash("Outlet saved.", "success")
            return redirect(url_for("desk.outlets"))
        except ValidationFailed as exc:
            db.session.rollback()
            attach_errors(form, exc)
        except EditConflict as exc:
            db.session.rollback()
            outlet = db.session.get_one(Outlet, outlet_id)
            handles = Row(
                form.handles.label.text,
                "\n".join(h.value for h in outlet.handles),
                (form.handles.data or "").strip(),
            )
            conflict = record_conflict(
                exc.message, "outlet", outlet, form, OUTLET_COMPARED, [handles]
            )
            form.version.data = str(outlet.version)
    status = 409 if conflict else (400 if has_errors(form) else 200)
    return render_template(
        "desk/outlet_form.html", form=form, outlet=outlet, conflict=conflict
    ), status


@bp.route("/outlets/<int:outlet_id>/merge", methods=["GET", "POST"])
def outlet_merge(outlet_id: int) -> str | Response | tuple[str, int]:
    source = outlet_service.get_outlet(db.session, outlet_id)
    if source.merged_into_id is not None:
        abort(404)
    form = MergeForm()
    if form.validate_on_submit():
        target = outlet_service.find_by_name_or_handle(db.session, form.target.data or "")
        if target is None:
            form.target.errors = [f"No outlet is called “{form.target.data}”."]
        else:
            try:
                outlet_service.merge_outlets(db.session, source, target, by=actor())
                db.session.commit()
                flash(f"Merged {source.name} into {target.name}.", "success")
                return redirect(url_for("desk.outlets"))
            except DomainError as exc:
                db.session.rollback()
                form.target.errors = [exc.message]
    status = 400 if form.errors else 200
    return render_template("desk/outlet_merge.html", form=form, outlet=source), status


@bp.get("/narratives/")
def narratives() -> str:
    counts = (
        select(claim_narratives.c.narrative_id, func.count().label("claims"))
        .group_by(claim_narratives.c.narrative_id)
        .subquery()
    )
    listing = list_page(
        select(Narrative, func.coalesce(counts.c.claims, 0))
        .outerjoin(counts, counts.c.narrative_id == Narrative.id)
        .where(Narrative.deleted_at.is_(None))
        .order_by(Narrative.name, Narrative.id),
        lambda words: func.lower(Narrative.name).contains(words, autoescape=True),
    )
    return render_template("desk/narratives.html", listing=listing)


@bp.route("/narratives/new", methods=["GET", "POST"])
def narrative_new() -> str | Response | tuple[str, int]:
    form = NarrativeForm()
    if form.validate_on_submit():
        try:
            narrative_service.create_narrative(
                db.session, form.name.data or "", form.description.data, by=actor(), reuse=False
            )
            db.session.commit()
            flash("Narrative saved.", "success")
            return redirect(url_for("desk.narratives"))
        except ValidationFailed as exc:
            db.session.rollback()
            attach_errors(form, exc)
    status = 400 if has_errors(form) else 200
    return render_template("desk/narrative_form.html", form=form, narrative=None), status


@bp.route("/narratives/<int:narrative_id>/edit", methods=["GET", "POST"])
def narrative_edit(narrative_id: int) -> str | Response | tuple[str, int]:
    narrative = db.session.get(Narrative, narrative_id)
    if narrative is None or narrative.deleted_at is not None:
        abort(404)
    form = NarrativeForm(obj=narrative if request.method == "GET" else None)
    if request.method == "POST" and form.validate():
        try:
            narrative_service.update_narrative(
                db.session, narrative, form.name.data or "", form.description.data, by=actor()
            )
            db.session.commit()
            flash("Narrative saved.", "success")
            return redirect(url_for("desk.narratives"))
        except ValidationFailed as exc:
            db.session.rollback()
            attach_errors(form, exc)
    status = 400 if has_errors(form) else 200
    return render_template(
        "desk/narrative_form.html",
        form=form,
        narrative=narrative,
        merge_form=_merge_form(narrative) if permissions.is_editor(current_user) else None,
    ), status


def _merge_form(narrative: Narrative) -> NarrativeMergeForm:
    """Merging into another narrative: the ones in use, by name."""
    form = NarrativeMergeForm(formdata=None)
    others = db.session.scalars(
        select(Narrative)
        .where(Narrative.deleted_at.is_(None), Narrative.id != narrative.id)
        .order_by(Narrative.name)
    )
    form.target.choices = [("", "Choose the narrative that stays")] + [
        (str(other.id), other.name) for other in others
    ]
    return form


@bp.post("/narratives/<int:narrative_id>/merge")
def narrative_merge(narrative_id: int) -> Response:
    """Move a narrative's claims to another one and delete it (a duplicate or a typo)."""
    narrative = db.session.get(Narrative, narrative_id)
    if narrative is None or narrative.deleted_at is not None:
        abort(404)
    target = db.session.get(Narrative, row_id(request.form.get("target")) or 0)
    if target is None:
        flash("Choose the narrative to merge this one into.", "error")
        return redirect(url_for("desk.narrative_edit", narrative_id=narrative_id))
    name = narrative.name
    try:
        narrative_service.merge_narratives(db.session, narrative, target, by=actor())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("desk.narrative_edit", narrative_id=narrative_id))
    flash(f"“{name}” is merged into “{target.name}”; its claims now serve that one.", "success")
    return redirect(url_for("desk.narratives"))
