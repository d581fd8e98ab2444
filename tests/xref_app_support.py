"""A small record set for engine tests: the seed figure, an English debunk, published claims."""

from __future__ import annotations

from datetime import date

from tests.factories import make_user
from tracker.audit import Actor
from tracker.models import ClaimStatus, FigureQualifier, Rating, Role
from tracker.services import articles, claims, figures, workflow
from tracker.xref.engine import XrefEngine

DEBUNK_STATEMENT = "Russia has recruited tens of thousands of foreign volunteers in Moscow."
RUSSIAN_CLAIM = "В Москве за год завербовали десятки тысяч иностранцев для участия в войне."


def seed(session) -> dict:
    """Records through the services (so they are indexed); returns them by name."""
    editor = make_user(session, Role.EDITOR)
    other_editor = make_user(session, Role.EDITOR)
    by = Actor(editor)
    debunk = articles.create_article(
        session,
        articles.ArticleInput(
            title="Foreign recruitment in Moscow: what the published numbers say",
            claim_statement=DEBUNK_STATEMENT,
            language="en",
            url="https://fc.example/moscow",
            rating=Rating.FALSE,
        ),
        by=by,
    )
    other = articles.create_article(
        session,
        articles.ArticleInput(
            title="No, laboratories in Ukraine do not make biological weapons",
            claim_statement="US biolabs in Ukraine are developing biological weapons.",
            language="en",
            url="https://fc.example/biolabs",
            rating=Rating.FALSE,
        ),
        by=by,
    )
    figure = figures.create_figure(
        session,
        figures.FigureInput(
            subject="foreign citizens recruited to fight for Russia in Moscow",
            value=1500,
            qualifier=FigureQualifier.MORE_THAN,
            period_start=date(2023, 4, 1),
            period_end=date(2024, 5, 31),
            place="Moscow",
            publisher="UK Ministry of Defence",
            cited_source="iStories",
            parts=[
                figures.PartInput("South and East Asia", 771),
                figures.PartInput("Former Soviet republics", 523),
                figures.PartInput("Africa", 72),
            ],
        ),
        by=by,
    )
    published = claims.create_claim(
        session,
        claims.ClaimInput(
            text="Laboratories financed by the Pentagon in Ukraine produce bioweapons.",
            language="en",
            rating=Rating.FALSE,
            rationale="No evidence.",
        ),
        by=by,
    )
    workflow.apply(session, published, workflow.Action.SUBMIT, by=by)
    workflow.apply(session, published, workflow.Action.PUBLISH, by=Actor(other_editor))
    draft = claims.create_claim(
        session,
        claims.ClaimInput(
            text="Secret laboratories of the Pentagon in Ukraine produce bioweapons, a draft.",
            language="en",
        ),
        by=by,
    )
    session.commit()
    assert published.status == ClaimStatus.PUBLISHED
    return {
        "debunk": debunk,
        "other": other,
        "figure": figure,
        "published": published,
        "draft": draft,
        "editor": editor,
    }


def engine_with_vectors(session) -> XrefEngine:
    engine = XrefEngine(refresh_seconds=0)
    for kind in ("article", "figure", "claim"):
        engine.refresh_all(session, kind)
    return engine
