"""Reading what a ClaimReview says besides its rating: the claim it reviews
(``itemReviewed``) and the other articles it cites (``citation``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.interop.claimreview_model import CitedWork, Party, RatingInfo, ReviewedClaimInfo
from tracker.interop.claimreview_reader import Reader, read_rating
from tracker.interop.dates import parse_date
from tracker.interop.jsonld import types_of
from tracker.interop.languages import normalise_language
from tracker.interop.ratings import map_rating
from tracker.interop.urls import is_profile_url

#: Language tags kept as they are: "undetermined", "no linguistic content", "several".
_SPECIAL_LANGUAGES = frozenset({"und", "zxx", "mul"})


def read_item_reviewed(node: dict[str, Any], reader: Reader) -> ReviewedClaimInfo:
    """The claim of a review: claimant, date, language and where it appeared.

    Appearances are the item's ``appearance`` and ``firstAppearance``, its own ``url``
    (when it is a CreativeWork rather than a Claim) and ``sameAs``, and the ``sameAs`` of
    its author when that is one post (as in Google's example); an author's ``sameAs`` that
    is an account, a home page or an encyclopaedia entry is their profile instead. The
    claim's date belongs to its first appearance, else to the item's own URL, else to its
    only appearance.
    """
    item = reader.one(node.get("itemReviewed"), "itemReviewed")
    if not isinstance(item, dict):
        reader.warn("no itemReviewed")
        return ReviewedClaimInfo()
    types = types_of(item)
    if "Claim" not in types:
        shown = ", ".join(types) or "untyped"
        reader.warn(f"itemReviewed is {shown}, not a Claim: read as the claim")
    author = reader.one(item.get("author"), "itemReviewed.author")
    claimant = reader.party(author, "itemReviewed.author")
    found = _Appearances(reader)
    found.add(item.get("appearance"), "itemReviewed.appearance")
    first_node = reader.one(item.get("firstAppearance"), "itemReviewed.firstAppearance")
    first = found.add(first_node, "itemReviewed.firstAppearance", at_start=True)
    own: list[str] = []
    if "Claim" not in types:
        own += found.add(item.get("url"), "itemReviewed.url")
    found.add(item.get("sameAs"), "itemReviewed.sameAs")
    if isinstance(author, dict) and author.get("sameAs"):
        claimant, posts = _author_same_as(author, claimant, found, reader)
        own += posts
    if _same_party(claimant, found.publisher_of(first[0] if first else None)):
        # The claim's "author" is only the outlet of its first appearance (what our own
        # export writes when no claimant is recorded): an outlet, not a claimant.
        claimant = Party()
    language = _claim_language(item.get("inLanguage"), reader)
    dated = first or own or (found.links if len(found.links) == 1 else [])
    return ReviewedClaimInfo(
        claimant=claimant,
        date=reader.date(item.get("datePublished"), "itemReviewed.datePublished"),
        appearances=tuple(found.links),
        first_appearance=first[0] if first else None,
        language=language,
        appearance_dates=tuple((u, found.dates[u]) for u in found.links if u in found.dates),
        dated_by_claim=tuple(dated[:1] if first else dated),
        publishers=tuple((u, found.publishers[u]) for u in found.links if u in found.publishers),
    )


class _Appearances:
    """The appearance URLs of one item, in order, with the dates and outlets they carry."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.links: list[str] = []
        self.dates: dict[str, date] = {}
        self.publishers: dict[str, Party] = {}

    def add(self, value: Any, field: str, *, at_start: bool = False) -> list[str]:
        added: list[str] = []
        for entry in self.reader.many(value):
            link = self.reader.url(entry, field)
            if not link:
                continue
            if link not in self.links:
                self.links.insert(0, link) if at_start else self.links.append(link)
            added.append(link)
            if not isinstance(entry, dict):
                continue
            if entry.get("datePublished"):
                when = parse_date(entry.get("datePublished")).value
                if when is not None:
                    self.dates.setdefault(link, when)
            outlet = self.reader.one(entry.get("publisher"), f"{field}.publisher")
            if isinstance(outlet, dict):
                party = self.reader.party(outlet, f"{field}.publisher")
                if party.name:
                    self.publishers.setdefault(link, party)
        return added

    def publisher_of(self, link: str | None) -> Party | None:
        return self.publishers.get(link) if link else None


def _author_same_as(
    author: dict[str, Any], claimant: Party, found: _Appearances, reader: Reader
) -> tuple[Party, list[str]]:
    posts: list[str] = []
    profile = claimant.url
    for entry in reader.many(author.get("sameAs")):
        link = reader.url(entry, "itemReviewed.author.sameAs")
        if not link:
            continue
        if is_profile_url(link):
            profile = profile or link
            continue
        posts += found.add(link, "itemReviewed.author.sameAs")
    if posts:
        reader.warn("appearance taken from itemReviewed.author.sameAs (as in Google's example)")
    return Party(claimant.name, profile), posts


def _same_party(claimant: Party, outlet: Party | None) -> bool:
    return bool(
        outlet and claimant.name and (claimant.name, claimant.url) == (outlet.name, outlet.url)
    )


def _claim_language(value: Any, reader: Reader) -> str | None:
    if isinstance(value, str) and value.strip().lower() in _SPECIAL_LANGUAGES:
        return value.strip().lower()
    language = normalise_language(value)
    if language.warning:
        reader.warn(f"itemReviewed.inLanguage: {language.warning}")
    return language.code


def read_citations(
    node: dict[str, Any], reader: Reader, language: str | None
) -> tuple[CitedWork, ...]:
    """The articles in ``citation`` that have a usable URL, with their ratings mapped."""
    cited: list[CitedWork] = []
    for index, entry in enumerate(reader.many(node.get("citation"))):
        if not isinstance(entry, dict):
            continue
        field = f"citation[{index}]"
        url = reader.url(entry.get("url") or entry.get("@id"), f"{field}.url")
        if not url or any(c.url == url for c in cited):
            continue
        publisher = reader.party(reader.one(entry.get("publisher"), f"{field}.publisher"), field)
        author = reader.party(reader.one(entry.get("author"), f"{field}.author"), field)
        about = reader.one(entry.get("about"), f"{field}.about")
        statement = (
            reader.text(about.get("text") or about.get("name"), f"{field}.about")
            if isinstance(about, dict)
            else reader.text(about, f"{field}.about")
        )
        review = reader.one(entry.get("review"), f"{field}.review")
        rating_node = review.get("reviewRating") if isinstance(review, dict) else None
        rating = (
            read_rating(rating_node, reader, f"{field}.review.reviewRating")
            if rating_node
            else RatingInfo()
        )
        cited_language = normalise_language(entry.get("inLanguage")).code
        mapping = map_rating(
            rating.value,
            rating.best,
            rating.worst,
            rating.alternate_name,
            cited_language or language,
        )
        title = reader.text(entry.get("headline") or entry.get("name"), f"{field}.headline")
        cited.append(
            CitedWork(
                url=url,
                title=title or url,
                publisher=publisher.name,
                author=author.name,
                date=reader.date(entry.get("datePublished"), f"{field}.datePublished"),
                language=cited_language,
                statement=statement,
                rating=rating,
                mapping=mapping if rating_node else None,
            )
        )
    return tuple(cited)
