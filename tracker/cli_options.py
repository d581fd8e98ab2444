"""Checks of command-line option values, with the rules the forms and the API apply."""

from __future__ import annotations

import click

from tracker.services.validation import url_problem
from tracker.wording import LANGUAGE_NAMES


def site_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A `--site-url`: an http(s) address (claim pages' URLs are made from it)."""
    problem = url_problem(value) if value is not None else None
    if problem:
        raise click.BadParameter(problem)
    return value


def language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A `--lang`: one of the languages the desk and the API take (ISO 639-1)."""
    if value is not None and value not in LANGUAGE_NAMES:
        known = ", ".join(sorted(LANGUAGE_NAMES))
        raise click.BadParameter(f"{value!r} is not a language we record; use one of {known}")
    return value
