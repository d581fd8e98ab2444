"""ClaimReview out: our published verdicts as schema.org ClaimReview and DataFeed.

The output follows Google's fact-check documentation and schema.org:
``claimReviewed``, ``reviewRating`` (``ratingValue``/``bestRating``/``worstRating`` on our
1-5 scale plus ``alternateName``, the English label), ``url``, ``author`` (the publishing
organisation, as Google asks), ``datePublished``/``dateModified`` and ``itemReviewed`` as a
``Claim`` with ``author`` (the outlet), ``datePublished``, ``appearance`` and
``firstAppearance``. The rationale summary goes into ``reviewRating.ratingExplanation``,
schema.org's property for "the background that led to the conclusion" of a fact check.

So that importing our own feed gives our records back, the review also carries what
search engines do not need: the whole rationale as written (``reviewBody``), who made the
claim (``itemReviewed.author``: the claimant when one is recorded, else the outlet of the
first appearance, which is then also that appearance's ``publisher``), the outlet of every
appearance (its ``publisher``), the claim's language even when it is ``und``, and the
other debunk articles linked to the claim (``citation``: an ``Article`` each, with its
publisher, author, date, language, the claim it refutes as ``about``, and its rating as
written with our scale as a ``review``).

``unproven`` and ``satire`` carry NO number. Google documents ``alternateName`` as the
required, displayed part of the rating and ``ratingValue`` as recommended only, in the
range ``worstRating``-``bestRating``; a value outside it (the ``-1`` some publishers use)
would contradict that range. So these two verdicts are published with ``alternateName``
only (no ``ratingValue``, ``bestRating`` or ``worstRating``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from tracker.interop.scale import BEST_RATING, VERDICT_LABELS, VERDICT_NUMBERS, WORST_RATING

SCHEMA_CONTEXT = "https://schema.org"


@dataclass(frozen=True)
class Organisation:
    """A publisher or an outlet: name, site URL and (for publishers) a logo URL."""

    name: str
    url: str | None = None
    logo: str | None = None


@dataclass(frozen=True)
class AppearanceRef:
    """One place where the claim appeared, with its date and outlet when known."""

    url: str
    date: date | None = None
    publisher: Organisation | None = None


@dataclass(frozen=True)
class CitedArticle:
    """Another debunk article linked to the claim (ours or another organisation's)."""

    url: str
    title: str
    publisher: str | None = None
    author: str | None = None
    date: date | None = None
    language: str | None = None
    statement: str | None = None
    rating_text: str | None = None
    verdict: str | None = None  # its rating on our scale


@dataclass(frozen=True)
class ReviewedClaim:
    """Everything a published ClaimReview says, as plain values from our records."""

    claim_text: str
    verdict: str
    review_url: str
    date_published: date
    publisher: Organisation
    claim_language: str | None = None
    claimant: Organisation | None = None
    claim_date: date | None = None
    first_appearance: AppearanceRef | None = None
    appearances: tuple[AppearanceRef, ...] = ()
    rationale_summary: str | None = None
    date_modified: date | None = None
    headline: str | None = None
    review_language: str | None = None
    authors: tuple[str, ...] = field(default=())
    #: "Person" for a claimant recorded by name, "Organization" for an outlet.
    claimant_type: str = "Organization"
    rationale: str | None = None  # the whole rationale, as written
    citations: tuple[CitedArticle, ...] = ()

    def __post_init__(self) -> None:
        if self.verdict not in VERDICT_NUMBERS:
            raise ValueError(f"unknown verdict {self.verdict!r}; ours are {list(VERDICT_NUMBERS)}")


def rating_for(verdict: str) -> dict[str, Any]:
    """The ``Rating`` node for one of our verdicts (see the module note on unproven/satire)."""
    number = VERDICT_NUMBERS[verdict]
    rating: dict[str, Any] = {"@type": "Rating"}
    if number is not None:
        rating.update(ratingValue=number, bestRating=BEST_RATING, worstRating=WORST_RATING)
    rating["alternateName"] = VERDICT_LABELS[verdict]
    return rating


def build_claimreview(claim: ReviewedClaim, *, with_context: bool = True) -> dict[str, Any]:
    """The ClaimReview dict for CLAIM (JSON-ready: dates as ISO strings)."""
    review: dict[str, Any] = {}
    if with_context:
        review["@context"] = SCHEMA_CONTEXT
    review["@type"] = "ClaimReview"
    review["url"] = claim.review_url
    review["claimReviewed"] = claim.claim_text
    if claim.headline:
        review["name"] = claim.headline
    if claim.review_language:
        review["inLanguage"] = claim.review_language
    review["datePublished"] = claim.date_published.isoformat()
    if claim.date_modified:
        review["dateModified"] = claim.date_modified.isoformat()
    review["author"] = _organisation(claim.publisher)
    if claim.authors:
        # Google wants the organisation as author; the people who wrote it are credited
        # as contributors so that they are not lost.
        review["contributor"] = [{"@type": "Person", "name": name} for name in claim.authors]
    rating = rating_for(claim.verdict)
    if claim.rationale_summary:
        rating["ratingExplanation"] = claim.rationale_summary
    review["reviewRating"] = rating
    if claim.rationale:
        review["reviewBody"] = claim.rationale
    review["itemReviewed"] = _claim_node(claim)
    if claim.citations:
        review["citation"] = [_citation(article) for article in claim.citations]
    return review


def _citation(article: CitedArticle) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Article", "url": article.url, "headline": article.title}
    if article.publisher:
        node["publisher"] = {"@type": "Organization", "name": article.publisher}
    if article.author:
        node["author"] = {"@type": "Person", "name": article.author}
    if article.date:
        node["datePublished"] = article.date.isoformat()
    if article.language:
        node["inLanguage"] = article.language
    if article.statement:
        node["about"] = {"@type": "Claim", "text": article.statement}
    if article.rating_text or article.verdict:
        rating = rating_for(article.verdict) if article.verdict else {"@type": "Rating"}
        if article.rating_text:
            rating["alternateName"] = article.rating_text
        node["review"] = {"@type": "Review", "reviewRating": rating}
    return node


def _organisation(org: Organisation) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Organization", "name": org.name}
    if org.url:
        node["url"] = org.url
    if org.logo:
        node["logo"] = {"@type": "ImageObject", "url": org.logo}
    return node


def _creative_work(ref: AppearanceRef) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "CreativeWork", "url": ref.url}
    if ref.date:
        node["datePublished"] = ref.date.isoformat()
    if ref.publisher:
        node["publisher"] = _organisation(ref.publisher)
    return node


