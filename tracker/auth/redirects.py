"""Safe redirect targets: only paths on this site are accepted."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

# Characters browsers strip or treat as separators before a URL is parsed.
_STRIPPED = "".join(chr(c) for c in range(0x21)) + "\x7f"


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a path on this site, otherwise `default`.

    Refuses anything a browser could read as another origin: schemes, `//host`,
    backslashes (`/\\host` is `//host` to browsers), encoded forms of those, and control
    characters or whitespace that browsers drop.
    """
    if not target:
        return default
    if any(ch in target for ch in _STRIPPED):
        return default
    decoded = target
    for _ in range(3):  # look through double and triple encoding
        decoded = unquote(decoded)
    # Decoded, the target must still be a plain path: a browser or a proxy that decodes
    # "%2F%2Fevil" must not end up at //evil. Control characters there are dropped first,
    # as browsers do.
    decoded = "".join(ch for ch in decoded if ch not in _STRIPPED or ch == " ")
    for candidate in (target, decoded):
        if "\\" in candidate or not candidate.startswith("/") or candidate.startswith("//"):
            return default
        parts = urlsplit(candidate)
        if parts.scheme or parts.netloc:
            return default
    return target
