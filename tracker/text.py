"""Control characters: the one definition every part that reads or writes text uses."""

from __future__ import annotations

import re
from typing import overload

# C0 control characters other than tab, line feed and carriage return, and DEL: invisible,
# never meant (pasted from PDFs and terminals), and not allowed in XML, so one of them in a
# claim made the Atom feed unreadable for every subscriber.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@overload
def without_controls(text: str) -> str: ...
@overload
def without_controls(text: None) -> None: ...
def without_controls(text: str | None) -> str | None:
    """TEXT without control characters (NUL included): what the desk and the API store."""
    return CONTROL_CHARACTERS.sub("", text) if isinstance(text, str) else text
