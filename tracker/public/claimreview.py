"""Our public claims as ClaimReview: one per claim page, and the DataFeed of them all.

The JSON itself is built by :mod:`tracker.interop.claimreview_out`; this module only turns
our records into its plain dataclasses. Only published claims with a verdict have a
ClaimReview: a retracted fact check is withdrawn from search engines (its page stays, with
the correction note).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.interop.claimreview_out import (
    SCHEMA_CONTEXT,
    AppearanceRef,
    CitedArticle,
    Organisation,
    ReviewedClaim,
    build_claimreview,
    build_datafeed,
)
from tracker.models import (
    CHANGE_EVENTS,
    Appearance,
    Article,
    Claim,
    ClaimArticleLink,
    ClaimStatus,
    LinkStatus,
    Outlet,
    Verdict,
)
from tracker.public.visibility import public_article_condition, public_claim_condition

RATIONALE_CHARS = 600
BATCH = 500


@dataclass(frozen=True)
class Publisher:
    """Who publishes the reviews, and how to make a claim's public URL."""

    name: str
    site_url: str  # with a trailing slash
    logo_url: str | None = None

    def claim_url(self, claim_id: int) -> str:
        return f"{self.site_url}claims/{claim_id}"


def _plain(text: str | None, limit: int) -> str | None:
    if not text:
        return None
    flat = " ".join(text.replace("#", " ").replace("*", " ").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"


def has_claimreview(claim: Claim) -> bool:
    return claim.status == ClaimStatus.PUBLISHED and claim.rating is not None


def _outlet(outlet: Outlet | None) -> Organisation | None:
    if outlet is None or outlet.deleted_at is not None:
        return None
    domains = outlet.domains
    return Organisation(name=outlet.name, url=f"https://{domains[0]}/" if domains else None)


def _reference(appearance: Appearance) -> AppearanceRef:
    return AppearanceRef(appearance.url, appearance.appeared_on, _outlet(appearance.outlet))


def reviewed_claim(
    claim: Claim,
    publisher: Publisher,
    *,
    modified: datetime | None = None,
    citations: tuple[CitedArticle, ...] = (),
) -> ReviewedClaim:
    """The ClaimReview values of a published claim (its appearances loaded).

    The claimant, when recorded, is who made the claim; otherwise the outlet of the first
    appearance stands for it (what search engines show as "claim by").
    """
    first = claim.first_appearance
    first_ref = _reference(first) if first is not None else None
    claimant = Organisation(name=claim.claimant) if claim.claimant else None
    if claimant is None and first_ref is not None:
        claimant = first_ref.publisher
    if claim.published_at is None or claim.rating is None:
        raise ValueError(f"claim {claim.id} has no published verdict")
    return ReviewedClaim(
        claim_text=claim.text,
        verdict=str(claim.rating.value),
        review_url=publisher.claim_url(claim.id),
        date_published=claim.published_at.date(),
        date_modified=modified.date() if modified and modified > claim.published_at else None,
        publisher=Organisation(publisher.name, publisher.site_url, publisher.logo_url),
        claim_language=claim.language,
        claimant=claimant,
        claimant_type="Person" if claim.claimant else "Organization",
        claim_date=claim.first_seen,
        first_appearance=first_ref,
        appearances=tuple(
            first_ref if a is first and first_ref else _reference(a) for a in claim.appearances
        ),
        rationale_summary=_plain(claim.rationale, RATIONALE_CHARS),
        rationale=claim.rationale,
        headline=claim.summary_en,
        review_language="en",
        citations=tuple(c for c in citations if c.url != publisher.claim_url(claim.id)),
    )


def claimreview_json(
    claim: Claim, publisher: Publisher, modified: datetime | None, articles: list[Article]
) -> str:
    """The JSON-LD for the claim page, safe inside a <script> element. ARTICLES are the
    public debunk articles confirmed for the claim (the page has them already)."""
    ordered = sorted((a for a in articles if a.url), key=lambda article: article.id)
    cited = tuple(cited_article(article) for article in ordered)
    data = build_claimreview(reviewed_claim(claim, publisher, modified=modified, citations=cited))
    return script_safe_json(data)


def cited_article(article: Article) -> CitedArticle:
    """How a debunk article (with a URL) is cited in a ClaimReview."""
    return CitedArticle(
        url=article.url or "",
        title=article.title,
        publisher=article.publisher,
        author=article.author,
        date=article.published_on,
        language=article.language,
        statement=article.claim_statement,
        rating_text=article.rating_text,
        verdict=article.rating.value if article.rating else None,
    )


def cited_articles(session: Session, claim_ids: list[int]) -> dict[int, tuple[CitedArticle, ...]]:
    """The public debunk articles (with a URL) confirmed as linked to each claim."""
    rows = session.execute(
        select(ClaimArticleLink.claim_id, Article)
        .join(Article, Article.id == ClaimArticleLink.article_id)
        .where(
            ClaimArticleLink.claim_id.in_(claim_ids),
            ClaimArticleLink.status == LinkStatus.CONFIRMED,
            public_article_condition(),
            Article.url.is_not(None),
        )
        .order_by(ClaimArticleLink.claim_id, Article.id)
    )
    found: dict[int, list[CitedArticle]] = {}
    for claim_id, article in rows:
        if article.url is None:  # never, given the WHERE; the column is nullable
            continue
        found.setdefault(claim_id, []).append(cited_article(article))
    return {claim_id: tuple(items) for claim_id, items in found.items()}


def script_safe_json(data: object) -> str:
    # "</script>" or "<!--" inside a claim text must not end the script element early.
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _last_updates(session: Session, ids: list[int]) -> dict[int, datetime]:
    rows = session.execute(
        select(Verdict.claim_id, Verdict.at).where(
            Verdict.claim_id.in_(ids), Verdict.event.in_(CHANGE_EVENTS)
        )
    )
    found: dict[int, datetime] = {}
    for claim_id, at in rows:
        if claim_id not in found or at > found[claim_id]:
            found[claim_id] = at
    return found


def iter_reviewed_claims(session: Session, publisher: Publisher) -> Iterator[ReviewedClaim]:
    """Every published claim with a verdict, by id, in batches (constant memory)."""
    last_id = 0
    while True:
        batch = session.scalars(
            select(Claim)
            .where(
                public_claim_condition(),
                Claim.status == ClaimStatus.PUBLISHED,
                Claim.rating.is_not(None),
                Claim.id > last_id,
            )
            .options(selectinload(Claim.appearances).selectinload(Appearance.outlet))
            .order_by(Claim.id)
            .limit(BATCH)
        ).all()
        if not batch:
            return
        ids = [c.id for c in batch]
        updates = _last_updates(session, ids)
        cited = cited_articles(session, ids)
        for claim in batch:
            yield reviewed_claim(
                claim, publisher, modified=updates.get(claim.id), citations=cited.get(claim.id, ())
            )
        last_id = batch[-1].id
        session.expunge_all()


def stream_datafeed(
    claims: Iterable[ReviewedClaim], *, date_modified: datetime | None = None
) -> Iterator[str]:
    """The schema.org DataFeed as JSON text, one ClaimReview at a time."""
    head: dict[str, object] = {"@context": SCHEMA_CONTEXT, "@type": "DataFeed"}
    if date_modified:
        head["dateModified"] = date_modified.isoformat()
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "dataFeedElement": ['
    for index, claim in enumerate(claims):
        (item,) = build_datafeed([claim])["dataFeedElement"]
        yield (", " if index else "") + json.dumps(item, ensure_ascii=False)
    yield "]}"
