"""Helpers for the database-backed interop tests: a rich world, a comparable view of the
database, emptying it between the two halves of a round trip, and running imports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session, selectinload

from tests.factories import make_user
from tracker.audit import Actor
from tracker.interop.importer import ImportOptions, ImportResult
from tracker.interop.imports import ImportSpec, run_import
from tracker.models import (
    Article,
    Base,
    Claim,
    ClaimArticleLink,
    ClaimFigureLink,
    ClaimLink,
    Comment,
    Figure,
    FigureKind,
    FigureQualifier,
    LinkStatus,
    Narrative,
    Outlet,
    OutletKind,
    Rating,
    Role,
    User,
)
from tracker.search.base import KINDS
from tracker.services import articles as article_service
from tracker.services import claims as claim_service
from tracker.services import figures as figure_service
from tracker.services import links as link_service
from tracker.services import narratives as narrative_service
from tracker.services import outlets as outlet_service
from tracker.services import workflow
from tracker.services.comments import add_comment
from tracker.services.workflow import Action

# Over 1,000 characters of Markdown: a rationale that must come back whole.
LONG_RATIONALE = (
    "## What the figures say\n\n"
    "The UK Ministry of Defence, citing *iStories*, counts **more than 1,500** foreign "
    "citizens recruited in Moscow between April 2023 and the end of May 2024:\n\n"
    "- 771 from South and East Asia;\n"
    "- 523 from former Soviet republics;\n"
    "  - of them most from Central Asia;\n"
    "- 72 from Africa.\n\n"
    'That is about 7x lower than "tens of thousands". '
    + "The claim gives no source for its number, and none of the recruiting offices it "
    "names reported figures of that size. "
    * 6
    + "\n\nSee <https://checks.example.net/moscow-recruits> & the MoD's review."
)
ANALYST_EMAIL = "analyst@interop.example"
EDITOR_EMAIL = "editor@interop.example"
SITE = "https://tracker.example.org/"


def run(
    session: Session,
    fmt: str,
    path: Path,
    user: User,
    *,
    mapping: str | None = None,
    report: Path | None = None,
    **options: Any,
) -> ImportResult:
    spec = ImportSpec(fmt, path, mapping=mapping, report=report, options=ImportOptions(**options))
    return run_import(session, spec, by=Actor(user))


def empty_database(session: Session) -> None:
    """Delete every row of every table (search index included), as a fresh database."""
    session.rollback()
    names = set(inspect(session.get_bind()).get_table_names())
    for kind in KINDS:
        # The index tables themselves; FTS5 keeps its own shadow tables in step.
        if f"search_{kind}" in names:
            session.execute(text(f'DELETE FROM "search_{kind}"'))  # noqa: S608 - fixed names
    for table in reversed(Base.metadata.sorted_tables):
        if table.name == "audit_events":
            _empty_audit_log(session)
        else:
            session.execute(table.delete())
    session.commit()
    session.expunge_all()


def _empty_audit_log(session: Session) -> None:
    """A fresh database's empty audit log. Its triggers refuse DELETE (migration
    0009_review_audit_append_only): PostgreSQL's TRUNCATE does not fire them; on SQLite they
    are dropped for the delete and created again as they were."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("TRUNCATE audit_events"))
        return
    triggers = session.execute(
        text(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'trigger' AND tbl_name = 'audit_events'"
        )
    ).all()
    for name, _sql in triggers:
        session.execute(text(f'DROP TRIGGER "{name}"'))
    session.execute(text("DELETE FROM audit_events"))
    for _name, sql in triggers:
        session.execute(text(sql))


@dataclass
class World:
    analyst: User
    editor: User
    published: int
    retracted: int


def _claim(session: Session, by: Actor, text_: str, **fields: Any) -> Claim:
    return claim_service.create_claim(
        session, claim_service.ClaimInput(text=text_, **fields), by=by
    )


