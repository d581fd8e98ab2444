"""Propose the outlet behind a URL: its registrable domain and, on platforms, the handle.

The registrable domain comes from the Public Suffix List copy that ships inside the ``tld``
package (we never ask it to update from the network).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from tld import get_fld

_HANDLE = re.compile(r"^@?[\w.\-]{1,100}$", re.UNICODE)

# Per platform: the first path segments that are pages of the platform itself, not accounts.
_RESERVED: dict[str, frozenset[str]] = {
    "t.me": frozenset({"joinchat", "addstickers", "addemoji", "share", "proxy", "socks", "iv"}),
    "x.com": frozenset(
        {"home", "i", "search", "explore", "intent", "share", "hashtag", "settings", "login"}
    ),
    "facebook.com": frozenset(
        {
            "watch",
            "story.php",
            "sharer.php",
            "sharer",
            "permalink.php",
            "photo.php",
            "photo",
            "events",
            "hashtag",
            "login",
            "reel",
            "share",
            "video.php",
            "marketplace",
            "gaming",
        }
    ),
    "vk.com": frozenset({"wall", "video", "feed", "search", "away.php", "share.php", "im"}),
    "youtube.com": frozenset({"watch", "shorts", "results", "playlist", "embed", "feed"}),
    "instagram.com": frozenset({"p", "reel", "reels", "explore", "stories", "tv"}),
    "tiktok.com": frozenset({"tag", "music", "discover", "search"}),
    "ok.ru": frozenset({"video", "dk", "search"}),
}
_ALIASES = {
    "twitter.com": "x.com",
    "telegram.me": "t.me",
    "fb.com": "facebook.com",
    "vk.ru": "vk.com",
    "vkontakte.ru": "vk.com",
}


def registrable_domain(url: str) -> str | None:
    """ "https://news.bbc.co.uk/x" -> "bbc.co.uk"; the bare host for IPs and unknown suffixes."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if not host:
        return None
    domain = get_fld(host, fix_protocol=True, fail_silently=True)
    return str(domain) if domain else host


def platform_domain(url: str) -> str:
    """The registrable domain, spelt as its platform is known ("twitter.com" -> "x.com",
    "telegram.me" -> "t.me"); '' when the URL has none."""
    domain = registrable_domain(url) or ""
    return _ALIASES.get(domain, domain)


def social_handle(url: str) -> str | None:
    """The account or channel a social-platform URL belongs to, else None.

    "https://t.me/s/rian_ru/123" -> "rian_ru"; "https://x.com/mod_russia/status/1" ->
    "mod_russia"; "https://www.youtube.com/@rt" -> "@rt";
    "https://www.facebook.com/profile.php?id=100" -> "profile.php?id=100".
    """
    parts = urlsplit(url)
    platform = platform_domain(url)
    if platform not in _RESERVED:
        return None
    segments = [seg for seg in parts.path.split("/") if seg]
    if platform == "t.me" and segments[:1] == ["s"]:
        segments = segments[1:]  # the public web preview of a channel
    if platform == "facebook.com":
        if segments[:1] == ["profile.php"]:
            ident = parse_qs(parts.query).get("id", [""])[0]
            return f"profile.php?id={ident}" if ident.isdigit() else None
        if segments[:1] in (["groups"], ["pages"]) and len(segments) > 1:
            return f"{segments[0]}/{segments[1]}"
    if platform == "youtube.com" and segments[:1] in (["channel"], ["c"], ["user"]):
        return f"{segments[0]}/{segments[1]}" if len(segments) > 1 else None
    if not segments or segments[0].lower() in _RESERVED[platform]:
        return None
    handle = segments[0]
    if platform == "t.me" and handle.startswith("+"):
        return None  # private invite link, not a channel name
    return handle if _HANDLE.match(handle) else None