def _claim_node(claim: ReviewedClaim) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Claim"}
    if claim.claimant:
        node["author"] = _organisation(claim.claimant)
        node["author"]["@type"] = claim.claimant_type
    claim_date = claim.claim_date or (claim.first_appearance and claim.first_appearance.date)
    if claim_date:
        node["datePublished"] = claim_date.isoformat()
    if claim.claim_language:
        node["inLanguage"] = claim.claim_language
    if claim.first_appearance:
        node["firstAppearance"] = _creative_work(claim.first_appearance)
    others = [a for a in claim.appearances if a != claim.first_appearance]
    if others:
        node["appearance"] = [_creative_work(a) for a in others]
    return node


def build_datafeed(
    claims: Iterable[ReviewedClaim], *, date_modified: datetime | None = None
) -> dict[str, Any]:
    """A schema.org ``DataFeed`` with one ``DataFeedItem`` per ClaimReview."""
    feed: dict[str, Any] = {"@context": SCHEMA_CONTEXT, "@type": "DataFeed"}
    if date_modified:
        feed["dateModified"] = date_modified.isoformat()
    feed["dataFeedElement"] = [_feed_item(claim) for claim in claims]
    return feed


def _feed_item(claim: ReviewedClaim) -> dict[str, Any]:
    return {
        "@type": "DataFeedItem",
        "dateCreated": claim.date_published.isoformat(),
        **({"dateModified": claim.date_modified.isoformat()} if claim.date_modified else {}),
        "item": [build_claimreview(claim, with_context=False)],
    }


def write_datafeed(
    stream: IO[str], claims: Iterable[ReviewedClaim], *, date_modified: datetime | None = None
) -> int:
    """Write the DataFeed of CLAIMS as JSON to STREAM one item at a time; return the count.

    The output is the same JSON as ``json.dumps(build_datafeed(...))`` but never holds
    more than one ClaimReview in memory, so a large public feed can be streamed.
    """
    head: dict[str, Any] = {"@context": SCHEMA_CONTEXT, "@type": "DataFeed"}
    if date_modified:
        head["dateModified"] = date_modified.isoformat()
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    stream.write(opening + ', "dataFeedElement": [')
    count = 0
    for claim in claims:
        if count:
            stream.write(", ")
        stream.write(json.dumps(_feed_item(claim), ensure_ascii=False))
        count += 1
    stream.write("]}")
    return count
