"""ClaimReview in: files, folders, feeds, API responses and HTML pages.

:func:`read_claimreviews` accepts a path to

- a JSON file holding one ClaimReview, a list of them, a schema.org ``DataFeed``
  (``dataFeedElement[].item[]``), ``@graph`` wrappers, or a Google Fact Check Tools API
  response (``claims[].claimReview[]``);
- a JSONL file with one such JSON value per line;
- an HTML page: JSON-LD blocks (each read on its own, so one broken block does not hide the
  others) and microdata, both through extruct;
- a folder of any of these, read recursively in name order.

The kind is decided by the extension (``.json``, ``.jsonl``/``.ndjson``, ``.html``/``.htm``)
and checked against the content; files with other extensions are sniffed when named
directly and skipped inside folders. Everything found is yielded as a
:class:`ParsedReview`; everything unusable as a :class:`RejectedItem` with the reason.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import extruct
import lxml.html
from extruct.jsonld import JsonLdExtractor
from lxml.etree import ParserError
from w3lib.encoding import html_to_unicode

from tracker.interop.claimreview_model import ParsedReview, RejectedItem
from tracker.interop.claimreview_parse import PageContext, parse_claimreview
from tracker.interop.dates import parse_date
from tracker.interop.errors import InteropError
from tracker.interop.jsonld import find_claimreviews, id_index, tidy, types_of, walk
from tracker.interop.urls import clean_url

__all__ = [
    "PageContext",
    "ParsedReview",
    "RejectedItem",
    "parse_claimreview",
    "parse_factcheck_api",
    "read_claimreviews",
    "read_html",
]

Item = ParsedReview | RejectedItem
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
JSON_SUFFIXES = frozenset({".json", ".jsonld"})
_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "WebPage", "BlogPosting"}


def read_claimreviews(path: Path, *, base_url: str | None = None) -> Iterator[Item]:
    """Yield every ClaimReview found under PATH (a file or a folder), or why not.

    BASE_URL is the address of a single HTML page or JSON file, used to resolve relative
    URLs; pages otherwise use their canonical link. Raises :class:`InteropError` only when
    PATH does not exist.
    """
    path = Path(path)
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            if any(part.startswith(".") for part in child.relative_to(path).parts):
                continue
            kind = _kind_by_suffix(child)
            if kind is None and child.suffix == "":
                kind = _sniff(child)
            if kind is not None:
                yield from _read_file(child, kind, None)
        return
    if not path.is_file():
        raise InteropError(f"no such file or folder: {path}")
    kind = _kind_by_suffix(path) or _sniff(path)
    if kind is None:
        yield RejectedItem(str(path), "not a JSON, JSONL or HTML file")
        return
    yield from _read_file(path, kind, base_url)


def _kind_by_suffix(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in JSON_SUFFIXES:
        return "json"
    return None


def _sniff(path: Path) -> str | None:
    with path.open("rb") as stream:
        head = stream.read(2048).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "html"
    if head.startswith((b"{", b"[")):
        return "json"
    return None


def _read_file(path: Path, kind: str, base_url: str | None) -> Iterator[Item]:
    origin = str(path)
    if kind == "jsonl":
        yield from _read_jsonl(path, base_url)
        return
    data = path.read_bytes()
    if kind == "html" or data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        yield from read_html(data, origin=origin, base_url=base_url)
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        yield RejectedItem(origin, f"not UTF-8 text (byte {error.start})")
        return
    try:
        value = json.loads(text)
    except RecursionError:
        yield RejectedItem(origin, "invalid JSON: nested too deeply")
        return
    except json.JSONDecodeError as error:
        if text.count("\n") > 1:
            # A ".json" file that is really JSON Lines.
            yield from _read_jsonl(path, base_url)
            return
        yield RejectedItem(origin, f"invalid JSON: {error}")
        return
    yield from read_document(value, origin=origin, base_url=base_url)


def _read_jsonl(path: Path, base_url: str | None) -> Iterator[Item]:
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, start=1):
            origin = f"{path}:{number}"
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as error:
                yield RejectedItem(origin, f"not UTF-8 text (byte {error.start} of the line)")
                continue
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as error:
                yield RejectedItem(origin, f"invalid JSON: {error.msg} (column {error.colno})")
                continue
            except RecursionError:
                yield RejectedItem(origin, "invalid JSON: nested too deeply")
                continue
            yield from read_document(value, origin=origin, base_url=base_url)


def read_document(
    value: Any, *, origin: str | None = None, base_url: str | None = None
) -> Iterator[Item]:
    """Every ClaimReview in one JSON value (object, list, feed, @graph, API response)."""
    if isinstance(value, dict) and isinstance(value.get("claims"), list):
        yield from parse_factcheck_api(value, origin=origin)
        return
    index = id_index(tidy(value, []))
    found = False
    for position, (node, page_url, has_context) in enumerate(find_claimreviews(value)):
        found = True
        where = origin if position == 0 else f"{origin}#{position}"
        yield parse_claimreview(
            node,
            base_url=page_url or base_url,
            origin=where,
            index=index,
            context_given=has_context,
        )
    if not found:
        yield RejectedItem(origin, "no ClaimReview found", value)


def parse_factcheck_api(response: dict[str, Any], *, origin: str | None = None) -> Iterator[Item]:
    """Read a Google Fact Check Tools API ``claims:search`` response.

    Its shape differs from ClaimReview: ``claims[].text``, ``claimant``, ``claimDate`` and
    ``claimReview[].publisher.{name,site}``, ``url``, ``title``, ``reviewDate``,
    ``textualRating``, ``languageCode``. Each review is rewritten as the ClaimReview it
    stands for and read like any other.
    """
    for i, claim in enumerate(response.get("claims") or []):
        where = f"{origin}#claims[{i}]"
        if not isinstance(claim, dict):
            yield RejectedItem(where, "claim is not a JSON object", claim)
            continue
        reviews = claim.get("claimReview")
        if not isinstance(reviews, list) or not reviews:
            yield RejectedItem(where, "claim without claimReview", claim)
            continue
        for j, review in enumerate(reviews):
            if not isinstance(review, dict):
                yield RejectedItem(f"{where}.claimReview[{j}]", "not a JSON object", review)
                continue
            item = parse_claimreview(
                _api_to_claimreview(claim, review),
                origin=f"{where}.claimReview[{j}]",
                context_given=True,
            )
            if isinstance(item, ParsedReview) and review.get("languageCode"):
                item = dataclasses.replace(item, language_source="languageCode")
            yield item


def _api_to_claimreview(claim: dict[str, Any], review: dict[str, Any]) -> dict[str, Any]:
    raw_publisher = review.get("publisher")
    publisher: dict[str, Any] = raw_publisher if isinstance(raw_publisher, dict) else {}
    site = publisher.get("site")
    organisation: dict[str, Any] = {"@type": "Organization", "name": publisher.get("name")}
    if isinstance(site, str) and site.strip():
        organisation["url"] = site if "://" in site else f"https://{site.strip()}/"
    return {
        "@type": "ClaimReview",
        "url": review.get("url"),
        "claimReviewed": claim.get("text"),
        "headline": review.get("title"),
        "datePublished": review.get("reviewDate"),
        "inLanguage": review.get("languageCode"),
        "author": organisation,
        "reviewRating": {"@type": "Rating", "alternateName": review.get("textualRating")},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": claim.get("claimant")},
            "datePublished": claim.get("claimDate"),
        },
    }


def read_html(
    data: bytes | str, *, origin: str | None = None, base_url: str | None = None
) -> Iterator[Item]:
    """Every ClaimReview in an HTML page: JSON-LD first, then microdata not already seen."""
    if isinstance(data, bytes):
        _, text = html_to_unicode(None, data)
    else:
        text = data
    try:
        tree = lxml.html.document_fromstring(text.encode("utf-8"), parser=_PARSER)
    except (ParserError, ValueError) as error:
        yield RejectedItem(origin, f"not an HTML page: {error}")
        return
    page = _page_context(tree, base_url)
    problems: list[str] = []
    blocks = _jsonld_blocks(tree, problems)
    micro = _microdata(tree, page.url, problems)
    index = id_index(tidy(blocks + micro, []))
    seen: set[str] = set()
    found = 0
    for label, items in (("json-ld", blocks), ("microdata", micro)):
        for node, _, has_context in find_claimreviews(items):
            result = parse_claimreview(
                node,
                page=page,
                origin=f"{origin}#{label}",
                index=index,
                context_given=has_context,
            )
            if isinstance(result, ParsedReview):
                if result.external_id in seen:
                    continue
                seen.add(result.external_id)
                if problems:
                    result = dataclasses.replace(result, warnings=result.warnings + tuple(problems))
            found += 1
            yield result
    if not found:
        reason = "no ClaimReview markup in the page"
        yield RejectedItem(origin, "; ".join([reason, *problems]))


_PARSER = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)


def _jsonld_blocks(tree: Any, problems: list[str]) -> list[Any]:
    extractor = JsonLdExtractor()
    items: list[Any] = []
    for number, script in enumerate(tree.iter("script"), start=1):
        kind = (script.get("type") or "").strip().lower()
        if kind != "application/ld+json":
            continue
        try:
            items.extend(extractor.extract_items(script))
        except ValueError as error:
            problems.append(f"JSON-LD block {number} could not be read: {error}")
    return items


def _microdata(tree: Any, page_url: str | None, problems: list[str]) -> list[Any]:
    try:
        data = extruct.extract(
            tree, base_url=page_url, syntaxes=["microdata"], uniform=True, errors="strict"
        )
    except Exception as error:
        problems.append(f"microdata could not be read: {error}")
        return []
    return list(data.get("microdata", []))


def _page_context(tree: Any, base_url: str | None) -> PageContext:
    url = clean_url(base_url).url if base_url else None
    if url is None:
        for candidate in (
            *tree.xpath("//link[@rel='canonical']/@href"),
            *tree.xpath("//meta[@property='og:url']/@content"),
        ):
            url = clean_url(str(candidate)).url
            if url:
                break
    langs = tree.xpath("/html/@lang") or tree.xpath("/html/@xml:lang")
    lang = str(langs[0]).strip() if langs and str(langs[0]).strip() else None
    page_date, source = _article_date(tree)
    return PageContext(url=url, lang=lang, date=page_date, date_source=source)


def _article_date(tree: Any) -> tuple[Any, str | None]:
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            items = JsonLdExtractor().extract_items(script)
        except ValueError:
            continue
        for node in walk(items):
            if _ARTICLE_TYPES & set(types_of(node)) and node.get("datePublished"):
                parsed = parse_date(node.get("datePublished")).value
                if parsed:
                    return parsed, f"{types_of(node)[0]} datePublished"
    for value in tree.xpath("//meta[@property='article:published_time']/@content"):
        parsed = parse_date(str(value)).value
        if parsed:
            return parsed, "article:published_time"
    return None, None
