"""Checking, repairing and normalising URLs found in markup and spreadsheets."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from urllib.parse import SplitResult, quote, urljoin, urlsplit, urlunsplit

from tracker.services.validation import canonical_url

# A scheme-less value that starts with a host name ("aosfatos.org/noticias/...").
_HOST_LIKE = re.compile(
    r"^(?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?::\d+)?(?:[/?#]|$)",
    re.IGNORECASE,
)
_HOST = re.compile(
    r"^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})\.?$",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"%[0-9a-fA-F]{2}")
# Query parameters that only track the reader; they are dropped from external ids.
_TRACKING = re.compile(r"^(utm_.*|itm_.*|fbclid|gclid|dclid|mc_cid|mc_eid|igshid|_ga)$")
_SAFE = "/:@!$&'()*+,;=-._~%?#[]"


@dataclass(frozen=True)
class UrlResult:
    """A usable absolute http(s) URL, or why there is none, and what was repaired."""

    url: str | None
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def clean_url(raw: object, *, base: str | None = None) -> UrlResult:
    """Return RAW as an absolute http(s) URL, resolving it against BASE when relative.

    Repairs (each reported as a warning): surrounding whitespace and HTML entities, a
    missing scheme in front of a host name (``https://`` is added), protocol-relative
    ``//host/path``, and paths relative to the page (resolved against BASE).
    """
    if raw is None:
        return UrlResult(None)
    if not isinstance(raw, str):
        return UrlResult(None, error=f"not a URL: {raw!r}"[:80])
    warnings: list[str] = []
    text = raw.strip()
    if "&" in text and html.unescape(text) != text:
        text = html.unescape(text)
        warnings.append("HTML entities decoded in URL")
    if not text:
        return UrlResult(None)
    if any(c.isspace() for c in text):
        return UrlResult(None, error=f"URL contains spaces: {text!r}"[:120])
    if text.startswith("//"):
        text = "https:" + text
        warnings.append(f"scheme added to protocol-relative URL {raw.strip()!r}")
    elif not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", text) and _HOST_LIKE.match(text):
        text = "https://" + text
        warnings.append(f"scheme added to {raw.strip()!r}")
    elif not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", text):
        if base is None or not is_http_url(base):
            return UrlResult(None, error=f"relative URL {text!r} with no base URL to resolve it")
        text = urljoin(base, text)
        warnings.append(f"relative URL {raw.strip()!r} resolved against the page URL")
    if not is_http_url(text):
        return UrlResult(None, error=f"not an absolute http(s) URL: {text!r}"[:160])
    return UrlResult(canonical_url(text), warnings=warnings)  # as the desk stores links


def completed_url(value: str) -> str:
    """VALUE stripped, with https:// put before a bare address ("t.me/channel/5"), as
    `clean_url` completes it: links copied from a messenger often lack it. Anything else
    comes back as it was, for the caller's own check to refuse with the reason."""
    value = value.strip()
    if value and "://" not in value:
        return clean_url(value).url or value
    return value


def is_http_url(value: str) -> bool:
    """True when VALUE is an absolute http or https URL with a plausible host."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return False
    del port  # only checked for validity
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not host:
        return False
    return host == "localhost" or bool(_HOST.match(host)) or _is_ip(host)


def _is_ip(host: str) -> bool:
    return bool(re.match(r"^\d{1,3}(\.\d{1,3}){3}$", host)) or ":" in host


def normalise_url(url: str) -> str:
    """A stable key for URL: the form used as external id and for duplicate detection.

    Lower-case scheme and host, no default port, no fragment, no tracking parameters
    (``utm_*``, ``itm_*``, ``fbclid``...), no trailing slash, non-ASCII characters and
    percent-escapes in one canonical form. Escapes are never decoded: ``%252F`` stays
    distinct from ``%2F`` (AFP's real URLs rely on that).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    path = _canonical_escapes(parts.path) or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = "&".join(
        _canonical_escapes(pair)
        for pair in parts.query.split("&")
        if pair and not _TRACKING.match(pair.split("=", 1)[0].lower())
    )
    return urlunsplit(SplitResult(scheme, netloc, path, query, ""))


def _canonical_escapes(text: str) -> str:
    text = quote(text, safe=_SAFE)
    return _PERCENT.sub(lambda m: m.group(0).upper(), text)


def site_of(url: str) -> str | None:
    """``scheme://host/`` of URL, used as an organisation's URL when only its site is known."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}/"


def domain_of(url: str) -> str | None:
    """Host name of URL without a leading ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


# Reference works: a page about someone, never a place where they made a claim.
_REFERENCE_HOSTS = ("wikipedia.org", "wikidata.org", "wikimedia.org", "wikiquote.org")
# Platforms whose one-segment paths are accounts (facebook.com/name, t.me/channel).
_PLATFORMS = (
    "facebook.com", "fb.com", "twitter.com", "x.com", "t.me", "instagram.com", "vk.com",
    "ok.ru", "tiktok.com", "youtube.com", "threads.net", "linkedin.com", "telegram.me",
)  # fmt: skip
_ACCOUNT_PATHS = re.compile(r"^/(?:profile\.php|people/|channel/|c/|user/|in/|company/|@[^/]+/?$)")


def is_profile_url(url: str) -> bool:
    """Whether URL is a page about someone (an account, a home page, an encyclopaedia
    entry) rather than one post or article: ``sameAs`` of a claimant is often one."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    path = parts.path or "/"
    if any(host == h or host.endswith("." + h) for h in _REFERENCE_HOSTS):
        return True
    if path.strip("/") == "" and not parts.query:
        return True
    if not any(host == p or host.endswith("." + p) for p in _PLATFORMS):
        return False
    segments = [s for s in path.split("/") if s]
    return bool(_ACCOUNT_PATHS.match(path)) or (len(segments) == 1 and not parts.query)
