"""``capture_url``: fetch a page safely, decode it, extract what it says, pack the snapshot."""

from __future__ import annotations

import gzip

from tracker.capture.decode import decode_html, describe_kind, is_html
from tracker.capture.domains import registrable_domain, social_handle
from tracker.capture.errors import (
    NoTextError,
    NotHtmlError,
    UndecodableError,
)
from tracker.capture.extract import extract_page
from tracker.capture.fetch import fetch
from tracker.capture.language import detect_language, normalise_tag
from tracker.capture.models import Capture, CaptureSettings


def capture_url(url: str, *, settings: CaptureSettings | None = None) -> Capture:
    """Fetch ``url`` and return its snapshot, or raise a ``CaptureError`` with a stable code.

    Non-HTML content (PDF, images, ...) is an error (``not_html``), not a snapshot: there is no
    text to work with. Its ``fetched`` attribute still carries the sha256, content type, size
    and body, so the caller can keep that evidence. Any body over ``max_bytes`` (HTML or not)
    is ``too_large``; its message names the content type the server announced.
    """
    settings = settings or CaptureSettings()
    url = url.strip() if isinstance(url, str) else url
    fetched = fetch(url, settings)
    if not is_html(fetched.content_type, fetched.body):
        kind = describe_kind(fetched.content_type, fetched.body)
        shown = fetched.content_type or "no content type"
        raise NotHtmlError(
            f"The URL returned a {kind} ({shown}, {len(fetched.body):,} bytes), not a web page.",
            content_type=fetched.content_type,
            kind=kind,
            url=fetched.final_url,
            fetched=fetched,
        )
    decoded = decode_html(fetched.body, fetched.header_charset)
    if decoded is None:
        raise UndecodableError(
            "The page's bytes do not form text in any known character encoding.",
            url=fetched.final_url,
            fetched=fetched,
        )
    page = extract_page(decoded.text, fetched.final_url)
    if not page.text:
        raise NoTextError(
            "The page has no readable main text (it may be empty or built by scripts).",
            url=fetched.final_url,
            fetched=fetched,
        )
    detected, _prob = detect_language(f"{page.title or ''}\n{page.text}")
    declared = normalise_tag(page.declared_language)
    language, source = (declared, "page") if declared else (detected, "detected")
    return Capture(
        url=url,
        final_url=fetched.final_url,
        redirects=fetched.redirects,
        fetched_at=fetched.fetched_at,
        status=fetched.status,
        content_type=fetched.content_type or "text/html",
        charset=decoded.charset,
        sha256=fetched.sha256,
        html_gzip=gzip.compress(fetched.body, compresslevel=6, mtime=0),
        html_size=len(fetched.body),
        text=page.text,
        title=page.title,
        byline=page.byline,
        published=page.published,
        site_name=page.site_name,
        language=language,
        language_source=source if language else "unknown",
        language_detected=detected,
        canonical_url=page.canonical_url,
        domain=registrable_domain(fetched.final_url),
        handle=social_handle(fetched.final_url),
        claim_reviews=page.claim_reviews,
    )
