"""Counts in words for people: "1 claim", "2,048 claims" (pages, the command line, reports)."""

from __future__ import annotations


def noun(number: int, word: str, plural: str | None = None) -> str:
    """WORD, in the plural unless NUMBER is one (PLURAL when adding an "s" is not how the
    word makes it: "country", "countries"). A template filter: ``{{ n | noun("claim") }}``."""
    return word if number == 1 else plural or word + "s"


def counted(number: int, word: str, plural: str | None = None) -> str:
    """NUMBER with thousands separators and its NOUN: "1 claim", "2,048 claims"."""
    return f"{number:,} {noun(number, word, plural)}"
