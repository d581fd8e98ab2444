"""Domain errors of the interop layer; their messages are meant for people."""

from __future__ import annotations


class InteropError(Exception):
    """Base class for interop errors."""


class MappingError(InteropError):
    """A column mapping file is missing or invalid."""


class RecordError(InteropError):
    """A ``tracker`` JSONL record does not have the documented shape."""


class VocabularyError(InteropError):
    """A vocabulary data file shipped with the package is inconsistent."""
