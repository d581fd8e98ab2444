"""Reading one ClaimReview object into a :class:`ParsedReview`, repairing what is messy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.interop.claimreview_model import (
    ParsedReview,
    Party,
    RatingInfo,
    RejectedItem,
    ReviewedClaimInfo,
)
from tracker.interop.dates import parse_date
from tracker.interop.jsonld import id_index, is_organisation, resolve, tidy, types_of
from tracker.interop.languages import detect_language, normalise_language
from tracker.interop.ratings import map_rating, to_number
from tracker.interop.textnorm import clean_text
from tracker.interop.urls import clean_url, normalise_url, site_of

#: A detected language overrides the page's <html lang> only when this sure.
OVERRIDE_PROBABILITY = 0.8


@dataclass(frozen=True)
class PageContext:
    """What the page around the markup says: its URL, ``<html lang>``, article date."""

    url: str | None = None
    lang: str | None = None
    date: date | None = None
    date_source: str | None = None


class _Reader:
    """Collects warnings while reading one node; ``field`` names prefix the messages."""

    def __init__(self, base_url: str | None, index: dict[str, dict[str, Any]]) -> None:
        self.base_url = base_url
        self.index = index
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def one(self, value: Any, field: str) -> Any:
        """The first meaningful element when a single value is expected but a list came."""
        if isinstance(value, list):
            items = [v for v in value if v not in (None, "", [], {})]
            if len(items) > 1:
                self.warn(f"{field}: {len(items)} values given, the first is used")
            value = items[0] if items else None
        return resolve(value, self.index)

    def many(self, value: Any) -> list[Any]:
        items = value if isinstance(value, list) else [value]
        return [resolve(v, self.index) for v in items if v not in (None, "", [], {})]

    def text(self, value: Any, field: str, *, multiline: bool = False) -> str | None:
        if isinstance(value, list) and len(value) == 1:
            self.warn(f"{field}: a list of one value, unwrapped")
        value = self.one(value, field)
        if isinstance(value, dict):
            value = value.get("@value") or value.get("name") or value.get("text")
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return None
        cleaned, repairs = clean_text(value, multiline=multiline)
        for repair in repairs:
            self.warn(f"{field}: {repair}")
        return cleaned or None

    def url(self, value: Any, field: str) -> str | None:
        value = self.one(value, field)
        if isinstance(value, dict):
            value = value.get("url") or value.get("@id")
        if value is None or value == "":
            return None
        result = clean_url(value, base=self.base_url)
        for warning in result.warnings:
            self.warn(f"{field}: {warning}")
        if result.error:
            self.warn(f"{field}: {result.error}: left out")
        return result.url

    def date(self, value: Any, field: str) -> date | None:
        value = self.one(value, field)
        result = parse_date(value)
        if result.error:
            self.warn(f"{field}: {result.error}: left empty")
        if result.warning:
            self.warn(f"{field}: {result.warning}")
        return result.value

    def party(self, value: Any, field: str) -> Party:
        if isinstance(value, str):
            return Party(clean_text(value)[0] or None, None)
        if not isinstance(value, dict):
            return Party()
        raw_name = value.get("name")
        name: str | None
        if isinstance(raw_name, list) and len([n for n in raw_name if n]) > 1:
            parts = [clean_text(n)[0] for n in raw_name if isinstance(n, str) and n.strip()]
            self.warn(f"{field}.name: a list, joined with commas")
            name = ", ".join(parts) or None
        else:
            name = self.text(raw_name, f"{field}.name")
        return Party(name, self.url(value.get("url"), f"{field}.url"))


def parse_claimreview(
    obj: Any,
    *,
    base_url: str | None = None,
    page: PageContext | None = None,
    origin: str | None = None,
    index: dict[str, dict[str, Any]] | None = None,
    context_given: bool | None = None,
) -> ParsedReview | RejectedItem:
    """Read one ClaimReview object; never raises on bad input, rejects it instead.

    BASE_URL (or ``page.url``) resolves relative URLs. INDEX resolves ``{"@id": ...}``
    references to other nodes of the same document. CONTEXT_GIVEN says whether an
    enclosing object carried ``@context`` (None: look at OBJ itself).
    """
    if not isinstance(obj, dict):
        return RejectedItem(origin, f"not a JSON object but {type(obj).__name__}", obj)
    page = page or PageContext()
    base = base_url or page.url
    reader = _Reader(base, {})
    node = tidy(obj, reader.warnings)
    reader.index = index if index is not None else id_index(node)
    if not isinstance(node, dict):
        return RejectedItem(origin, "markup too deeply nested", obj)
    rejection = _check_type(node, reader, context_given)
    if rejection:
        return RejectedItem(origin, rejection, obj)
    url = reader.url(node.get("url"), "url") or reader.url(
        node.get("mainEntityOfPage"), "mainEntityOfPage"
    )
    if url is None and base is not None:
        url = clean_url(base).url
        if url:
            reader.warn("no usable url: the page URL is used")
    if url is None:
        return RejectedItem(origin, "no usable review URL (url missing or relative)", obj)
    reader.base_url = base or url
    publisher, authors = _publisher_and_authors(node, reader, url)
    claim_reviewed = _claim_text(node, reader)
    headline = reader.text(node.get("headline"), "headline") or reader.text(
        node.get("name"), "name"
    )
    date_published = reader.date(node.get("datePublished"), "datePublished")
    if date_published is None and page.date is not None:
        date_published = page.date
        reader.warn(f"no datePublished: taken from the page's {page.date_source or 'article'}")
    elif date_published is None and "datePublished" not in node:
        reader.warn("no datePublished")
    language, language_source = _language(node, reader, page, claim_reviewed, headline)
    claim = _claim(node, reader)
    rating = _rating(node, reader)
    mapping = map_rating(rating.value, rating.best, rating.worst, rating.alternate_name, language)
    return ParsedReview(
        url=url,
        external_id=normalise_url(url),
        publisher=publisher,
        authors=authors,
        date_published=date_published,
        date_modified=reader.date(node.get("dateModified"), "dateModified"),
        language=language,
        language_source=language_source,
        claim_reviewed=claim_reviewed,
        claim=claim,
        rating=rating,
        mapping=mapping,
        headline=headline,
        warnings=tuple(reader.warnings),
        origin=origin,
        raw=obj,
    )


def _check_type(node: dict[str, Any], reader: _Reader, context_given: bool | None) -> str | None:
    types = types_of(node)
    if types and "ClaimReview" not in types:
        return f"not a ClaimReview (@type {', '.join(types)})"
    if not types:
        if not any(k in node for k in ("claimReviewed", "reviewRating", "itemReviewed")):
            return "not a ClaimReview: no @type and no claimReviewed, reviewRating, itemReviewed"
        reader.warn("no @type: read as ClaimReview")
    elif len(types) > 1:
        reader.warn(f"@type is a list {types!r}: read as ClaimReview")
    has_context = context_given if context_given is not None else "@context" in node
    if not has_context:
        reader.warn("no @context: schema.org assumed")
    return None


def _publisher_and_authors(
    node: dict[str, Any], reader: _Reader, url: str
) -> tuple[Party, tuple[str, ...]]:
    author_nodes = reader.many(node.get("author"))
    names: list[str] = []
    for index, author in enumerate(author_nodes):
        party = reader.party(author, f"author[{index}]" if len(author_nodes) > 1 else "author")
        if party.name and party.name not in names:
            names.append(party.name)
    for person in reader.many(node.get("contributor")):
        party = reader.party(person, "contributor")
        if party.name and party.name not in names:
            names.append(party.name)
    publisher_node = reader.one(node.get("publisher"), "publisher")
    candidates = [publisher_node] if isinstance(publisher_node, dict) else []
    candidates += [a for a in author_nodes if isinstance(a, dict) and is_organisation(a)]
    for candidate in candidates:
        party = reader.party(candidate, "publisher")
        # Without a publisher, an Organization author is the publisher (Google's usage).
        if party.name or party.url:
            return Party(party.name, party.url or site_of(url)), tuple(names)
    reader.warn("no publisher organisation: its site is taken from the review URL")
    return Party(None, site_of(url)), tuple(names)


def _claim_text(node: dict[str, Any], reader: _Reader) -> str | None:
    text = reader.text(node.get("claimReviewed"), "claimReviewed")
    if text:
        return text
    item = reader.one(node.get("itemReviewed"), "itemReviewed")
    if isinstance(item, dict):
        fallback = reader.text(item.get("text") or item.get("name"), "itemReviewed.name")
        if fallback:
            reader.warn("no claimReviewed: the itemReviewed's name is used")
            return fallback
    reader.warn("no claimReviewed")
    return None


def _claim(node: dict[str, Any], reader: _Reader) -> ReviewedClaimInfo:
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
    appearances: list[str] = []
    dates: dict[str, date] = {}

    def add(value: Any, field: str) -> None:
        for entry in reader.many(value):
            link = reader.url(entry, field)
            if link and link not in appearances:
                appearances.append(link)
            if link and isinstance(entry, dict) and entry.get("datePublished"):
                found = parse_date(entry.get("datePublished")).value
                if found is not None:
                    dates.setdefault(link, found)

    add(item.get("appearance"), "itemReviewed.appearance")
    first_node = reader.one(item.get("firstAppearance"), "itemReviewed.firstAppearance")
    first = reader.url(first_node, "itemReviewed.firstAppearance")
    if first and isinstance(first_node, dict) and first_node.get("datePublished"):
        found = parse_date(first_node.get("datePublished")).value
        if found is not None:
            dates.setdefault(first, found)
    if "Claim" not in types:
        add(item.get("url"), "itemReviewed.url")
    add(item.get("sameAs"), "itemReviewed.sameAs")
    if isinstance(author, dict) and author.get("sameAs"):
        before = len(appearances)
        add(author.get("sameAs"), "itemReviewed.author.sameAs")
        if len(appearances) > before:
            reader.warn("appearance taken from itemReviewed.author.sameAs (as in Google's example)")
    if first and first not in appearances:
        appearances.insert(0, first)
    language = normalise_language(item.get("inLanguage"))
    if language.warning:
        reader.warn(f"itemReviewed.inLanguage: {language.warning}")
    return ReviewedClaimInfo(
        claimant=claimant,
        date=reader.date(item.get("datePublished"), "itemReviewed.datePublished"),
        appearances=tuple(appearances),
        first_appearance=first,
        language=language.code,
        appearance_dates=tuple((link, dates[link]) for link in appearances if link in dates),
    )


def _rating(node: dict[str, Any], reader: _Reader) -> RatingInfo:
    rating = reader.one(node.get("reviewRating"), "reviewRating")
    if not isinstance(rating, dict):
        reader.warn("no reviewRating")
        return RatingInfo()
    numbers = {}
    for key in ("ratingValue", "bestRating", "worstRating"):
        raw = reader.one(rating.get(key), f"reviewRating.{key}")
        numbers[key] = to_number(raw)
        if isinstance(raw, str) and raw.strip() and numbers[key] is not None:
            reader.warn("reviewRating: numbers given as text")
        elif raw not in (None, "") and numbers[key] is None:
            reader.warn(f"reviewRating.{key}: {raw!r} is not a number: ignored")
    label = reader.one(rating.get("alternateName"), "reviewRating.alternateName")
    if not isinstance(label, str) or not label.strip():
        name = reader.one(rating.get("name"), "reviewRating.name")
        if isinstance(name, str) and name.strip():
            reader.warn("no reviewRating.alternateName: its name is used")
            label = name
    alternate = label.strip() if isinstance(label, str) else None
    if isinstance(label, str) and alternate != label:
        reader.warn("reviewRating.alternateName: surrounding whitespace trimmed")
    explanation = rating.get("ratingExplanation")
    if explanation is not None and not isinstance(explanation, str):
        reader.warn(f"reviewRating.ratingExplanation: {explanation!r} is not text: ignored")
        explanation = None
    return RatingInfo(
        explanation=reader.text(explanation, "reviewRating.ratingExplanation", multiline=True),
        value=numbers["ratingValue"],
        best=numbers["bestRating"],
        worst=numbers["worstRating"],
        alternate_name=alternate or None,
    )


def _language(
    node: dict[str, Any],
    reader: _Reader,
    page: PageContext,
    claim_text: str | None,
    headline: str | None,
) -> tuple[str | None, str | None]:
    declared = normalise_language(node.get("inLanguage"))
    if declared.warning:
        reader.warn(f"inLanguage: {declared.warning}")
    if declared.code:
        return declared.code, "inLanguage"
    sample = " ".join(t for t in (claim_text, headline) if t)
    detected = detect_language(sample) if sample else None
    page_lang = normalise_language(page.lang).code if page.lang else None
    if page_lang:
        if detected and detected[0] != page_lang and detected[1] >= OVERRIDE_PROBABILITY:
            reader.warn(
                f"<html lang> {page.lang!r} disagrees with the claim text, detected as "
                f"{detected[0]!r} (p={detected[1]:.2f}): {detected[0]!r} used"
            )
            return detected[0], "detected"
        return page_lang, "html lang"
    if detected:
        reader.warn(f"no inLanguage: detected {detected[0]!r} (p={detected[1]:.2f})")
        return detected[0], "detected"
    reader.warn("no inLanguage and the language could not be detected")
    return None, None
