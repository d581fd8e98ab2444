"""What we read out of an HTML page: main text and metadata (trafilatura), the page's own
language and canonical link (lxml, via trafilatura's loader), and ClaimReview objects from
structured data (extruct: JSON-LD always, microdata and RDFa only when the page mentions
ClaimReview in such markup, because those parsers are slower).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

import extruct
import trafilatura

_log = logging.getLogger(__name__)
_TIME_KEYS = frozenset(
    {"article:published_time", "og:published_time", "datepublished", "pubdate", "date"}
)
_MICRODATA_HINT = re.compile(r"itemtype\s*=\s*[\"'][^\"']*ClaimReview", re.I)
_RDFA_HINT = re.compile(r"typeof\s*=\s*[\"'][^\"']*ClaimReview", re.I)
# Only used to cut the page into single JSON-LD blocks for extruct when a block is broken.
_JSONLD_BLOCK = re.compile(r"<script[^>]*application/ld\+json[^>]*>.*?</script\s*>", re.I | re.S)


@dataclass(frozen=True, slots=True)
class Extracted:
    """Everything read from the page (all optional but ``text``, which may be empty)."""

    text: str
    title: str | None
    byline: str | None
    published: date | datetime | None
    site_name: str | None
    declared_language: str | None
    canonical_url: str | None
    claim_reviews: tuple[dict[str, Any], ...]


def extract_page(html: str, url: str) -> Extracted:
    """Read text, metadata and ClaimReviews from the decoded ``html`` fetched from ``url``."""
    tree = trafilatura.load_html(html)
    declared = _declared_language(tree) if tree is not None else None
    canonical = _canonical(tree, url) if tree is not None else None
    stamp = _published_timestamp(tree) if tree is not None else None
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params={"extensive_search": True, "original_date": True},
    )
    text = (getattr(doc, "text", None) or "").strip()
    return Extracted(
        text=text,
        title=_clean(getattr(doc, "title", None)),
        byline=_clean(getattr(doc, "author", None)),
        published=_with_time(_parse_date(getattr(doc, "date", None)), stamp),
        site_name=_clean(getattr(doc, "sitename", None)),
        declared_language=declared,
        canonical_url=canonical,
        claim_reviews=find_claim_reviews(html, url),
    )


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _parse_date(value: object) -> date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _published_timestamp(tree: Any) -> datetime | None:
    """The first timezone-aware publication timestamp in the page's meta tags, if any."""
    for meta in tree.getroottree().getroot().iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key not in _TIME_KEYS:
            continue
        try:
            stamp = datetime.fromisoformat(str(meta.get("content") or "").strip())
        except ValueError:
            continue
        if stamp.tzinfo is not None:
            return stamp
    return None


def _with_time(day: date | None, stamp: datetime | None) -> date | datetime | None:
    # trafilatura (htmldate) weighs all the evidence for the day; a meta timestamp only adds
    # the time of day when it agrees on that day.
    if day is not None and stamp is not None and stamp.date() == day:
        return stamp
    return day


def _declared_language(tree: Any) -> str | None:
    root = tree.getroottree().getroot()
    for key in ("lang", "{http://www.w3.org/XML/1998/namespace}lang", "xml:lang"):
        if root.get(key):
            return str(root.get(key))
    for meta in root.iter("meta"):
        name = (meta.get("http-equiv") or meta.get("name") or "").lower()
        if name in ("content-language", "language", "dc.language") and meta.get("content"):
            return str(meta.get("content")).split(",")[0]
    return None


def _canonical(tree: Any, url: str) -> str | None:
    for link in tree.getroottree().getroot().iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = str(link.get("href") or "").strip()
        if "canonical" in rel and href:
            absolute = urljoin(url, href)
            if absolute.startswith(("http://", "https://")):
                return absolute
    return None


def find_claim_reviews(html: str, url: str) -> tuple[dict[str, Any], ...]:
    """All ClaimReview objects in the page's structured data, as raw dicts, in page order.

    Looks inside ``@graph``, lists and nested objects. A broken JSON-LD block (common on real
    sites) costs that block only.
    """
    syntaxes = ["json-ld"]
    if _MICRODATA_HINT.search(html):
        syntaxes.append("microdata")
    if _RDFA_HINT.search(html):
        syntaxes.append("rdfa")
    data = _extruct(html, url, syntaxes)
    if "json-ld" not in data:
        # extruct gives up on every block when one is broken: retry block by block.
        data["json-ld"] = [
            item
            for block in _JSONLD_BLOCK.findall(html)
            for item in _extruct(f"<html><head>{block}</head></html>", url, ["json-ld"]).get(
                "json-ld", []
            )
        ]
    found: list[dict[str, Any]] = []
    for syntax in syntaxes:
        _collect(data.get(syntax, []), found)
    unique: list[dict[str, Any]] = []
    for item in found:
        if item not in unique:
            unique.append(item)
    return tuple(unique)


def _extruct(html: str, url: str, syntaxes: list[str]) -> dict[str, list[Any]]:
    """extruct's result per syntax; a syntax that failed is missing from the result."""
    try:
        data: dict[str, list[Any]] = extruct.extract(
            html, base_url=url, syntaxes=syntaxes, uniform=True, errors="ignore"
        )
    except Exception:  # extruct wraps several parsers; what it chokes on has nothing for us
        _log.info("structured data extraction failed for %s", url, exc_info=True)
        return {}
    return data


def _is_claim_review(value: object) -> bool:
    types = value if isinstance(value, list) else [value]
    for item in types:
        if isinstance(item, str) and re.split(r"[/#:]", item)[-1] == "ClaimReview":
            return True
    return False


def _collect(node: object, found: list[dict[str, Any]]) -> None:
    if isinstance(node, dict):
        if _is_claim_review(node.get("@type")):
            found.append(node)
            return
        for value in node.values():
            _collect(value, found)
    elif isinstance(node, list):
        for value in node:
            _collect(value, found)
