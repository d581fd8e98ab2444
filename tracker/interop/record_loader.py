"""Typed, checked access to the JSON objects of our dump: every error names its field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, overload

from tracker.interop.errors import RecordError
from tracker.interop.urls import is_http_url


class Loader:
    """Typed access to one JSON object, with the field path in every error."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise RecordError(f"{path or 'record'}: expected a JSON object")
        self.data = data
        self.path = path

    def _name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    # The overloads tell callers that a required field is never None (it raises instead).
    @overload
    def text(self, key: str, *, required: Literal[True]) -> str: ...
    @overload
    def text(self, key: str, *, required: bool = False) -> str | None: ...
    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.data.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            raise RecordError(f"{self._name(key)}: expected {'non-empty ' if required else ''}text")
        return value

    @overload
    def url(self, key: str, *, required: Literal[True]) -> str: ...
    @overload
    def url(self, key: str, *, required: bool = False) -> str | None: ...
    def url(self, key: str, *, required: bool = False) -> str | None:
        value = self.text(key, required=required)
        if value is not None and not is_http_url(value):
            raise RecordError(f"{self._name(key)}: not an absolute http(s) URL: {value!r}")
        return value

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise RecordError(f"{self._name(key)}: expected a list of texts")
        return tuple(value)

    def date(self, key: str) -> date | None:
        value = self.text(key)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise RecordError(f"{self._name(key)}: not an ISO date: {value!r}") from None

    @overload
    def time(self, key: str, *, required: Literal[True]) -> datetime: ...
    @overload
    def time(self, key: str, *, required: bool = False) -> datetime | None: ...
    def time(self, key: str, *, required: bool = False) -> datetime | None:
        value = self.text(key, required=required)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise RecordError(f"{self._name(key)}: not an ISO date and time: {value!r}") from None
        if parsed.tzinfo is None:
            raise RecordError(f"{self._name(key)}: time without a UTC offset: {value!r}")
        return parsed

    def objects(self, key: str) -> list[Loader]:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise RecordError(f"{self._name(key)}: expected a list")
        return [Loader(item, f"{self._name(key)}[{i}]") for i, item in enumerate(value)]

    def child(self, key: str) -> Loader | None:
        value = self.data.get(key)
        return None if value is None else Loader(value, self._name(key))
