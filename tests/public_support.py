"""A small public record for the public-site tests: what must show and what must never leak.

Every text that must stay private contains the marker ``SECRET``; the leak tests fetch every
public page, feed, export and API response and look for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from tests.factories import make_article, make_claim, make_figure, make_outlet, make_user
from tracker.models import (
    Appearance,
    ClaimArticleLink,
    ClaimFigureLink,
    ClaimLink,
    ClaimStatus,
    Comment,
    Country,
    FigureQualifier,
    FigureRelation,
    LinkStatus,
    Narrative,
    OutletKind,
    Rating,
    Role,
    Snapshot,
    Verdict,
    VerdictEvent,
)

MARKER = "SECRET"
# In the title of an article that is public itself but only suggested for a claim: it may
# show on the article's own pages, never on the claim's.
SUGGESTED = "SUGGESTEDONLY"
PUBLISHED_AT = datetime(2024, 6, 14, 10, tzinfo=UTC)


@dataclass
class PublicWorld:
    """Ids of the records built by :func:`build_world`."""

    en: int = 0
    ru: int = 0
    uk: int = 0
    de: int = 0
    retracted: int = 0
    updated: int = 0
    private_claims: dict[str, int] = field(default_factory=dict)
    outlet: int = 0
    other_outlet: int = 0
    private_outlet: int = 0
    narrative: str = ""
    private_narrative: str = ""
    article: int = 0
    private_article: int = 0
    figure: int = 0
    private_figure: int = 0
    snapshot: int = 0
    private_snapshot: int = 0
    suggested_article: int = 0

    @property
    def public_claims(self) -> list[int]:
        return [self.en, self.ru, self.uk, self.de, self.retracted, self.updated]


def _publish(session: Session, claim, rating: Rating, at: datetime = PUBLISHED_AT) -> None:  # type: ignore[no-untyped-def]
    claim.status = ClaimStatus.PUBLISHED
    claim.rating = rating
    claim.published_at = at
    claim.verdicts.append(
        Verdict(rating=rating, rationale=claim.rationale, event=VerdictEvent.PROPOSED, at=at)
    )
    claim.verdicts.append(
        Verdict(rating=rating, rationale=claim.rationale, event=VerdictEvent.PUBLISHED, at=at)
    )
    session.flush()


def build_world(session: Session) -> PublicWorld:
    """Public claims in four languages, a retracted and an updated one, and private records."""
    world = PublicWorld()
    outlet = make_outlet(
        session, "Zarya Test TV", "zarya-test.example", country="RU", kind=OutletKind.TV_CHANNEL
    )
    other = make_outlet(session, "Zvezda Test", "vestnik-test.example", country="RU")
    hidden_outlet = make_outlet(session, f"{MARKER} outlet only in drafts", "secret-out.example")
    world.outlet, world.other_outlet, world.private_outlet = outlet.id, other.id, hidden_outlet.id
    ua = session.get(Country, "UA") or Country(code="UA", name="Ukraine")
    ru = session.get(Country, "RU") or Country(code="RU", name="Russia")
    session.add_all([ua, ru])
    narrative = Narrative(slug="foreign-legion", name="Foreign legion narrative")
    hidden_narrative = Narrative(
        slug="deleted-narrative", name=f"{MARKER} deleted narrative", deleted_at=PUBLISHED_AT
    )
    session.add_all([narrative, hidden_narrative])
    session.flush()
    world.narrative, world.private_narrative = narrative.slug, hidden_narrative.slug

    snapshot = Snapshot(
        original_url="https://zarya-test.example/news/1",
        title="Zarya page",
        text="Archived page text.\nSecond paragraph.",
        sha256="a" * 64,
        http_status=200,
    )
    hidden_snapshot = Snapshot(
        original_url="https://secret-out.example/x", title=f"{MARKER} snapshot", text=MARKER
    )
    session.add_all([snapshot, hidden_snapshot])
    session.flush()
    world.snapshot, world.private_snapshot = snapshot.id, hidden_snapshot.id

    en = make_claim(
        session,
        "Russia has recruited tens of thousands of foreign volunteers in Moscow.",
        outlet=outlet,
        url="https://zarya-test.example/news/1",
        summary_en="Tens of thousands of foreign volunteers recruited in Moscow.",
        rationale="The UK Ministry of Defence counts more than 1,500.",
        first_seen=date(2024, 6, 1),
    )
    en.appearances[0].snapshot = snapshot
    en.appearances[0].appeared_on = date(2024, 6, 1)
    en.appearances.append(
        Appearance(url="https://t.me/zarya_test/2", outlet=other, appeared_on=date(2024, 6, 3))
    )
    en.narratives = [narrative, hidden_narrative]
    en.countries = [ru]
    _publish(session, en, Rating.FALSE)
    world.en = en.id

    ru_claim = make_claim(
        session,
        "Украинские военные сами организовали взрывы на складах в Виннице.",
        language="ru",
        outlet=outlet,
        url="https://zarya-test.example/news/2",
        summary_en="Ukrainian soldiers organised the explosions in Vinnytsia.",
        rationale="No evidence supports this.",
        first_seen=date(2023, 3, 10),
    )
    ru_claim.countries = [ua]
    ru_claim.narratives = [narrative]
    _publish(session, ru_claim, Rating.FALSE, PUBLISHED_AT - timedelta(days=30))
    world.ru = ru_claim.id

    uk = make_claim(
        session,
        "Західні санкції зруйнували економіку Європи, а не Росії.",
        language="uk",
        outlet=other,
        url="https://vestnik-test.example/1",
        summary_en="Western sanctions ruined Europe's economy, not Russia's.",
        rationale="Both economies were affected.",
        first_seen=date(2022, 9, 1),
    )
    uk.countries = [ua]
    _publish(session, uk, Rating.MISSING_CONTEXT, PUBLISHED_AT - timedelta(days=60))
    world.uk = uk.id

    de = make_claim(
        session,
        "Deutschland friert: Millionen Haushalte können ihre Heizung nicht bezahlen.",
        language="de",
        outlet=other,
        url="https://vestnik-test.example/2",
        summary_en="Millions of German households cannot pay for heating.",
        rationale='=HYPERLINK("https://evil.example") figures were exaggerated.',
        first_seen=date(2022, 11, 20),
    )
    _publish(session, de, Rating.MISLEADING, PUBLISHED_AT - timedelta(days=90))
    world.de = de.id

    retracted = make_claim(
        session,
        "A video shows soldiers burning a flag inside a church.",
        outlet=outlet,
        url="https://zarya-test.example/news/3",
        rationale="The video was staged.",
        first_seen=date(2023, 1, 9),
    )
    _publish(session, retracted, Rating.FALSE, PUBLISHED_AT - timedelta(days=120))
    retracted.status = ClaimStatus.RETRACTED
    retracted.correction_note = "We could not confirm the origin of the video; check withdrawn."
    retracted.verdicts.append(
        Verdict(
            rating=Rating.FALSE,
            event=VerdictEvent.RETRACTED,
            note=retracted.correction_note,
            at=PUBLISHED_AT - timedelta(days=100),
        )
    )
    world.retracted = retracted.id

    updated = make_claim(
        session,
        "Hundreds of Western instructors are secretly stationed in Kyiv.",
        outlet=other,
        url="https://vestnik-test.example/3",
        rationale="No evidence either way.",
        first_seen=date(2023, 5, 1),
    )
    _publish(session, updated, Rating.UNPROVEN, PUBLISHED_AT - timedelta(days=10))
    updated.verdicts.append(
        Verdict(
            rating=Rating.UNPROVEN,
            event=VerdictEvent.UPDATED,
            note="New satellite images did not settle the question.",
            at=PUBLISHED_AT + timedelta(days=5),
        )
    )
    # A proposal on a published claim is internal until an editor publishes it.
    updated.verdicts.append(
        Verdict(
            rating=Rating.FALSE,
            rationale=f"{MARKER} proposed rationale",
            event=VerdictEvent.PROPOSED,
            note=f"{MARKER} proposed note",
            at=PUBLISHED_AT + timedelta(days=6),
        )
    )
    world.updated = updated.id

    private = {}
    for status in (ClaimStatus.DRAFT, ClaimStatus.IN_REVIEW, ClaimStatus.RETURNED):
        claim = make_claim(
            session,
            f"{MARKER} {status.value} claim about foreign volunteers in Moscow",
            status=status,
            rating=Rating.FALSE,
            outlet=hidden_outlet,
            url=f"https://secret-out.example/{status.value}",
            summary_en=f"{MARKER} summary",
            rationale=f"{MARKER} rationale",
            first_seen=date(2024, 6, 2),
        )
        claim.appearances[0].snapshot = hidden_snapshot
        claim.narratives = [narrative]
        claim.countries = [ru]
        private[status.value] = claim.id
    never_published = make_claim(
        session,
        f"{MARKER} retracted before publication, foreign volunteers",
        status=ClaimStatus.RETRACTED,
        rating=Rating.FALSE,
        outlet=hidden_outlet,
        url="https://secret-out.example/retracted",
        first_seen=date(2024, 6, 2),
    )
    private["retracted_unpublished"] = never_published.id
    deleted = make_claim(
        session,
        f"{MARKER} deleted published claim about foreign volunteers",
        outlet=outlet,
        url="https://zarya-test.example/deleted",
        first_seen=date(2024, 6, 2),
    )
    _publish(session, deleted, Rating.FALSE)
    deleted.deleted_at = PUBLISHED_AT + timedelta(days=1)
    private["deleted"] = deleted.id
    world.private_claims = private

    article = make_article(
        session,
        "Foreign recruitment in Moscow: what the numbers say",
        publisher="Test Fact Check",
        claim_statement="Russia recruited tens of thousands of foreigners in Moscow.",
        published_on=date(2024, 6, 20),
    )
    hidden_article = make_article(
        session, f"{MARKER} deleted article", deleted_at=PUBLISHED_AT, publisher="x"
    )
    unconfirmed_article = make_article(session, f"{SUGGESTED} article suggested for the claim")
    world.article, world.private_article = article.id, hidden_article.id
    world.suggested_article = unconfirmed_article.id
    session.add_all(
        [
            ClaimArticleLink(claim_id=en.id, article_id=article.id, status=LinkStatus.CONFIRMED),
            ClaimArticleLink(
                claim_id=en.id, article_id=hidden_article.id, status=LinkStatus.CONFIRMED
            ),
            ClaimArticleLink(
                claim_id=en.id, article_id=unconfirmed_article.id, status=LinkStatus.SUGGESTED
            ),
            ClaimArticleLink(
                claim_id=private["draft"], article_id=article.id, status=LinkStatus.CONFIRMED
            ),
        ]
    )

    figure = make_figure(
        session,
        1500,
        subject="foreign citizens recruited in Moscow",
        qualifier=FigureQualifier.MORE_THAN,
        unit="people",
        period_start=date(2023, 4, 1),
        period_end=date(2024, 5, 31),
        place="Moscow",
        publisher="UK Ministry of Defence",
        cited_source="iStories",
        article_id=article.id,
    )
    for position, (label, value) in enumerate(
        [("South and East Asia", 771), ("Former Soviet republics", 523), ("Africa", 72)]
    ):
        figure.parts.append(
            make_figure(
                session, value, subject=f"recruits from {label}", label=label, position=position
            )
        )
    hidden_figure = make_figure(
        session, 99, subject=f"{MARKER} deleted figure", deleted_at=PUBLISHED_AT
    )
    world.figure, world.private_figure = figure.id, hidden_figure.id
    session.add_all(
        [
            ClaimFigureLink(
                claim_id=en.id,
                figure_id=figure.id,
                stated_text="tens of thousands",
                stated_value=10_000,
                relation=FigureRelation.OVERSTATES,
                status=LinkStatus.CONFIRMED,
            ),
            ClaimFigureLink(
                claim_id=ru_claim.id,
                figure_id=figure.id,
                stated_text="",
                status=LinkStatus.SUGGESTED,
                reason=f"{MARKER} suggested figure reason",
            ),
            ClaimFigureLink(
                claim_id=en.id,
                figure_id=hidden_figure.id,
                stated_text="x",
                status=LinkStatus.CONFIRMED,
            ),
            ClaimFigureLink(
                claim_id=private["draft"],
                figure_id=figure.id,
                stated_text=f"{MARKER} stated",
                status=LinkStatus.CONFIRMED,
            ),
            ClaimLink(claim_id=en.id, other_claim_id=ru_claim.id, status=LinkStatus.CONFIRMED),
            ClaimLink(claim_id=en.id, other_claim_id=uk.id, status=LinkStatus.REJECTED),
            ClaimLink(
                claim_id=en.id, other_claim_id=private["in_review"], status=LinkStatus.CONFIRMED
            ),
        ]
    )
    # Internal comments, on a public claim too: signed-in users only.
    reviewer = make_user(session, Role.EDITOR, name=f"{MARKER} reviewer")
    session.add_all(
        [
            Comment(claim_id=en.id, author_id=reviewer.id, body=f"{MARKER} internal comment"),
            Comment(
                claim_id=updated.id,
                author_id=reviewer.id,
                body=f"{MARKER} returned for sources",
                workflow_action="returned",
            ),
        ]
    )
    session.flush()
    from tracker.services.indexing import reindex_claims

    reindex_claims(session, [*world.public_claims, *private.values()])
    session.commit()
    return world
