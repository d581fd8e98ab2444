"""Template filters and globals: dates, numbers, verdict badges and safe Markdown."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import nh3
from flask import Flask, request, url_for
from markdown_it import MarkdownIt
from markupsafe import Markup

from tracker.models.enums import RATING_LABELS, ClaimStatus, Rating
from tracker.wording import audit_action, counted, language_name, noun
from tracker.xref.formatting import format_period

# Raw HTML in Markdown is turned off, and the output is cleaned again with nh3: user text and
# captured pages never reach a page as active HTML.
# Bare addresses become links ("linkify"): 1,595 of EUvsDisinfo's 2,773 rationales cite their
# evidence as a bare address, which a reader on a phone could not open.
# Only addresses with their scheme: "rt.com said" names an outlet, it is not a link to it.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": True}).enable(["table", "linkify"])
if _markdown.linkify is not None:  # set when linkify-it-py (a dependency) is installed
    _markdown.linkify.set({"fuzzy_link": False, "fuzzy_email": False})
ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(text: str | None) -> Markup:
    if not text:
        return Markup("")
    html = _markdown.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)  # noqa: S704  # nosec B704 - sanitised by nh3 just above


def format_date(value: date | datetime | None, fmt: str = "%-d %B %Y") -> str:
    if value is None:
        return ""
    return value.strftime(fmt)


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%-d %b %Y, %H:%M UTC")


def format_number(value: float | int | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def rating_label(rating: Rating | str | None) -> str:
    if rating is None:
        return "No verdict"
    return RATING_LABELS[Rating(rating)]


def verdict_count_label(value: str) -> str:
    """The label of a verdict in counts of claims, where "none" is no verdict yet and
    "retracted" a verdict withdrawn."""
    if value == ClaimStatus.RETRACTED:
        return "Retracted"
    return rating_label(None if value == "none" else value)


STATUS_LABELS = {
    ClaimStatus.DRAFT: "Draft",
    ClaimStatus.IN_REVIEW: "In review",
    ClaimStatus.RETURNED: "Returned",
    ClaimStatus.PUBLISHED: "Published",
    ClaimStatus.RETRACTED: "Retracted",
}


def status_label(status: ClaimStatus | str) -> str:
    return STATUS_LABELS[ClaimStatus(status)]


QUALIFIER_WORDS = {
    "exact": "",
    "more_than": "more than ",
    "less_than": "less than ",
    "about": "about ",
}


def figure_value(figure: Any) -> str:
    """'more than 1,500', '15%', 'USD 2,000,000' — a figure's value as a reader says it."""
    qualifier = QUALIFIER_WORDS.get(getattr(figure.qualifier, "value", figure.qualifier), "")
    number = format_number(figure.value)
    kind = getattr(figure.kind, "value", figure.kind)
    if kind == "percent":
        number = f"{number}%"
    elif kind == "money" and figure.currency:
        number = f"{figure.currency} {number}"
    return f"{qualifier}{number}"


def url_with(**changes: Any) -> str:
    """This page's URL with some query arguments changed (None removes one): pagination."""
    # Any, not str: url_for's own keyword arguments (_external…) would otherwise be matched
    # against the query's str values.
    args: dict[str, Any] = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint or "public.home", **(request.view_args or {}), **args)


def pretty_json(value: Any) -> str:
    """VALUE as indented JSON for people to read (audit values): letters as they are, not
    as \\u escapes, and left to the template to escape as any text (tojson escapes for a
    <script>, which turned every Cyrillic letter and every '<' into an escape)."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)


def country_label(code: str | None) -> str:
    """A country's English name for people ("Ukraine" for UA); the code when it has none."""
    from tracker.services.countries import country_name

    if not code:
        return ""
    try:
        return country_name(code)
    except KeyError:
        return code


def fields_at_fault(form: Any) -> list[Any]:
    """The fields a form's error summary lists: those with errors, and lists of fields with
    an error in a row. A service adds an error to a row after validation (an unknown outlet),
    which the list's own errors, kept from validating, do not hold."""
    shown = []
    for field in form:
        if field.type in ("CSRFTokenField", "HiddenField"):
            continue
        rows = [getattr(entry, "form", [entry]) for entry in getattr(field, "entries", [])]
        if field.errors or any(sub.errors for row in rows for sub in row):
            shown.append(field)
    return shown


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        markdown=render_markdown,
        date=format_date,
        datetime=format_datetime,
        number=format_number,
        rating_label=rating_label,
        verdict_count_label=verdict_count_label,
        status_label=status_label,
        language_name=language_name,
        country_name=country_label,
        period=format_period,
        figure_value=figure_value,
        pretty_json=pretty_json,
        noun=noun,
        counted=counted,
        audit_action=audit_action,
    )
    # Globals, not context variables, so that macros imported without context have them.
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["fields_at_fault"] = fields_at_fault
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def globals_for_templates() -> dict[str, Any]:
        return {"Rating": Rating, "ClaimStatus": ClaimStatus}
