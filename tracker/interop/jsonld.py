"""Tidying JSON-LD as real sites write it, before reading ClaimReview out of it.

Real markup has lower-case or misspelt keys (``datepublished``, ``alternativeName``),
prefixed keys and types (``schema:ClaimReview``, ``http://schema.org/ClaimReview``),
``@type`` as a list, ``@graph`` wrappers, nested arrays and ``{"@id": ...}`` references to
nodes elsewhere in the document. This module turns all of that into plain dicts with
schema.org's own spelling, and says what it changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_PREFIX = re.compile(r"^(?:https?://schema\.org/|schema:)", re.IGNORECASE)
_KNOWN_KEYS = [
    "@context", "@type", "@id", "@graph", "@value", "@language", "@list",
    "claimReviewed", "reviewRating", "itemReviewed", "url", "author", "publisher",
    "datePublished", "dateModified", "dateCreated", "name", "headline", "alternateName",
    "ratingValue", "bestRating", "worstRating", "ratingExplanation", "appearance",
    "firstAppearance", "sameAs", "inLanguage", "description", "reviewBody", "logo", "image",
    "mainEntityOfPage", "mainEntity", "dataFeedElement", "item", "text", "jobTitle",
    "email", "identifier", "contributor", "contentUrl", "width", "height", "address", "pageUrl",
]  # fmt: skip
_KEYS = {key.lower(): key for key in _KNOWN_KEYS}
# Misspellings seen in the wild, by their lower-case form.
_MISSPELT = {
    "alternativename": "alternateName",
    "alternatname": "alternateName",
    "datepublised": "datePublished",
    "datepubished": "datePublished",
    "claimreveiwed": "claimReviewed",
    "claimrevieved": "claimReviewed",
    "itemreview": "itemReviewed",
    "reviewedrating": "reviewRating",
    "firstappearence": "firstAppearance",
    "appearence": "appearance",
    "bestratings": "bestRating",
    "worstratings": "worstRating",
}
_KNOWN_TYPES = [
    "ClaimReview", "Claim", "Review", "Rating", "CreativeWork", "Organization", "Person",
    "DataFeed", "DataFeedItem", "ImageObject", "NewsArticle", "Article", "WebPage",
    "NewsMediaOrganization", "MediaReview", "ReportageNewsArticle", "SocialMediaPosting",
    "VideoObject", "WebSite", "Language",
]  # fmt: skip
_TYPES = {name.lower(): name for name in _KNOWN_TYPES}
_ORGANISATION_TYPES = {"Organization", "NewsMediaOrganization", "Corporation", "NGO"}


def canonical_key(key: str) -> str:
    """schema.org's spelling of KEY (``datepublished`` -> ``datePublished``), else KEY."""
    bare = _PREFIX.sub("", key.strip())
    lowered = bare.lower()
    return _KEYS.get(lowered) or _MISSPELT.get(lowered) or bare


def canonical_type(name: str) -> str:
    """``schema:claimReview`` -> ``ClaimReview``; unknown types keep their own spelling."""
    bare = _PREFIX.sub("", name.strip())
    return _TYPES.get(bare.lower(), bare)


def types_of(node: dict[str, Any]) -> list[str]:
    """The node's types, canonical, whether ``@type`` is a string or a list."""
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return [canonical_type(v) for v in values if isinstance(v, str) and v.strip()]


def is_organisation(node: dict[str, Any]) -> bool:
    """True for Organization and its common subtypes."""
    return any(t in _ORGANISATION_TYPES or t.endswith("Organization") for t in types_of(node))


def tidy(value: Any, warnings: list[str], _depth: int = 0) -> Any:
    """A copy of VALUE with canonical keys and types everywhere; repairs go to WARNINGS."""
    if _depth > 50:
        # Nesting this deep is not markup but an attack or a bug: cut it off.
        _note(warnings, "markup nested more than 50 levels deep: cut off")
        return None
    if isinstance(value, list):
        return [tidy(item, warnings, _depth + 1) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for raw_key, item in value.items():
        if not isinstance(raw_key, str):
            continue
        key = canonical_key(raw_key)
        if key != raw_key.strip():
            _note(warnings, f"key {raw_key!r} read as {key!r}")
        if key in out and raw_key != key:
            continue  # the properly spelt key wins over a variant
        out[key] = tidy(item, warnings, _depth + 1)
    if "@type" in out:
        raw_types = out["@type"]
        names = types_of(out)
        shown = raw_types if isinstance(raw_types, list) else [raw_types]
        if [n for n in shown if isinstance(n, str)] != names:
            _note(warnings, f"@type {raw_types!r} read as {names!r}")
        out["@type"] = names[0] if len(names) == 1 else names
    return out


def _note(warnings: list[str], message: str) -> None:
    if message not in warnings:
        warnings.append(message)


def walk(value: Any, _depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every dict inside VALUE (through lists, ``@graph`` and properties), outermost first."""
    if _depth > 50:
        return
    if isinstance(value, list):
        for item in value:
            yield from walk(item, _depth + 1)
    elif isinstance(value, dict):
        yield value
        for item in value.values():
            yield from walk(item, _depth + 1)


def id_index(value: Any) -> dict[str, dict[str, Any]]:
    """Nodes that carry an ``@id`` and more than that, by their id."""
    index: dict[str, dict[str, Any]] = {}
    for node in walk(value):
        node_id = node.get("@id")
        if isinstance(node_id, str) and len(node) > 1:
            index.setdefault(node_id, node)
    return index


def resolve(value: Any, index: dict[str, dict[str, Any]]) -> Any:
    """VALUE, or the node it references when it is only ``{"@id": ...}``."""
    if isinstance(value, dict) and set(value) == {"@id"}:
        return index.get(value["@id"], value) if isinstance(value["@id"], str) else value
    return value


def is_claimreview(node: dict[str, Any]) -> bool:
    """True for nodes typed ClaimReview, and for untyped nodes carrying ``claimReviewed``.

    Works on raw (untidied) nodes: keys and types are compared in canonical form.
    """
    raw_type = next(
        (v for k, v in node.items() if isinstance(k, str) and k.lower() == "@type"), None
    )
    types = types_of({"@type": raw_type})
    if "ClaimReview" in types:
        return True
    return not types and any(
        isinstance(k, str) and canonical_key(k) == "claimReviewed" for k in node
    )


def find_claimreviews(value: Any) -> Iterator[tuple[dict[str, Any], str | None, bool]]:
    """ClaimReview nodes in VALUE, each with a page URL and whether a @context encloses it.

    The page URL is the ``pageUrl`` (or ``page_url``) of the nearest enclosing object:
    Google's ClaimReviewMarkupPage and our fixture files put it next to the markup, and
    relative URLs inside are resolved against it.
    """
    yield from _find(value, None, False, 0)


def _find(
    value: Any, page_url: str | None, has_context: bool, depth: int
) -> Iterator[tuple[dict[str, Any], str | None, bool]]:
    if depth > 50:
        return
    if isinstance(value, list):
        for item in value:
            yield from _find(item, page_url, has_context, depth + 1)
        return
    if not isinstance(value, dict):
        return
    has_context = has_context or "@context" in value
    if is_claimreview(value):
        yield value, page_url, has_context
        return
    for key in ("pageUrl", "page_url"):
        candidate = value.get(key)
        if isinstance(candidate, str) and candidate.strip():
            page_url = candidate.strip()
    for item in value.values():
        yield from _find(item, page_url, has_context, depth + 1)
