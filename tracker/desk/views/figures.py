"""Figures in the desk: published numbers with their source, and their breakdowns."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from tracker import jobs
from tracker.desk import bp
from tracker.desk.forms.records import FigureForm
from tracker.desk.forms.workflow import EmptyForm
from tracker.desk.helpers import actor, attach_errors, form_version, has_errors
from tracker.desk.views.conflicts import Conflict, Row, record_conflict, shown
from tracker.errors import EditConflict, ValidationFailed
from tracker.extensions import db
from tracker.models import Figure, FigureKind, FigureQualifier
from tracker.services import figures as figure_service
from tracker.services.permissions import can_view

# The fields the conflict page compares, in the form's order.
FIGURE_COMPARED = [
    "subject", "qualifier", "value", "kind", "unit", "currency", "lower_bound", "upper_bound",
    "period_start", "period_end", "place", "publisher", "cited_source", "published_on",
    "source_url", "article_id", "quote",
]  # fmt: skip


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _figure_input(form: FigureForm) -> figure_service.FigureInput:
    parts = []
    for entry in form.parts.entries:
        label, value = (entry.form.label.data or "").strip(), entry.form.value.data
        if value is None and label:
            raise ValidationFailed({f"{entry.name}-value": ["Enter this part's value."]})
        if value is not None:
            parts.append(figure_service.PartInput(label=label, value=float(value)))
    return figure_service.FigureInput(
        subject=form.subject.data or "",
        value=float(form.value.data or 0),
        qualifier=FigureQualifier(form.qualifier.data),
        kind=FigureKind(form.kind.data),
        lower_bound=_number(form.lower_bound.data),
        upper_bound=_number(form.upper_bound.data),
        unit=form.unit.data,
        currency=form.currency.data,
        period_start=form.period_start.data,
        period_end=form.period_end.data,
        place=form.place.data,
        publisher=form.publisher.data,
        cited_source=form.cited_source.data,
        source_url=form.source_url.data,
        published_on=form.published_on.data,
        article_id=form.article_id.data,
        quote=form.quote.data,
        parts=parts,
    )


def _add_part(form: FigureForm) -> None:
    if form.parts.full:
        form.parts.errors = [f"A figure has at most {form.parts.limit} parts."]
    else:
        form.parts.append_entry()


@bp.get("/figures/")
def figures() -> str:
    rows = db.session.scalars(
        select(Figure)
        .where(Figure.parent_id.is_(None), Figure.deleted_at.is_(None))
        .order_by(Figure.created_at.desc())
        .limit(200)
    ).all()
    return render_template("desk/figures.html", figures=rows)


@bp.route("/figures/new", methods=["GET", "POST"])
def figure_new() -> str | Response | tuple[str, int]:
    form = FigureForm()
    if form.is_submitted() and form.add_part.data:
        _add_part(form)
    elif form.validate_on_submit():
        try:
            figure = figure_service.create_figure(db.session, _figure_input(form), by=actor())
            jobs.after_record_saved(db.session, "figure", figure.id, by=actor())
            flash("Figure saved.", "success")
            return redirect(url_for("desk.figure", figure_id=figure.id))
        except ValidationFailed as exc:
            db.session.rollback()
            attach_errors(form, exc)
    status = 400 if form.is_submitted() and not form.add_part.data and has_errors(form) else 200
    return render_template("desk/figure_form.html", form=form, figure=None), status


@bp.route("/figures/<int:figure_id>/edit", methods=["GET", "POST"])
def figure_edit(figure_id: int) -> str | Response | tuple[str, int]:
    figure = figure_service.get_figure(db.session, figure_id)
    form = FigureForm(obj=figure if request.method == "GET" else None)
    conflict = None
    if request.method == "GET":
        form.qualifier.data, form.kind.data = figure.qualifier.value, figure.kind.value
        form.version.data = str(figure.version)
        while form.parts.entries:
            form.parts.pop_entry()
        for part in figure.parts:
            form.parts.append_entry({"label": part.label, "value": Decimal(str(part.value))})
        form.parts.append_entry()
    elif form.add_part.data:
        _add_part(form)
    elif form.validate():
        try:
            saved = figure_service.update_figure(
                db.session,
                figure,
                _figure_input(form),
                expected_version=form_version(form),
                by=actor(),
            )
            jobs.after_record_saved(db.session, "figure", figure.id, by=actor())
            flash(_saved_message(saved.reopened), "success")
            return redirect(url_for("desk.figure", figure_id=figure.id))
        except ValidationFailed as exc:
            db.session.rollback()
            attach_errors(form, exc)
        except EditConflict as exc:
            db.session.rollback()
            figure = db.session.get_one(Figure, figure_id)
            conflict = _conflict(exc.message, figure, form)
            form.version.data = str(figure.version)
    status = (
        400 if request.method == "POST" and not form.add_part.data and has_errors(form) else 200
    )
    return render_template("desk/figure_form.html", form=form, figure=figure, conflict=conflict), (
        409 if conflict else status
    )


def _conflict(message: str, figure: Figure, form: FigureForm) -> Conflict:
    parts = Row(
        "Parts",
        shown([f"{p.label}: {shown(p.value)}" for p in figure.parts]),
        shown(
            [
                f"{(entry.form.label.data or '').strip()}: {shown(entry.form.value.data)}"
                for entry in form.parts.entries
                if entry.form.value.data is not None
            ]
        ),
    )
    return record_conflict(message, "figure", figure, form, FIGURE_COMPARED, [parts])


@bp.get("/figures/<int:figure_id>")
def figure(figure_id: int) -> str:
    from tracker.desk.views.withdrawal import shown_record
    from tracker.models import ClaimFigureLink

    record = shown_record(Figure, figure_id)
    links = [
        link
        for link in db.session.scalars(
            select(ClaimFigureLink).where(ClaimFigureLink.figure_id == record.id)
        )
        if can_view(current_user, link.claim)  # others' drafts stay private
    ]
    from tracker.services.figure_checks import figure_breakdown

    return render_template(
        "desk/figure.html",
        figure=record,
        links=links,
        breakdown=figure_breakdown(record),
        button=EmptyForm(),
    )


def _saved_message(reopened: int) -> str:
    if not reopened:
        return "Figure saved."
    claims = "claim's" if reopened == 1 else "claims'"
    return (
        f"Figure saved. {reopened} confirmed check{'s' if reopened != 1 else ''} of "
        f"{claims} numbers now compare differently: they are no longer public and wait "
        "on their claims' review pages to be confirmed again."
    )
