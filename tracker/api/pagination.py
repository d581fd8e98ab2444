"""Opaque cursors for the read API: keys where rows have a stable order, capped offsets
where they are ranked."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from werkzeug.exceptions import BadRequest

MAX_LIMIT = 100
DEFAULT_LIMIT = 20


def encode_cursor(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":"), sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, kind: str) -> dict[str, Any] | None:
    """The cursor's values; a 400 when it was not made by us for this kind of list."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError):
        data = None  # RecursionError: a thousand nested brackets (it was a 500)
    if not isinstance(data, dict) or data.get("k") != kind:
        raise BadRequest("The cursor is not valid for this list; start again without it.")
    return data


# Ids and offsets fit a database's signed 64-bit integer; a larger one in a hand-edited cursor
# was an OverflowError (a 500) in the query.
_LARGEST = 2**63 - 1


def cursor_number(data: dict[str, Any], key: str, default: int | None = None) -> int:
    """A whole number of the cursor from 0 up; a 400 when it is missing or anything else."""
    value = data.get(key, default)
    if type(value) is not int or not 0 <= value <= _LARGEST:
        raise BadRequest("The cursor is not valid for this list; start again without it.")
    return value


def read_limit(value: str | None) -> int:
    # An empty "limit=" is not an integer, as the OpenAPI document says it must be.
    if value is None:
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise BadRequest(f"limit must be a number from 1 to {MAX_LIMIT}.")
    return int(value)
