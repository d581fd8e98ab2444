"""Reading JSON request bodies: every problem is collected by field, then reported at once.

A body that is not JSON, not UTF-8 or not an object is a 400; a body with fields of the
wrong type, unknown fields or missing required ones is a 422 naming each field. The
services then validate the values themselves, as they do for the desk's forms.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from flask import request

from tracker.api.tokens import fail
from tracker.errors import ValidationFailed
from tracker.services.validation import MAX_ROW_ID, row_id
from tracker.text import without_controls
from tracker.wording import LANGUAGE_NAMES

E = TypeVar("E", bound=StrEnum)
MAX_BODY = 1_000_000
ID_RANGE = f"Expected ids: whole numbers from 1 to {MAX_ROW_ID:,}."


def json_object() -> dict[str, Any]:
    """The request body as a JSON object, or a 400 saying what is wrong with it."""
    if not request.is_json:
        fail(400, "Send the body as JSON, with Content-Type: application/json.")
    # Refused by its declared length before it is read: a 20 MB body is not loaded to say so.
    size = request.content_length
    if size is None or size <= MAX_BODY:
        raw = request.get_data(cache=True)
        size = len(raw)
    if size > MAX_BODY:
        fail(413, f"The body is {size:,} bytes; the limit is {MAX_BODY:,}.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        fail(400, f"The body is not valid UTF-8 (byte {exc.start}).")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        fail(400, f"The body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).")
    except RecursionError:
        fail(400, "The body is not valid JSON: nested too deeply.")
    if not isinstance(value, dict):
        fail(400, "The body must be a JSON object.")
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        # "\ud800" alone is valid JSON but no character: no database can store it (a 500).
        fail(
            400,
            "The body holds an unpaired surrogate escape (such as \\ud800), which is no "
            "character; send the text as UTF-8 or escape both halves of the pair.",
        )
    return value


class BodyRefused(ValidationFailed):
    """A body's problems, already under the API's own field names (an unknown field called
    "summary_en" stays "summary_en": mapped as a service's name, it became "summary")."""


class Body:
    """Typed access to the fields of one JSON object, collecting errors by field name."""

    def __init__(self, data: dict[str, Any], allowed: set[str], prefix: str = "") -> None:
        self.data = data
        self.prefix = prefix
        self.errors: dict[str, list[str]] = {}
        for key in sorted(set(data) - allowed):
            self.error(key, f"Unknown field; known ones are: {', '.join(sorted(allowed))}.")

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(f"{self.prefix}{name}", []).append(message)

    def has(self, name: str) -> bool:
        return name in self.data

    def _get(self, name: str, required: bool) -> Any:
        value = self.data.get(name)
        if value is None and required:
            self.error(name, "This field is required.")
        return value

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self._get(name, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.error(name, "Expected text.")
            return None
        return without_controls(value)  # as the desk's forms read text

    def language(self, name: str) -> str | None:
        """A language code of the desk's list (as the desk and `/api/v1/xref/check` take)."""
        value = self.text(name)
        if value is None or not value.strip():
            return value
        code = value.strip().lower()
        if code not in LANGUAGE_NAMES:
            known = ", ".join(sorted(LANGUAGE_NAMES))
            self.error(name, f"{value!r} is not a language code we know; use one of {known}.")
            return None
        return code

    def integer(
        self, name: str, *, required: bool = False, minimum: int | None = None
    ) -> int | None:
        value = self._get(name, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(name, "Expected a whole number.")
            return None
        if minimum is not None and value < minimum:
            self.error(name, f"Expected a whole number of at least {minimum}.")
            return None
        return value

    def record_id(self, name: str) -> int | None:
        """The id of a record: a whole number the database's id columns can hold (a larger
        one made the database fail, a 500, instead of finding nothing)."""
        value = self.integer(name)
        if value is not None and row_id(value) is None:
            self.error(name, ID_RANGE)
            return None
        return value

    def number(self, name: str, *, required: bool = False) -> float | None:
        value = self._get(name, required)
        if value is None:
            return None
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.error(name, "Expected a number.")
            return None
        return float(value)

    def boolean(self, name: str) -> bool | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error(name, "Expected true or false.")
            return None
        return value

    def day(self, name: str) -> date | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.error(name, "Expected a date as YYYY-MM-DD.")
            return None

    def choice(self, name: str, kind: type[E]) -> E | None:
        value = self.text(name)
        if value is None:
            return None
        try:
            return kind(value)
        except ValueError:
            self.error(name, f"Expected one of: {', '.join(m.value for m in kind)}.")
            return None

    def one_of(self, name: str, known: Iterable[str]) -> str | None:
        """A text that must be one of KNOWN (the codes a desk select offers)."""
        value = self.text(name)
        if value is None or value in known:
            return value
        self.error(name, f"Expected one of: {', '.join(known)}.")
        return None

    def texts(self, name: str) -> list[str] | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(name, "Expected a list of texts.")
            return None
        return value

    def integers(self, name: str) -> list[int] | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value
        ):
            self.error(name, "Expected a list of ids.")
            return None
        if any(row_id(v) is None for v in value):
            self.error(name, ID_RANGE)
            return None
        return value

    def objects(self, name: str) -> list[dict[str, Any]] | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.error(name, "Expected a list of objects.")
            return None
        return value

    def merge(self, other: Body) -> None:
        for name, messages in other.errors.items():
            self.errors.setdefault(name, []).extend(messages)

    def check(self) -> None:
        if self.errors:
            raise BodyRefused(self.errors)
