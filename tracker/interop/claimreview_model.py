"""The plain values that ClaimReview reading produces."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.interop.ratings import RatingMapping

# `date` is also a field name below; the type gets a name of its own.
Day = date


@dataclass(frozen=True)
class Party:
    """A person or organisation: a name and a URL, either possibly unknown."""

    name: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class ReviewedClaimInfo:
    """What ``itemReviewed`` says about the claim itself."""

    #: Who made the claim; ``url`` is their site or profile (a Wikipedia page, say).
    claimant: Party = field(default_factory=Party)
    date: date | None = None
    appearances: tuple[str, ...] = ()
    first_appearance: str | None = None
    language: str | None = None
    # The dates that appearances (CreativeWork nodes) carry themselves, by URL.
    appearance_dates: tuple[tuple[str, Day], ...] = ()
    #: The appearances the claim's date belongs to: its first appearance, else its own URL.
    dated_by_claim: tuple[str, ...] = ()
    #: The outlet (``publisher``) that appearance nodes name, by URL.
    publishers: tuple[tuple[str, Party], ...] = ()


@dataclass(frozen=True)
class RatingInfo:
    """The rating exactly as the organisation wrote it (``alternate_name`` only trimmed)."""

    value: float | None = None
    best: float | None = None
    worst: float | None = None
    alternate_name: str | None = None
    explanation: str | None = None  # ratingExplanation


@dataclass(frozen=True)
class CitedWork:
    """An article a review cites (``citation``): another debunk of the same claim."""

    url: str
    title: str
    publisher: str | None = None
    author: str | None = None
    date: date | None = None
    language: str | None = None
    statement: str | None = None  # ``about``: the claim it refutes
    rating: RatingInfo = field(default_factory=RatingInfo)
    mapping: RatingMapping | None = None


@dataclass(frozen=True)
class ParsedReview:
    """One ClaimReview, normalised. ``warnings`` lists every repair that was needed."""

    url: str
    external_id: str
    publisher: Party
    authors: tuple[str, ...]
    date_published: date | None
    date_modified: date | None
    language: str | None
    language_source: str | None  # "inLanguage", "html lang", "detected", "languageCode"
    claim_reviewed: str | None
    claim: ReviewedClaimInfo
    rating: RatingInfo
    mapping: RatingMapping
    headline: str | None
    warnings: tuple[str, ...]
    origin: str | None = None  # where it was read: "file.jsonl:3", "page.html#json-ld"
    raw: Any = None  # the ClaimReview node as found, kept with the imported article
    body: str | None = None  # reviewBody: the whole rationale
    citations: tuple[CitedWork, ...] = ()


@dataclass(frozen=True)
class RejectedItem:
    """Something that was not (or not a usable) ClaimReview, with the reason."""

    origin: str | None
    reason: str
    raw: Any = None
