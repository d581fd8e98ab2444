"""A small sentence splitter for Latin and Cyrillic text (en, de, ru, uk and the like).

Good enough to cut a Telegram post or a transcript into the units the semantic stage scores
one by one; it does not need to be perfect, only to avoid cutting after common abbreviations
and to drop fragments too short to carry a claim.
"""

from __future__ import annotations

import re

# A boundary: end punctuation (with closing quotes/brackets), whitespace, then something that
# can start a sentence: an upper-case letter, a digit, a quote, a dash or an emoji-like symbol.
_BOUNDARY = re.compile(r"""(?<=[.!?…])["»”)\]]*\s+(?=["«„“(\[—–-]?\s*[A-ZА-ЯЁЇІЄҐÄÖÜ0-9])""")
# Tokens that end with a dot but rarely end a sentence.
_ABBREVIATION_WORDS = (
    "mr mrs ms dr prof st vs etc e.g i.e u.s no z.b bzw ca nr usw vgl z b u d "
    "т.е т.д т.п т д п г гг др см им ул млн млрд тыс руб грн ст пер проф тис див напр"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split(" "))
_NEWLINES = re.compile(r"\n\s*\n|\n(?=\s*[-•*—])")


def _ends_with_abbreviation(chunk: str) -> bool:
    match = re.search(r"([\w.]+)\.\W*$", chunk)
    if not match:
        return False
    word = match.group(1).lower()
    # A single capital letter followed by a dot is an initial (V. Putin), not an end.
    return word in _ABBREVIATIONS or (len(word) == 1 and chunk.rstrip()[-2:-1].isupper())


def split_sentences(text: str, *, min_chars: int = 25) -> list[str]:
    """Split text into sentences; fragments shorter than `min_chars` join their neighbour."""
    sentences: list[str] = []
    for block in _NEWLINES.split(text):
        pieces = _BOUNDARY.split(block.strip())
        buffer = ""
        for piece in pieces:
            piece = " ".join(piece.split())
            if not piece:
                continue
            buffer = f"{buffer} {piece}".strip() if buffer else piece
            if _ends_with_abbreviation(buffer) and piece is not pieces[-1]:
                continue
            if len(buffer) >= min_chars:
                sentences.append(buffer)
                buffer = ""
        if buffer:
            if sentences and len(buffer) < min_chars:
                sentences[-1] = f"{sentences[-1]} {buffer}"
            else:
                sentences.append(buffer)
    return sentences
