"""Is the body HTML, and which character encoding turns it into text?

Order of evidence: a byte-order mark; then valid UTF-8 (non-ASCII text in a legacy single-byte
encoding is practically never valid UTF-8, so this beats a lying declaration); then the
declarations (HTTP charset, then ``<meta charset>``), each kept only when the detector
(charset-normalizer) does not find the text it gives to be a mess of mojibake; otherwise the
detector's own guess. Russian media still serve windows-1251, often with a wrong
or missing header, which is what this order is for.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer
from w3lib.encoding import html_body_declared_encoding, read_bom

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Types servers send when they do not know: the body decides.
_VAGUE_TYPES = frozenset({"text/plain", "application/octet-stream", "binary/octet-stream"})
_HTML_START = re.compile(
    rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)[\s>]", re.I | re.S
)
_MAGIC = (
    (b"%PDF-", "PDF document"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive (or office document)"),
)
_KINDS = {
    "application/pdf": "PDF document",
    "application/json": "JSON data",
    "application/zip": "ZIP archive",
    "application/xml": "XML document",
    "text/xml": "XML document",
    "application/rss+xml": "RSS feed",
    "application/atom+xml": "Atom feed",
    "text/plain": "plain text",
}
_WINDOWS_NAMES = {f"cp{n}": f"windows-{n}" for n in range(1250, 1259)}


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of a page and the encoding (a WHATWG-style label) that produced it."""

    text: str
    charset: str


def is_html(content_type: str | None, body: bytes) -> bool:
    """True for HTML media types, and for vague or missing types whose body looks like HTML."""
    if content_type in _HTML_TYPES:
        return True
    if content_type is None or content_type in _VAGUE_TYPES:
        head = body[:2048].lstrip(b"\xef\xbb\xbf")
        return bool(_HTML_START.match(head))
    return False


def describe_kind(content_type: str | None, body: bytes) -> str:
    """A short human name for non-HTML content: "PDF document", "PNG image", ..."""
    for magic, kind in _MAGIC:
        if body.startswith(magic):
            return kind
    if content_type is None:
        return "file of unknown type"
    if content_type in _KINDS:
        return _KINDS[content_type]
    major, _, minor = content_type.partition("/")
    if major in ("image", "video", "audio"):
        return f"{minor.upper()} {major}" if minor else major
    return f"{content_type} file"


def _codec(label: str | None) -> str | None:
    """Python codec name for a charset label, or None if Python does not know it."""
    if not label:
        return None
    try:
        return codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None


def _label(codec: str) -> str:
    name = codecs.lookup(codec).name
    if name.startswith("iso8859-"):
        return "iso-8859-" + name.removeprefix("iso8859-")
    return _WINDOWS_NAMES.get(name, name)


def _strict(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, header_charset: str | None) -> Decoded | None:
    """Decode an HTML body; None when no encoding yields text (then the page is undecodable)."""
    bom_codec, bom = read_bom(body)
    if bom_codec and bom:
        text = _strict(body[len(bom) :], bom_codec)
        if text is not None:
            return Decoded(text, _label(bom_codec))
    declared = [
        codec
        for codec in (_codec(header_charset), _codec(html_body_declared_encoding(body)))
        if codec is not None
    ]
    utf8 = _strict(body, "utf-8")
    if utf8 is not None:
        if body.isascii():
            # Every ASCII-compatible declaration gives the same text: report what was said.
            for codec in declared:
                if _strict(body, codec) == utf8:
                    return Decoded(utf8, _label(codec))
        return Decoded(utf8, "utf-8")
    for codec in declared:
        text = _strict(body, codec)
        # A declaration whose text the detector finds to be a mess (mojibake) is a lie.
        if text is not None and _plausible(body, codec):
            return Decoded(text, _label(codec))
    best = charset_normalizer.from_bytes(body).best()
    if best is not None and best.encoding:
        return Decoded(str(best), _label(best.encoding))
    return None


def _plausible(body: bytes, codec: str) -> bool:
    return charset_normalizer.from_bytes(body, cp_isolation=[codec]).best() is not None