def build_world(session: Session) -> World:
    """Outlets, narratives, articles, figures with parts and claims in every status, with
    verdict histories, appearances, countries, claimants and decided cross-references."""
    analyst = make_user(session, Role.ANALYST, email=ANALYST_EMAIL)
    editor = make_user(session, Role.EDITOR, email=EDITOR_EMAIL)
    make_user(session, Role.EDITOR)  # a second editor, so four eyes holds
    by_a, by_e = Actor(analyst), Actor(editor)
    rt = outlet_service.create_outlet(
        session,
        outlet_service.OutletInput(
            name="RT",
            kind=OutletKind.STATE_MEDIA,
            country="RU",
            state_affiliated=True,
            description="Russian state broadcaster.",
            handles=["rt.com", "t.me/rt_russian"],
        ),
        by=by_e,
    )
    outlet_service.create_outlet(
        session,
        outlet_service.OutletInput(name="Lonely outlet", handles=["lonely.example"]),
        by=by_e,
    )
    mercs = narrative_service.create_narrative(
        session, "Ukraine recruits mercenaries", "Foreign fighters story.", by=by_e
    )
    west = narrative_service.create_narrative(session, "The West is decaying", by=by_e)
    debunk = article_service.create_article(
        session,
        article_service.ArticleInput(
            title="No, Moscow did not recruit tens of thousands",
            url="https://checks.example.net/moscow-recruits",
            publisher="Example Checks",
            author="A. Checker",
            published_on=date(2024, 6, 2),
            language="en",
            text="The numbers are far lower.",
            claim_statement="Russia recruited tens of thousands of foreigners in Moscow",
            rating=Rating.FALSE,
            rating_text="Pants on fire",
            rating_rule="'pants on fire' is listed as false",
            rating_confidence=0.95,
            claimreview=[{"@type": "ClaimReview", "url": "https://checks.example.net/moscow"}],
        ),
        by=by_e,
    )
    no_url = article_service.create_article(
        session, article_service.ArticleInput(title="Printed leaflet, no web address"), by=by_e
    )
    figure = figure_service.create_figure(
        session,
        figure_service.FigureInput(
            subject="foreign citizens recruited in Moscow",
            value=1500,
            qualifier=FigureQualifier.MORE_THAN,
            kind=FigureKind.COUNT,
            period_start=date(2023, 4, 1),
            period_end=date(2024, 5, 31),
            place="Moscow",
            publisher="UK Ministry of Defence",
            cited_source="iStories",
            article_id=debunk.id,
            quote="more than 1,500 foreign citizens",
            parts=[
                figure_service.PartInput("South and East Asia", 771),
                figure_service.PartInput("Former Soviet republics", 523),
                figure_service.PartInput("Africa", 72),
            ],
        ),
        by=by_e,
    )
    appearances = [
        claim_service.AppearanceInput(
            url="https://www.rt.com/news/1",
            appeared_on=date(2024, 5, 1),
            outlet_id=rt.id,
            language="ru",
            title="Tens of thousands",
        ),
        claim_service.AppearanceInput(
            url="https://t.me/rt_russian/55",
            appeared_on=date(2024, 5, 3),
            outlet_id=rt.id,
            platform="telegram",
        ),
    ]
    published = _claim(
        session,
        by_a,
        "Russia has recruited tens of thousands of foreign volunteers in Moscow",
        language="en",
        summary_en="Tens of thousands of foreigners recruited.",
        rating=Rating.MISLEADING,
        rationale="UK MoD says more than 1,500.",
        narrative_ids=[mercs.id],
        country_codes=["RU", "UA"],
        appearances=appearances,
        claimant="Russian officials",
    )
    workflow.apply(session, published, Action.SUBMIT, by=by_a)
    workflow.apply(session, published, Action.PUBLISH, by=by_e)
    workflow.apply(
        session,
        published,
        Action.UPDATE_VERDICT,
        by=by_e,
        rating=Rating.FALSE,
        rationale=LONG_RATIONALE,
        note="New figures from the UK MoD.",
    )
    undetermined = _claim(
        session,
        by_a,
        "Ukraine is selling Western tanks on the black market",
        language="und",
        rating=Rating.FALSE,
        rationale="No sale was ever documented.",
        appearances=[
            claim_service.AppearanceInput(
                url="https://www.rt.com/news/tanks", appeared_on=date(2024, 4, 2), outlet_id=rt.id
            )
        ],
    )
    workflow.apply(session, undetermined, Action.SUBMIT, by=by_a)
    workflow.apply(session, undetermined, Action.PUBLISH, by=by_e)
    retracted = _claim(
        session,
        by_a,
        "Поддельная новость о Винницe",
        language="ru",
        rating=Rating.FALSE,
        rationale="No source.",
        appearances=[claim_service.AppearanceInput(url="https://rt.com/vinnytsia")],
    )
    workflow.apply(session, retracted, Action.SUBMIT, by=by_a)
    workflow.apply(session, retracted, Action.PUBLISH, by=by_e)
    workflow.apply(session, retracted, Action.RETRACT, by=by_e, note="We got it wrong.")
    returned = _claim(session, by_a, "A returned claim about the West", narrative_ids=[west.id])
    workflow.apply(session, returned, Action.SUBMIT, by=by_a)
    workflow.apply(session, returned, Action.RETURN, by=by_e, comment="Add a source.")
    in_review = _claim(session, by_a, "A claim waiting for review", language="en")
    workflow.apply(session, in_review, Action.SUBMIT, by=by_a)
    draft = _claim(session, by_a, "Ein Entwurf über Panzer", language="de", claimant="Ein Blogger")
    add_comment(session, published, "Their rating: “Pants on fire”, mapped to false.", by=by_e)
    link_service.set_link(session, "article", published, debunk.id, by=by_e, reason="Same story.")
    link_service.set_link(session, "article", draft, no_url.id, by=by_e)
    link_service.set_link(session, "figure", published, figure.id, by=by_e)
    link_service.set_link(
        session, "claim", published, retracted.id, by=by_e, status=LinkStatus.REJECTED
    )
    link_service.set_link(session, "claim", in_review, published.id, by=by_e, method="embedding")
    session.commit()
    return World(analyst, editor, published.id, retracted.id)


