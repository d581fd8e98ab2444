"""Loading the demo data set and the demo accounts."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.audit import SYSTEM, Actor, record_event
from tracker.auth.services import create_user, find_user_by_email, set_password
from tracker.demo import data
from tracker.models import (
    Appearance,
    Article,
    Claim,
    ClaimArticleLink,
    ClaimFigureLink,
    ClaimStatus,
    Comment,
    Country,
    Figure,
    HandleKind,
    LinkStatus,
    Narrative,
    Outlet,
    OutletHandle,
    Rating,
    User,
    Verdict,
    VerdictEvent,
)
from tracker.services.figure_checks import refresh_link
from tracker.services.outlets import find_by_url as find_outlet_by_url
from tracker.xref.fingerprint import claim_fingerprint


@dataclass
class DemoAccount:
    email: str
    role: str
    password: str


def _at(day: date, hours: int = 9) -> datetime:
    return datetime.combine(day, time(hours), tzinfo=UTC)


def ensure_demo_users(session: Session, credentials_file: Path) -> list[DemoAccount]:
    """Create the demo accounts, or reuse them with the passwords saved on first run.

    Passwords are random per installation and kept in the instance folder, never in code.
    """
    saved: dict[str, str] = {}
    if credentials_file.exists():
        saved = json.loads(credentials_file.read_text(encoding="utf-8"))
    accounts = []
    for spec in data.USERS:
        password = saved.get(spec["email"]) or f"demo-{secrets.token_urlsafe(12)}"
        user = find_user_by_email(session, spec["email"])
        if user is None:
            create_user(
                session,
                email=spec["email"],
                name=spec["name"],
                password=password,
                role=spec["role"],
                by=SYSTEM,
            )
        elif spec["email"] not in saved:
            set_password(session, user, password, by=SYSTEM)
        accounts.append(DemoAccount(spec["email"], spec["role"], password))
    credentials_file.parent.mkdir(parents=True, exist_ok=True)
    credentials_file.write_text(
        json.dumps({a.email: a.password for a in accounts}, indent=2), encoding="utf-8"
    )
    credentials_file.chmod(0o600)
    return accounts


def demo_loaded(session: Session) -> bool:
    first = data.OUTLETS[0]["name"]
    return session.scalar(select(Outlet.id).where(Outlet.name == first)) is not None


def load_demo_data(session: Session) -> bool:
    """Load the demo records once. Returns False when they were already there."""
    if demo_loaded(session):
        return False
    users = {u["key"]: find_user_by_email(session, u["email"]) for u in data.USERS}
    outlets = _load_outlets(session)
    narratives = _load_narratives(session)
    countries = _load_countries(session)
    articles = _load_articles(session, users)
    figures = _load_figures(session, articles, users)
    claims = [
        _load_claim(session, spec, users, outlets, narratives, countries, articles, figures)
        for spec in data.CLAIMS
    ]
    session.flush()
    for spec, claim in zip(data.CLAIMS, claims, strict=True):
        _record_history(session, spec, claim, users)
    from tracker.services.indexing import rebuild_all

    rebuild_all(session)
    record_event(
        session, "import", "demo", None, by=SYSTEM, detail=f"demo data: {len(data.CLAIMS)} claims"
    )
    return True


def _load_outlets(session: Session) -> dict[str, Outlet]:
    outlets = {}
    for spec in data.OUTLETS:
        outlet = Outlet(
            name=spec["name"],
            kind=spec["kind"],
            country=spec["country"],
            state_affiliated=spec["state_affiliated"],
            description=spec["description"],
        )
        for value in spec["handles"]:
            kind = HandleKind.HANDLE if "/" in value else HandleKind.DOMAIN
            outlet.handles.append(OutletHandle(kind=kind, value=value))
        session.add(outlet)
        outlets[spec["key"]] = outlet
    return outlets


def _load_narratives(session: Session) -> dict[str, Narrative]:
    narratives = {}
    for spec in data.NARRATIVES:
        narrative = Narrative(slug=spec["slug"], name=spec["name"], description=spec["description"])
        session.add(narrative)
        narratives[spec["slug"]] = narrative
    return narratives


def _load_countries(session: Session) -> dict[str, Country]:
    countries = {}
    for code, name in data.COUNTRIES.items():
        country = session.get(Country, code) or Country(code=code, name=name)
        session.add(country)
        countries[code] = country
    return countries


def _load_articles(session: Session, users: dict[str, User | None]) -> dict[str, Article]:
    articles = {}
    for spec in data.ARTICLES:
        article = Article(
            url=spec["url"],
            title=spec["title"],
            publisher=spec["publisher"],
            author=spec["author"],
            language=spec["language"],
            published_on=spec["published_on"],
            text=spec["text"],
            claim_statement=spec["claim_statement"],
            is_ours=spec["is_ours"],
            rating=Rating(spec["rating"]),
            rating_text=spec.get("rating_text"),
            created_by_id=users["editor"].id if users["editor"] else None,
        )
        session.add(article)
        articles[spec["key"]] = article
    return articles


def _load_figures(
    session: Session, articles: dict[str, Article], users: dict[str, User | None]
) -> dict[str, Figure]:
    spec = data.SEED_FIGURE
    figure = Figure(
        subject=spec["subject"],
        value=spec["value"],
        qualifier=spec["qualifier"],
        kind=spec["kind"],
        unit=spec["unit"],
        period_start=spec["period_start"],
        period_end=spec["period_end"],
        place=spec["place"],
        publisher=spec["publisher"],
        cited_source=spec["cited_source"],
        source_url=spec["source_url"],
        published_on=spec["published_on"],
        quote=spec["quote"],
        article=articles[spec["article"]],
    )
    for position, part in enumerate(spec["parts"]):
        figure.parts.append(
            Figure(
                subject=f"{spec['subject']}: {part['label']}",
                label=part["label"],
                value=part["value"],
                qualifier="exact",
                kind=spec["kind"],
                unit=spec["unit"],
                period_start=spec["period_start"],
                period_end=spec["period_end"],
                place=spec["place"],
                publisher=spec["publisher"],
                cited_source=spec["cited_source"],
                position=position,
            )
        )
    session.add(figure)
    return {spec["key"]: figure}


def _load_claim(
    session: Session,
    spec: dict,
    users: dict[str, User | None],
    outlets: dict[str, Outlet],
    narratives: dict[str, Narrative],
    countries: dict[str, Country],
    articles: dict[str, Article],
    figures: dict[str, Figure],
) -> Claim:
    author = users[spec["author"]]
    editor = users["editor"] if spec["author"] != "editor" else users["editor2"]
    first_day = min(day for _, day in spec["appearances"])
    created = _at(first_day, 10)
    status = ClaimStatus(spec["status"])
    published_at = created + timedelta(days=2)  # used if the claim was published
    rating = Rating(spec["rating"]) if spec["rating"] else None
    claim = Claim(
        text=spec["text"],
        language=spec["language"],
        summary_en=spec["summary"],
        fingerprint=claim_fingerprint(spec["text"]),
        status=status,
        rating=rating,
        rationale=spec["rationale"],
        correction_note=spec.get("correction_note"),
        first_seen=first_day,
        created_by=author,
        updated_by=author,
        created_at=created,
        updated_at=created,
    )
    claim.narratives = [narratives[slug] for slug in spec["narratives"]]
    claim.countries = [countries[code] for code in spec["countries"]]
    for url, day in spec["appearances"]:
        # A link on another outlet's domain or channel belongs to that outlet.
        outlet = find_outlet_by_url(session, url) or outlets[spec["outlet"]]
        claim.appearances.append(
            Appearance(
                url=url,
                outlet=outlet,
                appeared_on=day,
                language=spec["language"],
                platform="telegram" if "t.me/" in url else "web",
            )
        )
    if status != ClaimStatus.DRAFT:
        claim.submitted_at = created + timedelta(hours=2)
        claim.verdicts.append(
            Verdict(
                rating=rating,
                rationale=spec["rationale"],
                event=VerdictEvent.PROPOSED,
                by=author,
                at=created,
            )
        )
    if status in (ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED):
        claim.published_at = published_at
        claim.verdicts.append(
            Verdict(
                rating=rating,
                rationale=spec["rationale"],
                event=VerdictEvent.PUBLISHED,
                by=editor,
                at=claim.published_at,
            )
        )
    if status == ClaimStatus.RETRACTED:
        claim.verdicts.append(
            Verdict(
                rating=rating,
                rationale=spec["rationale"],
                event=VerdictEvent.RETRACTED,
                note=spec["correction_note"],
                by=editor,
                at=published_at + timedelta(days=5),
            )
        )
    if spec.get("comment"):
        session.add(
            Comment(
                claim=claim,
                author=editor,
                body=spec["comment"],
                workflow_action="returned",
                created_at=created + timedelta(days=1),
            )
        )
    session.add(claim)
    for key, link_status in spec.get("articles", []):
        session.add(
            ClaimArticleLink(
                claim=claim,
                article=articles[key],
                status=LinkStatus(link_status),
                score=1.0,
                method="manual",
                reason="Linked by the analyst.",
                decided_by=editor if link_status == "confirmed" else None,
                decided_at=claim.published_at if link_status == "confirmed" else None,
            )
        )
    for key, stated_text, stated_value, relation, link_status in spec.get("figures", []):
        link = ClaimFigureLink(
            claim=claim,
            figure=figures[key],
            stated_text=stated_text,
            stated_value=stated_value,
            relation=relation,
            status=LinkStatus(link_status),
            method="figure_check",
        )
        refresh_link(link, claim, figures[key])
        session.add(link)
    return claim


def _record_history(
    session: Session, spec: dict, claim: Claim, users: dict[str, User | None]
) -> None:
    """The audit events the claim's demo history implies, at the times it implies, so that
    every demo claim's history tab tells its story (created, submitted, returned, ...)."""
    author = Actor(users[spec["author"]])
    editor = Actor(users["editor"] if spec["author"] != "editor" else users["editor2"])
    rating = claim.rating.value if claim.rating else None

    def step(action: str, by: Actor, at: datetime, before: str, after: str, **extra: Any) -> None:
        record_event(
            session,
            action,
            "claim",
            claim.id,
            by=by,
            at=at,
            before={"status": before, "rating": rating},
            after={"status": after, "rating": rating, **extra},
            detail=extra.get("comment") or extra.get("note"),
        )

    created = claim.created_at
    record_event(
        session,
        "create",
        "claim",
        claim.id,
        by=author,
        at=created,
        after={"text": claim.text, "language": claim.language, "status": "draft"},
    )
    if claim.submitted_at is not None:
        step("submit", author, claim.submitted_at, "draft", "in_review")
    if spec.get("comment"):
        step("return", editor, created + timedelta(days=1), "in_review", "returned",
             comment=spec["comment"])  # fmt: skip
    if claim.published_at is not None:
        step("publish", editor, claim.published_at, "in_review", "published",
             published_at=claim.published_at.isoformat())  # fmt: skip
    if claim.status == ClaimStatus.RETRACTED and claim.published_at is not None:
        step("retract", editor, claim.published_at + timedelta(days=5), "published", "retracted",
             correction_note=claim.correction_note, note=claim.correction_note)  # fmt: skip


def demo_actor(session: Session) -> Actor:
    user = find_user_by_email(session, data.USERS[0]["email"])
    return Actor(user, None)
