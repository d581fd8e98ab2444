"""The records of a dump that claims refer to: outlets, narratives, articles, figures.

Each is matched first (outlets by handle or name, narratives by slug or name, articles by
URL or external id, figures by the dump id, which they keep as external id); what matches
is left as it is.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from tracker.errors import ValidationFailed
from tracker.interop.dump_records import ArticleEntry, FigureEntry, NarrativeEntry, OutletEntry
from tracker.interop.import_rows import rejection_message
from tracker.interop.importer import ImportRun, Rejected
from tracker.models import FigureKind, FigureQualifier, OutletKind, Rating
from tracker.services import articles as article_service
from tracker.services import figures as figure_service
from tracker.services import narratives as narrative_service
from tracker.services import outlets as outlet_service

_Enum = TypeVar("_Enum", bound=StrEnum)
_Default = TypeVar("_Default")


def enum_value(kind: type[_Enum], value: str | None, default: _Default) -> _Enum | _Default:
    try:
        return kind(value) if value else default
    except ValueError:
        return default


def import_outlet(run: ImportRun, entry: OutletEntry) -> str:
    lookups = run.lookups
    for handle in entry.handles:
        if lookups.find_outlet(domain=handle) is not None:
            return "unchanged"
    if lookups.find_outlet(name=entry.name) is not None:
        return "unchanged"
    data = outlet_service.OutletInput(
        name=entry.name,
        kind=enum_value(OutletKind, entry.kind, OutletKind.OTHER),
        country=entry.country,
        state_affiliated=entry.state_affiliated,
        description=entry.description,
        handles=list(entry.handles),
    )
    outlet = outlet_service.create_outlet(run.session, data, by=run.by)
    lookups.created["outlets"] += 1
    lookups.remember_outlet(outlet)
    return "created"


def import_narrative(run: ImportRun, entry: NarrativeEntry) -> str:
    lookups = run.lookups
    if lookups.narrative_by_slug(entry.id) is not None:
        return "unchanged"
    if lookups.narrative_by_name(entry.name) is not None:
        return "unchanged"
    narrative = narrative_service.create_narrative(
        run.session, entry.name, entry.description, by=run.by, slug=entry.id
    )
    lookups.created["narratives"] += 1
    lookups.remember_narrative(narrative)
    return "created"


def import_article(run: ImportRun, entry: ArticleEntry) -> str:
    lookups = run.lookups
    found = lookups.find_article(entry.url, entry.external_id, entry.id)
    if found is not None:
        lookups.remember_article(found, None, entry.id)
        return "unchanged"
    data = article_service.ArticleInput(
        title=entry.title,
        url=entry.url,
        publisher=entry.publisher,
        author=entry.author,
        published_on=entry.published_on,
        language=entry.language,
        text=entry.text,
        claim_statement=entry.claim_statement,
        is_ours=entry.is_ours,
        rating=enum_value(Rating, entry.rating, None),
        rating_text=entry.rating_text,
        claimreview=entry.claimreview,
        external_id=entry.external_id or (None if entry.url else entry.id),
        rating_rule=entry.rating_rule,
        rating_confidence=entry.rating_confidence,
    )
    try:
        article_service.validate(run.session, data)
    except ValidationFailed as error:
        raise Rejected(rejection_message(error)) from None
    article = article_service.create_article(run.session, data, by=run.by)
    lookups.remember_article(article.id, article.url, article.external_id)
    lookups.remember_article(article.id, None, entry.id)
    run.count("articles")
    return "created"


def import_figure(run: ImportRun, entry: FigureEntry) -> str:
    session = run.session
    if figure_service.find_by_external_id(session, entry.id) is not None:
        return "unchanged"
    article_id = run.lookups.find_article(entry.article) if entry.article else None
    if entry.article and article_id is None:
        run.note("figure's article not in the file or this database, left out")
    data = figure_service.FigureInput(
        subject=entry.subject,
        value=entry.value,
        qualifier=enum_value(FigureQualifier, entry.qualifier, FigureQualifier.EXACT),
        kind=enum_value(FigureKind, entry.kind, FigureKind.COUNT),
        lower_bound=entry.lower_bound,
        upper_bound=entry.upper_bound,
        unit=entry.unit,
        currency=entry.currency,
        period_start=entry.period_start,
        period_end=entry.period_end,
        place=entry.place,
        publisher=entry.publisher,
        cited_source=entry.cited_source,
        source_url=entry.source_url,
        published_on=entry.published_on,
        article_id=article_id,
        quote=entry.quote,
        parts=[figure_service.PartInput(p.label, p.value) for p in entry.parts],
        external_id=entry.id,
    )
    try:
        figure_service.validate(session, data)
    except ValidationFailed as error:
        raise Rejected(rejection_message(error)) from None
    figure_service.create_figure(session, data, by=run.by)
    run.count("figures")
    return "created"