def _when(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def view(session: Session) -> dict[str, Any]:
    """Everything a round trip must keep, keyed by natural keys (never database ids)."""
    session.expire_all()
    outlets = {
        o.name: (o.kind.value, o.country, o.state_affiliated, o.description,
                 sorted(h.value for h in o.handles))
        for o in session.scalars(select(Outlet).options(selectinload(Outlet.handles)))
    }  # fmt: skip
    narratives = {n.slug: (n.name, n.description) for n in session.scalars(select(Narrative))}
    articles = {
        a.url or a.title: (a.title, a.publisher, a.author, a.published_on, a.language, a.text,
                           a.claim_statement, a.is_ours, a.rating, a.rating_text, a.claimreview,
                           a.rating_rule, a.rating_confidence)
        for a in session.scalars(select(Article))
    }  # fmt: skip
    figures = {}
    for f in session.scalars(select(Figure).where(Figure.parent_id.is_(None))):
        figures[f.subject] = (
            f.value, f.qualifier, f.kind, f.period_start, f.period_end, f.place, f.publisher,
            f.cited_source, f.quote, f.article.url if f.article else None,
            [(p.label, p.value) for p in f.parts],
        )  # fmt: skip
    claims = {}
    for c in session.scalars(select(Claim)):
        claims[c.text] = {
            "fields": (c.language, c.summary_en, c.status, c.rating, c.rationale,
                       c.correction_note, c.claimant, c.first_seen, _when(c.published_at)),
            # Who recorded it and when, and when it was submitted (the dump lost them).
            "made": (c.created_by.email if c.created_by else None, _when(c.created_at),
                     _when(c.submitted_at)),
            "narratives": sorted(n.slug for n in c.narratives),
            "countries": sorted(k.code for k in c.countries),
            "appearances": sorted(
                (a.url, a.appeared_on, a.language, a.title, a.platform,
                 a.outlet.name if a.outlet else None)
                for a in c.appearances
            ),
            "history": [
                (v.event, v.rating, v.rationale, v.note, _when(v.at), v.by.email if v.by else None)
                for v in c.verdicts
            ],
            "articles": sorted(
                (link.article.url or link.article.title, link.status.value)
                for link in session.scalars(
                    select(ClaimArticleLink).where(ClaimArticleLink.claim_id == c.id)
                )
            ),
            "figures": sorted(
                (link.figure.subject, link.status.value)
                for link in session.scalars(
                    select(ClaimFigureLink).where(ClaimFigureLink.claim_id == c.id)
                )
            ),
            "claims": sorted(
                (link.other_claim.text, link.status.value, link.method)
                for link in session.scalars(select(ClaimLink).where(ClaimLink.claim_id == c.id))
            ),
            "comments": [
                (k.body, k.author.email if k.author else None, k.workflow_action,
                 _when(k.created_at))
                for k in session.scalars(
                    select(Comment).where(Comment.claim_id == c.id).order_by(Comment.id)
                )
            ],
        }  # fmt: skip
    return {
        "outlets": outlets,
        "narratives": narratives,
        "articles": articles,
        "figures": figures,
        "claims": claims,
    }


def recreate_users(session: Session, world: World) -> User:
    """The people of the world again (same emails), after the database was emptied."""
    make_user(session, Role.ANALYST, email=ANALYST_EMAIL)
    editor = make_user(session, Role.EDITOR, email=EDITOR_EMAIL)
    session.commit()
    return editor
