"""Column mappings: which source column or key feeds which of our fields, and how.

A mapping is a small TOML file (shipped ones live in ``mappings/``)::

    name = "euvsdisinfo"
    description = "..."
    required = ["claim_text", "source_url"]      # rows without them are rejected

    [fields.appearance_date]
    from = ["date_iso", "date"]      # first non-empty source column wins
    transform = "date"
    formats = ["%Y-%m-%d", "%d.%m.%Y"]

    [fields.language]
    value = "en"                     # a constant instead of a column

Every column a mapping reads must be in a CSV file's header (a misspelt name is refused,
not read as an empty column), unless the mapping says ``partial = true``: then a file may
carry any of its columns (the ``generic`` mapping, our own column names). For JSONL, a key
that none of the first rows has is noted, and ``"rating.value"`` names a key inside an object.

Transforms: ``text`` (default), ``multiline`` (keeps paragraphs), ``url``, ``date``
(options ``formats``, ``dayfirst``), ``language``, ``list`` (option ``separators``,
default ``[",", ";"]``), ``domain``, ``verdict``. A text may be put into words with the
option ``format`` ("DISINFO: {}": the value where the braces are). A mapping may instead say
``record = "tracker"``: each line is then a :func:`tracker.interop.records.dump_record`
object, and ``unique = [["external_id"]]`` names the keys that may not repeat in it.

Rows of a column mapping are matched to claims by external id, or by source URL and claim
text: a row that shares one with an earlier row adds its appearance or debunk to that
claim, and only a row repeating an earlier one in every field is a duplicate, so
``unique`` has no effect there (older mapping files that set it still load). Mistakes
(unknown target fields, transforms or options) raise :class:`MappingError` naming them.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from tracker.interop.errors import MappingError

#: Our import fields: the targets a mapping may fill.
TARGET_FIELDS = (
    "claim_text",
    "summary",
    "title",
    "language",
    "appearance_language",
    "outlet",
    "outlet_domain",
    "source_url",
    "appearance_date",
    "narratives",
    "keywords",
    "countries",
    "verdict",
    "rationale",
    "external_id",
    "debunk_url",
    "debunk_text",
)
LIST_FIELDS = frozenset({"narratives", "keywords", "countries"})
TRANSFORMS = frozenset(
    {"text", "multiline", "url", "date", "language", "list", "domain", "verdict"}
)
_FIELD_OPTIONS = frozenset(
    {"from", "value", "transform", "formats", "dayfirst", "separators", "format"}
)
_TEXTS = frozenset({"text", "multiline"})
_TOP_KEYS = frozenset(
    {"name", "description", "required", "unique", "fields", "record", "csv_unprotect", "partial"}
)


@dataclass(frozen=True)
class FieldRule:
    """How one of our fields is filled."""

    target: str
    sources: tuple[str, ...] = ()
    value: Any = None
    transform: str = "text"
    formats: tuple[str, ...] = ()
    dayfirst: bool | None = None
    separators: tuple[str, ...] = (",", ";")
    format: str | None = None


@dataclass(frozen=True)
class Mapping:
    """A validated column mapping."""

    name: str
    description: str = ""
    fields: dict[str, FieldRule] = field(default_factory=dict)
    required: tuple[str, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()
    record: str | None = None
    csv_unprotect: bool = False
    #: A file may carry only some of the mapped columns (else each must be there).
    partial: bool = False

    def source_columns(self, target: str) -> tuple[str, ...]:
        """The source columns that can fill TARGET (empty for constants)."""
        rule = self.fields.get(target)
        return rule.sources if rule else ()


def shipped_mappings() -> list[str]:
    """Names of the mappings shipped in the package."""
    folder = resources.files("tracker.interop.mappings")
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml")
    )


def load_mapping(name_or_path: str | Path) -> Mapping:
    """Load a shipped mapping by name (``"euvsdisinfo"``) or any mapping file by path."""
    text: str
    label = str(name_or_path)
    candidate = Path(name_or_path)
    if isinstance(name_or_path, Path) or candidate.suffix == ".toml" or "/" in label:
        if not candidate.is_file():
            raise MappingError(f"mapping file not found: {candidate}")
        text = candidate.read_text("utf-8")
    else:
        if label not in shipped_mappings():
            raise MappingError(
                f"no mapping named {label!r}; shipped: {', '.join(shipped_mappings())}"
            )
        resource = resources.files("tracker.interop.mappings").joinpath(f"{label}.toml")
        text = resource.read_text("utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"mapping {label}: not valid TOML: {error}") from None
    return parse_mapping(data, label=label)


def parse_mapping(data: dict[str, Any], *, label: str = "mapping") -> Mapping:
    """Validate the dict read from a mapping file; raise :class:`MappingError` if wrong."""
    unknown_top = sorted(set(data) - _TOP_KEYS)
    if unknown_top:
        raise MappingError(f"mapping {label}: unknown settings: {', '.join(unknown_top)}")
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise MappingError(f"mapping {label}: 'name' is missing")
    record = data.get("record")
    if record is not None and record != "tracker":
        raise MappingError(f"mapping {label}: record must be 'tracker', not {record!r}")
    raw_fields = data.get("fields", {})
    if not isinstance(raw_fields, dict):
        raise MappingError(f"mapping {label}: [fields] must be a table")
    unknown = sorted(set(raw_fields) - set(TARGET_FIELDS))
    if unknown:
        raise MappingError(
            f"mapping {label}: unknown target fields: {', '.join(unknown)} "
            f"(ours are: {', '.join(TARGET_FIELDS)})"
        )
    rules = {target: _rule(target, spec, label) for target, spec in raw_fields.items()}
    if record is None and not rules:
        raise MappingError(f"mapping {label}: no [fields]")
    required = tuple(data.get("required", ()))
    groups = tuple(tuple(group) for group in data.get("unique", ()))
    named = set(required) | {target for group in groups for target in group}
    unknown = sorted(named - set(TARGET_FIELDS))
    if unknown:
        raise MappingError(f"mapping {label}: unknown target fields: {', '.join(unknown)}")
    unmapped = sorted(t for t in required if t not in rules and record is None)
    if unmapped:
        raise MappingError(f"mapping {label}: required fields not mapped: {', '.join(unmapped)}")
    return Mapping(
        name=name,
        description=str(data.get("description", "")),
        fields=rules,
        required=required,
        unique=groups,
        record=record,
        csv_unprotect=bool(data.get("csv_unprotect", False)),
        partial=_flag(data, "partial", label),
    )


def _flag(data: dict[str, Any], key: str, label: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise MappingError(f"mapping {label}: {key!r} must be true or false")
    return value


def _rule(target: str, spec: Any, label: str) -> FieldRule:
    where = f"mapping {label}, field {target}"
    if isinstance(spec, str):
        spec = {"from": spec}
    if not isinstance(spec, dict):
        raise MappingError(f"{where}: expected a table or a column name")
    unknown = sorted(set(spec) - _FIELD_OPTIONS)
    if unknown:
        raise MappingError(f"{where}: unknown options: {', '.join(unknown)}")
    if ("from" in spec) == ("value" in spec):
        raise MappingError(f"{where}: give exactly one of 'from' and 'value'")
    sources = spec.get("from", ())
    sources = (sources,) if isinstance(sources, str) else tuple(sources)
    if not all(isinstance(s, str) and s for s in sources):
        raise MappingError(f"{where}: 'from' must name columns")
    default = "list" if target in LIST_FIELDS else "text"
    transform = spec.get("transform", default)
    if transform not in TRANSFORMS:
        raise MappingError(
            f"{where}: unknown transform {transform!r} (known: {', '.join(sorted(TRANSFORMS))})"
        )
    if target in LIST_FIELDS and transform != "list":
        raise MappingError(f"{where}: a list field needs transform 'list'")
    dayfirst = spec.get("dayfirst")
    if dayfirst is not None and not isinstance(dayfirst, bool):
        raise MappingError(f"{where}: 'dayfirst' must be true or false")
    wording = spec.get("format")
    if wording is not None and (
        not isinstance(wording, str) or wording.count("{}") != 1 or transform not in _TEXTS
    ):
        raise MappingError(f"{where}: 'format' is a text with one '{{}}', for text fields")
    return FieldRule(
        target=target,
        sources=sources,
        value=spec.get("value"),
        transform=transform,
        formats=tuple(spec.get("formats", ())),
        dayfirst=dayfirst,
        separators=tuple(spec.get("separators", (",", ";"))),
        format=wording,
    )
