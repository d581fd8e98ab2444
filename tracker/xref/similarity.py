"""A cheap lexical similarity between a claim text and a figure's subject and place.

``subject_overlap`` is the share of the figure's content words (subject and place) whose
stem also occurs in the text. Stems are the first five letters of a lower-cased word, which
is crude but works the same for Cyrillic and Latin ("Москве"/"Москва" -> "москв",
"recruited"/"recruits" -> "recru"). It cannot bridge languages ("Moscow" vs "Москва") or
synonyms ("mercenaries" vs "foreign fighters").

``tracker.xref.figures.check_text`` takes any ``Similarity`` — a function
``(text, figure) -> float`` in [0, 1] — so a better one plugs in without changes here:
the retrieval stage can pass a closure over scores it already computed (embeddings, the
full-text index), e.g. ``check_text(text, figures, similarity=lambda t, f: scores[f.figure_id])``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tracker.xref._figure_model import FigureFacts

Similarity = Callable[[str, FigureFacts], float]

_STEM = 5
_WORD = re.compile(r"[^\W\d_]+")
_STOPWORDS_TEXT = """
a an and are as at be been by for from has have in is it its of on or that the this to
was were with who which than more less about
в во на и с со по из от до за о об не что как к у для это был была были или а но его их
у і й та з із зі від про що як це був була були або але його їх
der die das und in im von mit für auf den dem des ein eine ist sind wurden als
le la les de des du et en à au aux un une dans pour par sur
"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def stems(text: str) -> set[str]:
    """Five-letter stems of the content words of a text."""
    return {
        word[:_STEM]
        for word in (w.lower().replace("ё", "е") for w in _WORD.findall(text or ""))
        if len(word) > 2 and word not in _STOPWORDS
    }


def stem_positions(text: str) -> dict[str, int]:
    """Where each content-word stem of a text first occurs (a character offset)."""
    positions: dict[str, int] = {}
    for found in _WORD.finditer(text or ""):
        word = found.group().lower().replace("ё", "е")
        if len(word) > 2 and word not in _STOPWORDS:
            positions.setdefault(word[:_STEM], found.start())
    return positions


def subject_overlap(text: str, figure: FigureFacts) -> float:
    """Share of the figure's subject and place stems found in ``text`` (0.0 to 1.0)."""
    wanted = stems(" ".join(filter(None, (figure.subject, figure.place))))
    if not wanted:
        return 0.0
    return len(wanted & stems(text)) / len(wanted)
