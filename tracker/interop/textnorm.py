"""Cleaning text found in markup and spreadsheets: entities, tags, whitespace."""

from __future__ import annotations

import html
import re
import unicodedata

import lxml.html
from lxml.etree import ParserError

from tracker.text import CONTROL_CHARACTERS

_ENTITY = re.compile(r"&(#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]{1,31});")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ALL_WHITESPACE = re.compile(r"\s+")
# Control characters and, in imported text, zero-width spaces, direction marks and stray
# byte-order marks never belong in our texts.
_INVISIBLE = re.compile(CONTROL_CHARACTERS.pattern + "|[\u200b\u200e\u200f\ufeff]")


def clean_text(
    value: str, *, multiline: bool = False, exact: bool = False
) -> tuple[str, list[str]]:
    """Return VALUE without HTML entities, tags and stray whitespace, and what was repaired.

    Entities are decoded at most twice (``&amp;#039;`` is a doubly-escaped apostrophe, seen
    in real markup). With MULTILINE the paragraph breaks are kept; otherwise all runs of
    whitespace become one space, which is what claim texts and headlines want. EXACT keeps
    the spacing inside the text as written (a rationale in Markdown: indented lists, line
    breaks); only the ends are trimmed.
    """
    repairs: list[str] = []
    text = unicodedata.normalize("NFC", value)
    for _ in range(2):
        if not _ENTITY.search(text):
            break
        text = html.unescape(text)
        if "HTML entities decoded" not in repairs:
            repairs.append("HTML entities decoded")
    if _TAG.search(text):
        stripped = _strip_tags(text)
        if stripped is not None:
            text = stripped
            repairs.append("HTML tags removed")
    text = _INVISIBLE.sub("", text)
    if exact:
        text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    elif multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    else:
        text = _ALL_WHITESPACE.sub(" ", text).strip()
    return text, repairs


def _strip_tags(text: str) -> str | None:
    """Text content of an HTML fragment, with <br> and </p> kept as line breaks."""
    marked = re.sub(r"<br\s*/?>|</p\s*>", "\n", text, flags=re.IGNORECASE)
    try:
        fragment = lxml.html.fragment_fromstring(marked, create_parent="div")
    except (ParserError, ValueError):
        return None
    return str(fragment.text_content())


def fold(text: str) -> str:
    """Case- and accent-insensitive key for comparing words ("Engañoso" ~ "enganoso")."""
    out: list[str] = []
    base = ""
    for char in unicodedata.normalize("NFKD", text.casefold()):
        if unicodedata.combining(char):
            # Only Latin accents are dropped: in Devanagari or Bengali the combining
            # signs are vowels, and dropping them would merge different words.
            if base and ord(base) < 0x0250:
                continue
        else:
            base = char
        out.append(char)
    return unicodedata.normalize("NFC", "".join(out))


# Where in a broadcast the claim was made, written into the outlet's name by some sources:
# "Vremya pokazhet @Pervyi kanal, 21:55", "… (time: 1:48:13 and onwards)". 687 of the
# 1,524 outlet names of the EUvsDisinfo cases carry one, and each made an outlet of its own.
_TIME_IN_BRACKETS = re.compile(r"\s*\([^()]*?\d{1,2}:\d{2}[^()]*(?:\)|$)")
_TIME_AT_END = re.compile(r"[,;\s]+(?:time:?\s*)?\d{1,2}:\d{2}(?::\d{2})?\b.*$")
_AT_SIGN = re.compile(r"\s*@\s*")


def outlet_name(name: str) -> str:
    """An outlet's name without a time code in the programme ("Vremya pokazhet @Pervyi
    kanal, 21:55" -> "Vremya pokazhet @Pervyi kanal"), spaced one way around "@"."""
    cleaned = _TIME_AT_END.sub("", _TIME_IN_BRACKETS.sub("", name))
    cleaned = _AT_SIGN.sub(" @", cleaned) if "@" in cleaned[1:] else cleaned
    return " ".join(cleaned.split()).strip(" ,;") or name.strip()
