"""Reading values out of messy JSON-LD, noting every repair made on the way."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.interop.claimreview_model import Party, RatingInfo
from tracker.interop.dates import parse_date
from tracker.interop.jsonld import resolve
from tracker.interop.ratings import to_number
from tracker.interop.textnorm import clean_text
from tracker.interop.urls import clean_url


class Reader:
    """Collects warnings while reading one node; ``field`` names prefix the messages."""

    def __init__(self, base_url: str | None, index: dict[str, dict[str, Any]]) -> None:
        self.base_url = base_url
        self.index = index
        self.warnings: list[str] = []

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def one(self, value: Any, field: str) -> Any:
        """The first meaningful element when a single value is expected but a list came."""
        if isinstance(value, list):
            items = [v for v in value if v not in (None, "", [], {})]
            if len(items) > 1:
                self.warn(f"{field}: {len(items)} values given, the first is used")
            value = items[0] if items else None
        return resolve(value, self.index)

    def many(self, value: Any) -> list[Any]:
        items = value if isinstance(value, list) else [value]
        return [resolve(v, self.index) for v in items if v not in (None, "", [], {})]

    def text(
        self, value: Any, field: str, *, multiline: bool = False, exact: bool = False
    ) -> str | None:
        if isinstance(value, list) and len(value) == 1:
            self.warn(f"{field}: a list of one value, unwrapped")
        value = self.one(value, field)
        if isinstance(value, dict):
            value = value.get("@value") or value.get("name") or value.get("text")
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return None
        cleaned, repairs = clean_text(value, multiline=multiline, exact=exact)
        for repair in repairs:
            self.warn(f"{field}: {repair}")
        return cleaned or None

    def url(self, value: Any, field: str) -> str | None:
        value = self.one(value, field)
        if isinstance(value, dict):
            value = value.get("url") or value.get("@id")
        if value is None or value == "":
            return None
        result = clean_url(value, base=self.base_url)
        for warning in result.warnings:
            self.warn(f"{field}: {warning}")
        if result.error:
            self.warn(f"{field}: {result.error}: left out")
        return result.url

    def date(self, value: Any, field: str) -> date | None:
        value = self.one(value, field)
        result = parse_date(value)
        if result.error:
            self.warn(f"{field}: {result.error}: left empty")
        if result.warning:
            self.warn(f"{field}: {result.warning}")
        return result.value

    def party(self, value: Any, field: str) -> Party:
        if isinstance(value, str):
            return Party(clean_text(value)[0] or None, None)
        if not isinstance(value, dict):
            return Party()
        raw_name = value.get("name")
        name: str | None
        if isinstance(raw_name, list) and len([n for n in raw_name if n]) > 1:
            parts = [clean_text(n)[0] for n in raw_name if isinstance(n, str) and n.strip()]
            self.warn(f"{field}.name: a list, joined with commas")
            name = ", ".join(parts) or None
        else:
            name = self.text(raw_name, f"{field}.name")
        return Party(name, self.url(value.get("url"), f"{field}.url"))


def read_rating(value: Any, reader: Reader, field: str) -> RatingInfo:
    """A ``Rating`` node (FIELD names it in warnings) as written."""
    rating = reader.one(value, field)
    if not isinstance(rating, dict):
        reader.warn(f"no {field}")
        return RatingInfo()
    numbers = {}
    for key in ("ratingValue", "bestRating", "worstRating"):
        raw = reader.one(rating.get(key), f"{field}.{key}")
        numbers[key] = to_number(raw)
        if isinstance(raw, str) and raw.strip() and numbers[key] is not None:
            reader.warn(f"{field}: numbers given as text")
        elif raw not in (None, "") and numbers[key] is None:
            reader.warn(f"{field}.{key}: {raw!r} is not a number: ignored")
    label = reader.one(rating.get("alternateName"), f"{field}.alternateName")
    if not isinstance(label, str) or not label.strip():
        name = reader.one(rating.get("name"), f"{field}.name")
        if isinstance(name, str) and name.strip():
            reader.warn(f"no {field}.alternateName: its name is used")
            label = name
    alternate = label.strip() if isinstance(label, str) else None
    if isinstance(label, str) and alternate != label:
        reader.warn(f"{field}.alternateName: surrounding whitespace trimmed")
    explanation = rating.get("ratingExplanation")
    if explanation is not None and not isinstance(explanation, str):
        reader.warn(f"{field}.ratingExplanation: {explanation!r} is not text: ignored")
        explanation = None
    return RatingInfo(
        explanation=reader.text(explanation, f"{field}.ratingExplanation", multiline=True),
        value=numbers["ratingValue"],
        best=numbers["bestRating"],
        worst=numbers["worstRating"],
        alternate_name=alternate or None,
    )
