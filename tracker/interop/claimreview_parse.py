"""Reading one ClaimReview object into a :class:`ParsedReview`, repairing what is messy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.interop.claimreview_item import read_citations, read_item_reviewed
from tracker.interop.claimreview_model import ParsedReview, Party, RejectedItem
from tracker.interop.claimreview_reader import Reader, read_rating
from tracker.interop.jsonld import id_index, is_organisation, tidy, types_of
from tracker.interop.languages import detect_language, normalise_language
from tracker.interop.ratings import map_rating
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
    reader = Reader(base, {})
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
    claim = read_item_reviewed(node, reader)
    rating = read_rating(node.get("reviewRating"), reader, "reviewRating")
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
        body=reader.text(node.get("reviewBody"), "reviewBody", exact=True),
        citations=read_citations(node, reader, language),
    )


def _check_type(node: dict[str, Any], reader: Reader, context_given: bool | None) -> str | None:
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
    node: dict[str, Any], reader: Reader, url: str
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


def _claim_text(node: dict[str, Any], reader: Reader) -> str | None:
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


def _language(
    node: dict[str, Any],
    reader: Reader,
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
