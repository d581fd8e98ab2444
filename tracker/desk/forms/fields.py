"""Validators and field helpers shared by the desk forms."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_wtf import FlaskForm
from wtforms import Field, Form, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from tracker.services.validation import (
    future_date_problem,
    length_problem,
    url_problem,
    without_nul,
)


class _NulFreeMeta:
    """Text fields drop NUL characters as they are read.

    A NUL is invisible in the page, never meant, and PostgreSQL cannot store it; without
    this a stray one (pasted from a PDF, say) made the whole save fail.
    """

    def bind_field(self, form: Form, unbound_field, options):  # type: ignore[no-untyped-def]
        if issubclass(unbound_field.field_class, StringField):
            filters = [without_nul, *unbound_field.kwargs.get("filters", ())]
            return unbound_field.bind(form=form, filters=filters, **options)
        return super().bind_field(form, unbound_field, options)  # type: ignore[misc]


class DeskForm(FlaskForm):
    """The base of the desk's forms (with CSRF)."""

    class Meta(_NulFreeMeta):
        pass


class DeskSubForm(Form):
    """The base of rows inside a desk form (appearances, parts): no CSRF of their own."""

    class Meta(_NulFreeMeta):
        pass


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
