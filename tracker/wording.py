"""Counts in words for people: "1 claim", "2,048 claims" (pages, the command line, reports)."""

from __future__ import annotations


def counted(number: int, word: str, plural: str | None = None) -> str:
    """NUMBER with thousands separators and WORD, in the plural unless it is one (PLURAL
    when adding an "s" is not how the word makes it: "1 country", "2 countries")."""
    return f"{number:,} {word if number == 1 else plural or word + 's'}"
