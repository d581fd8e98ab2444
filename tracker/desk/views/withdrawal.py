"""Withdrawing a debunk article or a figure from the public site, and restoring it."""

from __future__ import annotations

from typing import TypeVar

from flask import abort, flash, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker.desk import bp
from tracker.desk.forms.workflow import EmptyForm
from tracker.desk.helpers import actor
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.models import Article, Figure
from tracker.services import withdrawal
from tracker.services.permissions import is_editor

Record = TypeVar("Record", Article, Figure)


def shown_record(model: type[Record], record_id: int) -> Record:
    """The record for its desk page: a withdrawn one only for editors (who may restore it)."""
    record = db.session.get(model, record_id)
    if record is None or (record.deleted_at is not None and not is_editor(current_user)):
        name = withdrawal.NAMES["article" if model is Article else "figure"]
        abort(404, description=f"There is no {name} {record_id}.")
    return record


def _change(model: type[Record], record_id: int, withdrawn: bool) -> Response:
    record = shown_record(model, record_id)
    kind = withdrawal.kind_of(record)
    page = url_for(f"desk.{kind}", **{f"{kind}_id": record.id})  # type: ignore[arg-type]
    if not EmptyForm().validate():
        flash("The request could not be read; please try again.", "error")
        return redirect(page)
    try:
        change = withdrawal.withdraw if withdrawn else withdrawal.restore
        change(db.session, record, by=actor())
        db.session.commit()
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(page)
    name = withdrawal.NAMES[kind].capitalize()
    done = "withdrawn from the public site" if withdrawn else "back on the public site"
    flash(f"{name} {record.id} is {done}.", "success")
    return redirect(page)


@bp.post("/articles/<int:article_id>/withdraw")
def article_withdraw(article_id: int) -> Response:
    return _change(Article, article_id, True)


@bp.post("/articles/<int:article_id>/restore")
def article_restore(article_id: int) -> Response:
    return _change(Article, article_id, False)


@bp.post("/figures/<int:figure_id>/withdraw")
def figure_withdraw(figure_id: int) -> Response:
    return _change(Figure, figure_id, True)


@bp.post("/figures/<int:figure_id>/restore")
def figure_restore(figure_id: int) -> Response:
    return _change(Figure, figure_id, False)
