"""Figures: published numbers with their provenance, and their breakdowns into parts."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import NamedTuple

from babel.numbers import is_currency
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tracker.audit import Actor, changed, record_event, values_of
from tracker.errors import EditConflict, NotFound, ValidationFailed
from tracker.models import (
    Article,
    ClaimFigureLink,
    Figure,
    FigureKind,
    FigureQualifier,
    LinkStatus,
)
from tracker.services import validation
from tracker.services.indexing import reindex

FIGURE_FIELDS = [
    "subject", "value", "lower_bound", "upper_bound", "qualifier", "kind", "unit", "currency",
    "period_start", "period_end", "place", "publisher", "cited_source", "source_url",
    "published_on", "article_id", "quote", "deleted_at",
]  # fmt: skip


@dataclass
class PartInput:
    label: str
    value: float


@dataclass
class FigureInput:
    subject: str
    value: float
    qualifier: FigureQualifier = FigureQualifier.EXACT
    kind: FigureKind = FigureKind.COUNT
    lower_bound: float | None = None
    upper_bound: float | None = None
    unit: str | None = None
    currency: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    place: str | None = None
    publisher: str | None = None
    cited_source: str | None = None
    source_url: str | None = None
    published_on: date | None = None
    article_id: int | None = None
    quote: str | None = None
    parts: list[PartInput] = field(default_factory=list)
    # Where the figure came from (an import or an API client); None leaves it alone.
    external_id: str | None = None


def figure_values(figure: Figure) -> dict[str, object]:
    values = values_of(figure, FIGURE_FIELDS)
    values["parts"] = [[p.label, p.value] for p in figure.parts]
    return values


def get_figure(session: Session, figure_id: int) -> Figure:
    figure = session.get(Figure, figure_id)
    if figure is None or figure.deleted_at is not None:
        raise NotFound(f"There is no figure {figure_id}.")
    return figure


def validate(session: Session, data: FigureInput) -> None:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str | None) -> None:
        if message:
            errors.setdefault(name, []).append(message)

    if not data.subject.strip():
        add("subject", "Say what is counted, e.g. “foreign citizens recruited in Moscow”.")
    add("subject", validation.length_problem(data.subject, 2000, "The subject"))
    add("external_id", validation.length_problem(data.external_id, 500, "The external id"))
    for name in ("value", "lower_bound", "upper_bound"):
        number = getattr(data, name)
        if number is not None and (math.isnan(number) or math.isinf(number)):
            add(name, "Enter a finite number.")
    if (
        data.lower_bound is not None
        and data.upper_bound is not None
        and data.lower_bound > data.upper_bound
    ):
        add(
            "lower_bound",
            f"The lower bound ({data.lower_bound:g}) is above the upper bound "
            f"({data.upper_bound:g}).",
        )
    if data.period_start and data.period_end and data.period_end < data.period_start:
        add(
            "period_end",
            f"The period ends ({data.period_end.isoformat()}) before it starts "
            f"({data.period_start.isoformat()}).",
        )
    if data.lower_bound is not None and data.value < data.lower_bound:
        add("value", f"The value ({data.value:g}) is below its lower bound ({data.lower_bound:g}).")
    if data.upper_bound is not None and data.value > data.upper_bound:
        add("value", f"The value ({data.value:g}) is above its upper bound ({data.upper_bound:g}).")
    add("period_start", validation.date_problem(data.period_start, "The start", historical=True))
    add("period_end", validation.date_problem(data.period_end, "The end", historical=True))
    add("published_on", validation.date_problem(data.published_on, "The date"))
    if data.kind == FigureKind.MONEY:
        if not data.currency or not is_currency(data.currency.upper()):
            add("currency", "Money needs an ISO 4217 currency code such as USD, EUR or RUB.")
    elif data.currency:
        add("currency", "Only money has a currency; choose the kind “money” or clear this.")
    if data.kind == FigureKind.COUNT:
        for name in ("value", "lower_bound", "upper_bound"):
            number = getattr(data, name)
            if number is not None and number < 0:
                add(name, "A count cannot be negative.")
    if data.kind == FigureKind.PERCENT and not 0 <= data.value <= 1000:
        add("value", "A percentage must be between 0 and 1,000.")
    if data.source_url:
        add("source_url", validation.url_problem(data.source_url))
    if data.article_id is not None and session.get(Article, data.article_id) is None:
        add("article_id", f"There is no debunk article {data.article_id}.")
    for index, part in enumerate(data.parts):
        if not part.label.strip():
            add(f"parts-{index}-label", "Name this part of the breakdown.")
        if part.value < 0 or math.isnan(part.value):
            add(f"parts-{index}-value", "A part cannot be negative.")
    if errors:
        raise ValidationFailed(errors)


def _apply(figure: Figure, data: FigureInput) -> None:
    for name in FIGURE_FIELDS:
        if name in ("deleted_at",):
            continue
        value = getattr(data, name)
        # Enum members are strings too; they must stay members.
        if isinstance(value, str) and not isinstance(value, Enum):
            value = value.strip() or None
        setattr(figure, name, value)
    figure.subject = data.subject.strip()
    if data.external_id:
        figure.external_id = data.external_id
    figure.currency = data.currency.upper() if data.currency else None
    existing = list(figure.parts)
    parts = []
    for position, item in enumerate(data.parts):
        part = existing[position] if position < len(existing) else Figure(subject="", value=0)
        part.label = item.label.strip()
        part.value = item.value
        part.position = position
        part.subject = f"{figure.subject}: {part.label}"
        for shared in (
            "kind",
            "unit",
            "currency",
            "period_start",
            "period_end",
            "place",
            "publisher",
            "cited_source",
            "article_id",
        ):
            setattr(part, shared, getattr(figure, shared))
        part.qualifier = FigureQualifier.EXACT
        parts.append(part)
    figure.parts = parts


def _check_external_id(session: Session, external_id: str | None, figure_id: int | None) -> None:
    if not external_id:
        return
    query = select(Figure.id).where(Figure.external_id == external_id)
    if figure_id is not None:
        query = query.where(Figure.id != figure_id)
    other = session.scalar(query)
    if other is not None:
        raise ValidationFailed({"external_id": [f"Figure {other} already has this external id."]})


def find_by_external_id(session: Session, external_id: str) -> Figure | None:
    return session.scalar(select(Figure).where(Figure.external_id == external_id))


def create_figure(session: Session, data: FigureInput, *, by: Actor) -> Figure:
    validate(session, data)
    _check_external_id(session, data.external_id, None)
    figure = Figure(subject=data.subject, value=data.value, created_by_id=by.user_id)
    _apply(figure, data)
    session.add(figure)
    session.flush()
    record_event(session, "create", "figure", figure.id, by=by, after=figure_values(figure))
    reindex(session, "figure", [figure.id])
    return figure


class FigureSaved(NamedTuple):
    figure: Figure
    # Confirmed checks whose relation the edit changed: back among the suggestions.
    reopened: int


def update_figure(
    session: Session, figure: Figure, data: FigureInput, *, expected_version: int, by: Actor
) -> FigureSaved:
    validate(session, data)
    _check_external_id(session, data.external_id, figure.id)
    if figure.version != expected_version:
        raise EditConflict(
            "Someone else saved this figure after you opened it.", current=figure_values(figure)
        )
    before = figure_values(figure)
    _apply(figure, data)
    try:
        session.flush()
    except StaleDataError as exc:
        session.rollback()
        raise EditConflict("Someone else saved this figure at the same moment.") from exc
    old, new = changed(before, figure_values(figure))
    record_event(session, "update", "figure", figure.id, by=by, before=old, after=new)
    reindex(session, "figure", [figure.id])
    return FigureSaved(figure, _compare_again(session, figure, by))


def _compare_again(session: Session, figure: Figure, by: Actor) -> int:
    """Each claim linked to an edited figure is compared with it anew: the sentences kept on
    the links ("at least 6.7x lower") were written from the old value. A confirmed check is
    public beside its claim's verdict; one whose relation changed ("consistent" beside a
    verdict of False) is suggested again, for a person to confirm. Returns how many were."""
    from tracker.services.figure_checks import refresh_link

    links = session.scalars(select(ClaimFigureLink).where(ClaimFigureLink.figure_id == figure.id))
    reopened = []
    for link in links:
        before = link.relation
        refresh_link(link, link.claim, figure)
        if link.status == LinkStatus.CONFIRMED and link.relation != before:
            link.status = LinkStatus.SUGGESTED
            link.decided_at = link.decided_by_id = None
            reopened.append((link, before))
    session.flush()
    for link, before in reopened:
        record_event(
            session,
            "xref_suggested",
            "figure_link",
            link.id,
            by=by,
            before={"status": "confirmed", "relation": before.value if before else None},
            after={"status": "suggested", "claim_id": link.claim_id,
                   "relation": link.relation.value if link.relation else None},
        )  # fmt: skip
    return len(reopened)
