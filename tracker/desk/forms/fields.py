"""Validators and field helpers shared by the desk forms."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from wtforms import Field, Form, SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from tracker.services.validation import future_date_problem, length_problem, url_problem


class MaxChars:
    """Refuse text over the limit with a message, without a `maxlength` attribute.

    Browsers silently cut pasted text at `maxlength`; we would rather say it is too long
    and keep every character the user typed.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, form: Form, field: Field) -> None:
        problem = length_problem(field.data, self.limit, "This text")
        if problem:
            raise ValidationError(problem)


class NotInFuture:
    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, date):
            problem = future_date_problem(field.data)
            if problem:
                raise ValidationError(problem)


class WebAddress:
    def __call__(self, form: Form, field: Field) -> None:
        if field.data:
            problem = url_problem(field.data.strip())
            if problem:
                raise ValidationError(problem)


class CheckboxList(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (usable without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def options(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """Choices for a select field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]  # type: ignore[arg-type]


def has_option(field: Field, value: object) -> bool:
    return any(choice.value == value for choice in field.choices)  # type: ignore[attr-defined]


def split_list(text: str | None) -> list[str]:
    """'12, 15 https://x.example/a' -> ['12', '15', 'https://x.example/a']."""
    if not text:
        return []
    return [part for part in text.replace(",", " ").split() if part]


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value
