"""Turning one source row into our fields through a mapping's rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tracker.interop.dates import parse_date
from tracker.interop.languages import normalise_language
from tracker.interop.mapping import FieldRule, Mapping
from tracker.interop.ratings import map_rating
from tracker.interop.scale import VERDICT_LABELS, VERDICTS
from tracker.interop.textnorm import clean_text
from tracker.interop.urls import clean_url, domain_of

_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_PROTECTED = re.compile(r"^'(?=[=+\-@\t\r＝＋－＠])")
#: A date one day ahead is tolerated: the source may be in a later time zone.
FUTURE_TOLERANCE = timedelta(days=1)
MIN_VERDICT_CONFIDENCE = 0.75


@dataclass
class FieldValues:
    """Values found for one row, with the problems met on the way."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def is_empty(value: Any) -> bool:
    """None, blank text, and empty lists count as missing."""
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def apply_mapping(mapping: Mapping, row: dict[str, Any], today: date) -> FieldValues:
    """Fill our fields from ROW following MAPPING; problems are collected, not raised."""
    out = FieldValues()
    for target, rule in mapping.fields.items():
        column, raw = _source_value(rule, row)
        if mapping.csv_unprotect and isinstance(raw, str):
            raw = _PROTECTED.sub("", raw)
        if is_empty(raw):
            out.values[target] = [] if rule.transform == "list" else None
            continue
        where = f"{target} (column {column!r})" if column else target
        value = _transform(rule, raw, where, today, out)
        if rule.format and isinstance(value, str):
            value = rule.format.replace("{}", value)
        out.values[target] = value
    return out


def _source_value(rule: FieldRule, row: dict[str, Any]) -> tuple[str | None, Any]:
    if not rule.sources:
        return None, rule.value
    for column in rule.sources:
        value = _lookup(row, column)
        if not is_empty(value):
            return column, value
    return rule.sources[0], None


def _lookup(row: dict[str, Any], column: str) -> Any:
    """ROW's value of COLUMN; in a JSON line "rating.value" is the key inside an object
    (our public export writes the verdict as {"value": "false", "label": "False", ...})."""
    if column in row or "." not in column:
        return row.get(column)
    value: Any = row
    for key in column.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def _transform(rule: FieldRule, raw: Any, where: str, today: date, out: FieldValues) -> Any:
    kind = rule.transform
    if kind == "list":
        return _as_list(raw, rule.separators, where, out)
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        out.errors.append(f"{where}: expected text, got {type(raw).__name__} {str(raw)[:40]!r}")
        return None
    text = str(raw) if isinstance(raw, int | float) else raw
    if kind in ("text", "multiline"):
        cleaned, repairs = clean_text(text, multiline=kind == "multiline")
        out.warnings.extend(f"{where}: {repair}" for repair in repairs)
        return cleaned or None
    if kind == "url":
        result = clean_url(text)
        if result.error:
            out.errors.append(f"{where}: invalid URL: {result.error}")
        out.warnings.extend(f"{where}: {w}" for w in result.warnings)
        return result.url
    if kind == "date":
        return _as_date(rule, text, where, today, out)
    if kind == "language":
        language = normalise_language(text)
        if language.warning:
            out.warnings.append(f"{where}: {language.warning}")
        return language.code
    if kind == "domain":
        return _as_domain(text, where, out)
    return _as_verdict(text, where, out)


def _as_list(raw: Any, separators: tuple[str, ...], where: str, out: FieldValues) -> list[str]:
    if isinstance(raw, str):
        pieces = [raw]
        for separator in separators:
            pieces = [part for piece in pieces for part in piece.split(separator)]
    elif isinstance(raw, list) and all(isinstance(item, str) for item in raw):
        pieces = raw
    else:
        out.errors.append(f"{where}: expected a list of texts, got {type(raw).__name__}")
        return []
    items: list[str] = []
    for piece in pieces:
        cleaned, _ = clean_text(piece)
        if cleaned and cleaned not in items:
            items.append(cleaned)
    return items


def _as_date(rule: FieldRule, text: str, where: str, today: date, out: FieldValues) -> date | None:
    result = parse_date(text, formats=rule.formats, dayfirst=rule.dayfirst)
    if result.error:
        out.errors.append(f"{where}: invalid date: {result.error}")
        return None
    if result.warning:
        out.warnings.append(f"{where}: {result.warning}")
    if result.value is not None and result.value > today + FUTURE_TOLERANCE:
        out.errors.append(f"{where}: date {result.value.isoformat()} is in the future")
        return None
    return result.value


def _as_domain(text: str, where: str, out: FieldValues) -> str | None:
    value = text.strip().lower()
    if "://" in value:
        value = domain_of(value) or ""
    value = value.removeprefix("www.").rstrip("/.")
    if _DOMAIN.match(value):
        return value
    out.warnings.append(f"{where}: {text.strip()[:60]!r} is not a domain name: left empty")
    return None


def _as_verdict(text: str, where: str, out: FieldValues) -> str | None:
    key = text.strip().lower().replace(" ", "_").replace("-", "_")
    if key in VERDICTS:
        return key
    for verdict, label in VERDICT_LABELS.items():
        if text.strip().casefold() == label.casefold():
            return verdict
    mapping = map_rating(None, None, None, text, None)
    if mapping.rating is not None and mapping.confidence >= MIN_VERDICT_CONFIDENCE:
        out.warnings.append(f"{where}: {mapping.rule}")
        return mapping.rating
    out.errors.append(
        f"{where}: unknown verdict {text.strip()[:40]!r} (ours: {', '.join(sorted(VERDICTS))})"
    )
    return None
