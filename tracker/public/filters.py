"""The claim filters shared by search, feeds, exports and the API, and how to read them.

Reading never raises: each invalid value is dropped and reported as a :class:`FilterProblem`;
the HTML pages show the problems as a notice, the API answers 400 with them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal,
    literal_column,
    or_,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from tracker.interop.languages import typed_language
from tracker.models import (
    Appearance,
    Claim,
    ClaimStatus,
    Narrative,
    Rating,
    claim_countries,
    claim_narratives,
)
from tracker.public.visibility import (
    find_outlets,
    get_public_narrative,
    get_public_outlet,
    merged_narrative_target,
    merged_outlet_target,
    public_claim_condition,
    public_narrative_named,
)
from tracker.services.countries import is_country_code, resolve_country
from tracker.wording import LANGUAGE_NAMES

MAX_QUERY_CHARS = 500
MAX_PAGE = 25  # capped offsets: 25 pages of 20 is as deep as the ranked candidates go
SORTS = ("relevance", "newest")
FILTER_PARAMS = ("q", "verdict", "outlet", "country", "language", "narrative", "from", "to")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
# Country codes often typed where a language code belongs, and the language meant.
_COUNTRY_FOR_LANGUAGE = {
    "ua": "uk", "by": "be", "cz": "cs", "gr": "el", "se": "sv", "dk": "da", "jp": "ja",
    "cn": "zh", "ge": "ka", "ee": "et", "si": "sl", "rs": "sr", "kz": "kk", "am": "hy",
}  # fmt: skip
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")


@dataclass(frozen=True)
class FilterProblem:
    """One rejected parameter value and why it was rejected."""

    param: str
    message: str


# The verdict filter's values: the ratings, and "retracted" (a verdict withdrawn).
RETRACTED = ClaimStatus.RETRACTED.value
VERDICT_VALUES = (*(rating.value for rating in Rating), RETRACTED)


def verdict_value() -> ColumnElement[str | None]:
    """A claim's verdict as the verdict filter, facet and counts have it: its rating's
    value, RETRACTED when the rating it had was withdrawn, NULL when it has none."""
    return case(
        (Claim.status == ClaimStatus.RETRACTED, literal(RETRACTED)),
        else_=cast(Claim.rating, String),
    )


@dataclass(frozen=True)
class ClaimFilters:
    """What a visitor asked for. Empty values mean "no filter"."""

    q: str = ""
    # Rating values, and RETRACTED for claims whose verdict was withdrawn.
    verdicts: tuple[str, ...] = ()
    outlet_id: int | None = None
    country: str | None = None
    language: str | None = None
    narrative: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    sort: str = "relevance"
    page: int = 1

    @property
    def effective_sort(self) -> str:
        """Without a query there is nothing to rank by relevance."""
        return self.sort if self.q else "newest"

    @property
    def has_filters(self) -> bool:
        return bool(
            self.verdicts
            or self.outlet_id
            or self.country
            or self.language
            or self.narrative
            or self.date_from
            or self.date_to
        )

    def params(self, **changes: Any) -> dict[str, object]:
        """Query-string parameters that reproduce these filters (with CHANGES applied)."""
        values = replace(self, **changes) if changes else self
        out: dict[str, object] = {}
        if values.q:
            out["q"] = values.q
        if values.verdicts:
            out["verdict"] = [str(v) for v in values.verdicts]
        for key, value in (
            ("outlet", values.outlet_id),
            ("country", values.country),
            ("language", values.language),
            ("narrative", values.narrative),
            ("from", values.date_from.isoformat() if values.date_from else None),
            ("to", values.date_to.isoformat() if values.date_to else None),
        ):
            if value:
                out[key] = value
        if values.sort != "relevance" and values.q:
            out["sort"] = values.sort
        if values.page > 1:
            out["page"] = values.page
        return out


@dataclass
class ParsedFilters:
    """The filters, the rejected values (a 400 on the API) and notices (never an error)."""

    filters: ClaimFilters
    problems: list[FilterProblem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _values(args: Mapping[str, object], name: str) -> list[str]:
    getlist: Callable[[str], list[str]] | None = getattr(args, "getlist", None)
    raw = getlist(name) if getlist else args.get(name)
    if raw is None:
        return []
    items = raw if isinstance(raw, list | tuple) else [raw]
    return [str(item).strip() for item in items if str(item).strip()]


def _narrative_slug(session: Session, typed: str, problems: list[FilterProblem]) -> str | None:
    """The public narrative a filter names: by its slug, by its name as the site shows it
    ("Ukraine, a failed state"; only the slug was taken), or by a merged narrative's slug
    (meaning the narrative it became, as its page redirects)."""
    if _SLUG.match(typed) and get_public_narrative(session, typed) is not None:
        return typed
    named = public_narrative_named(session, typed)
    if named is not None:
        return named.slug
    became = merged_narrative_target(session, typed) if _SLUG.match(typed) else None
    if became is None:
        message = f"No narrative in the record is called “{typed[:80]}”."
        problems.append(FilterProblem("narrative", message))
    return became.slug if became is not None else None


def _one(args: Mapping[str, object], name: str) -> str | None:
    values = _values(args, name)
    return values[-1] if values else None


def _date(value: str | None, param: str, problems: list[FilterProblem]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        problems.append(FilterProblem(param, f"“{value[:40]}” is not a date (use YYYY-MM-DD)."))
        return None


def parse_filters(
    args: Mapping[str, object],
    *,
    allow_page: bool = True,
    max_page: int = MAX_PAGE,
    session: Session | None = None,
) -> ParsedFilters:
    """Read the filters from request arguments (a MultiDict or a plain mapping). With a
    `session`, a narrative must be one of the public record's: an unknown one is a problem
    to report, like an unknown outlet, not a silent "no claims"."""
    problems: list[FilterProblem] = []
    notices: list[str] = []
    q = " ".join((_one(args, "q") or "").split())
    if len(q) > MAX_QUERY_CHARS:
        notices.append(f"The query was cut to its first {MAX_QUERY_CHARS} characters.")
        # At a space: a word cut in two is a word no claim has, and every word must match.
        q = (
            q[: MAX_QUERY_CHARS + 1].rsplit(" ", 1)[0]
            if " " in q[:MAX_QUERY_CHARS]
            else q[:MAX_QUERY_CHARS]
        )

    verdicts: list[str] = []
    for value in _values(args, "verdict"):
        for item in value.split(","):
            verdict = item.strip().lower()
            if verdict not in VERDICT_VALUES:
                known = ", ".join(VERDICT_VALUES)
                problems.append(
                    FilterProblem("verdict", f"Unknown verdict “{item[:40]}” (known: {known}).")
                )
            elif verdict not in verdicts:
                verdicts.append(verdict)

    outlet_id = None
    if (outlet := _one(args, "outlet")) is not None:
        if outlet.isdigit() and 0 < int(outlet) < 2**31:
            outlet_id = int(outlet)
        elif session is not None and not outlet.strip().isdigit():
            # A name, as /search takes it ("RIA Novosti"): the feeds, exports and API
            # refused it as "not an outlet number".
            outlet_id = _outlet_named(session, outlet, problems)
        else:
            problems.append(FilterProblem("outlet", "The outlet must be an outlet number."))
    if outlet_id and session is not None and get_public_outlet(session, outlet_id) is None:
        # A merged outlet's old links lead to the outlet it became, as its page does.
        merged_into = merged_outlet_target(session, outlet_id)
        if merged_into is None:
            message = f"No outlet in the public record has the number {outlet_id}."
            problems.append(FilterProblem("outlet", message))
        outlet_id = merged_into

    country = _one(args, "country")
    if country is not None:
        # A name ("Russia", "Ukraine") is taken as its code: typed in a query string, it
        # was refused as "not a two-letter code".
        upper = country.upper()
        country = upper if _COUNTRY.match(upper) else resolve_country(country)
        if country is None:
            message = "The country must be a code like UA or a name like Ukraine."
            problems.append(FilterProblem("country", message))
            country = None
        elif country == "UK":  # what most people type; ISO 3166 says GB
            message = "The country code of the United Kingdom is “GB”, not “UK”."
            problems.append(FilterProblem("country", message))
            country = None
        elif not is_country_code(country):
            message = f"“{country}” is not a country code (ISO 3166, such as UA or RU)."
            problems.append(FilterProblem("country", message))
            country = None

    language = _one(args, "language")
    if language is not None:
        # A name ("Russian", "русский") is taken as its code, as imports take it.
        language = typed_language(language)
        if language is None:
            message = "The language must be a code like ru or a name like Russian."
            problems.append(FilterProblem("language", message))
        elif language in _COUNTRY_FOR_LANGUAGE:
            meant = _COUNTRY_FOR_LANGUAGE[language]
            message = f"“{language}” is a country code; the language code is “{meant}”."
            problems.append(FilterProblem("language", message))
            language = None
        elif session is not None and not _language_in_record(session, language):
            message = f"No claim in the public record is in a language with the code “{language}”."
            problems.append(FilterProblem("language", message))
            language = None

    narrative = _one(args, "narrative")
    if narrative is not None and session is not None:
        narrative = _narrative_slug(session, narrative, problems)
    elif narrative is not None and not _SLUG.match(narrative):
        problems.append(FilterProblem("narrative", "Unknown narrative."))
        narrative = None

    date_from = _date(_one(args, "from"), "from", problems)
    date_to = _date(_one(args, "to"), "to", problems)
    if date_from and date_to and date_from > date_to:
        problems.append(FilterProblem("to", "The end date is before the start date."))
        date_to = None

    sort = (_one(args, "sort") or "relevance").lower()
    if sort not in SORTS:
        problems.append(FilterProblem("sort", f"Sort by {' or '.join(SORTS)}."))
        sort = "relevance"

    page = 1
    raw_page = _one(args, "page")
    if raw_page is not None and allow_page:
        if not raw_page.isdigit() or int(raw_page) < 1:
            problems.append(FilterProblem("page", "The page must be a positive number."))
        elif int(raw_page) > max_page:
            problems.append(FilterProblem("page", f"Only the first {max_page} pages are shown."))
            page = max_page
        else:
            page = int(raw_page)

    filters = ClaimFilters(
        q=q,
        verdicts=tuple(verdicts),
        outlet_id=outlet_id,
        country=country,
        language=language,
        narrative=narrative,
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=page,
    )
    return ParsedFilters(filters, problems, notices)


def _outlet_named(session: Session, name: str, problems: list[FilterProblem]) -> int | None:
    """The number of the one public outlet called NAME; else a problem that says why not."""
    found = find_outlets(session, name[:200])
    if len(found) == 1:
        return found[0].id
    if not found:
        message = f"No outlet in the public record is called “{name[:80]}”."
    else:
        names = ", ".join(f"{o.name} ({o.id})" for o in found[:5])
        message = f"Several outlets match “{name[:80]}”: {names}; give its number."
    problems.append(FilterProblem("outlet", message))
    return None


def _language_in_record(session: Session, code: str) -> bool:
    """Whether CODE is a language code the record knows: one of the languages claims are
    recorded in, or (an import may bring others) the language of some public claim."""
    if code in LANGUAGE_NAMES:
        return True
    found = select(Claim.id).where(Claim.language == code, public_claim_condition()).limit(1)
    return session.scalar(found) is not None


def apply_filters(stmt: Select, filters: ClaimFilters) -> Select:
    """Add the WHERE clauses of FILTERS to a statement over ``claims``."""
    if filters.verdicts:
        # A retracted claim no longer has the verdict it had: it is found as RETRACTED only.
        ratings = [Rating(v) for v in filters.verdicts if v != RETRACTED]
        chosen = []
        if ratings:
            chosen.append(and_(Claim.rating.in_(ratings), Claim.status != ClaimStatus.RETRACTED))
        if RETRACTED in filters.verdicts:
            chosen.append(Claim.status == ClaimStatus.RETRACTED)
        stmt = stmt.where(or_(*chosen))
    if filters.language:
        stmt = stmt.where(Claim.language == filters.language)
    if filters.date_from:
        stmt = stmt.where(Claim.first_seen >= filters.date_from)
    if filters.date_to:
        stmt = stmt.where(Claim.first_seen <= filters.date_to)
    # Each as "id IN (claims of that outlet ...)": the database can start from the few
    # claims of one outlet (narrative, country) through their index, where a correlated
    # EXISTS made SQLite test every claim (170 ms at 100,000 claims, now 2 ms).
    if filters.outlet_id:
        stmt = stmt.where(
            Claim.id.in_(
                select(Appearance.claim_id).where(Appearance.outlet_id == filters.outlet_id)
            )
        )
    if filters.country:
        stmt = stmt.where(
            Claim.id.in_(
                select(claim_countries.c.claim_id).where(
                    claim_countries.c.country_code == filters.country
                )
            )
        )
    if filters.narrative:
        narrative_id = (
            select(Narrative.id).where(Narrative.slug == filters.narrative).scalar_subquery()
        )
        stmt = stmt.where(
            Claim.id.in_(
                select(claim_narratives.c.claim_id).where(
                    claim_narratives.c.narrative_id == narrative_id
                )
            )
        )
    return stmt


def problems_as_text(problems: Sequence[FilterProblem]) -> str:
    return " ".join(f"{p.param}: {p.message}" for p in problems)


def in_ids(session: Session, column: Any, ids: list[int]) -> ColumnElement[bool]:
    """``column IN ids`` with the ids as ONE parameter (a JSON array on SQLite, an array on
    PostgreSQL): a thousand separate parameters cost more to compile than to run."""
    if session.get_bind().dialect.name == "postgresql":
        # An array literal: the driver's dumping of a list checks every item (25 ms for
        # 5,000 ids); the ids are ints, so the text is safe as it is.
        literal = "{" + ",".join(str(int(i)) for i in ids) + "}"
        return column == any_(cast(bindparam("ids", literal), ARRAY(Integer)))
    values: Select[Any] = select(literal_column("value")).select_from(
        func.json_each(bindparam("ids", json.dumps(ids)))
    )
    return column.in_(values)


def in_selected(session: Session, column: Any, ids: Select[Any]) -> ColumnElement[bool]:
    """``column IN (ids)``, where IDS is a select of a few thousand ids (the newest matches
    of a search). PostgreSQL takes ``IN (subquery)`` for a join and, with a language filter,
    hashed the language's 40,000 claims to find 1,000 of 5,000 ids (45 ms); an array of the
    ids makes it look each one up (12 ms)."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(func.array(ids.scalar_subquery()))
    return column.in_(ids)
