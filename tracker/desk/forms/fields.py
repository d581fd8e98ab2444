"""Validators and field helpers shared by the desk forms."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_wtf import FlaskForm
from wtforms import Field, FieldList, Form, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from tracker.interop.urls import completed_url
from tracker.services.validation import date_problem, length_problem, url_problem
from tracker.text import without_controls


class _ControlFreeMeta:
    """Text fields drop control characters (NUL, backspace, ...) as they are read.

    They are invisible in the page and never meant; PostgreSQL cannot store a NUL, so a
    stray one (pasted from a PDF, say) made the whole save fail, and XML allows none of
    them, so one in a published claim broke the Atom feed.
    """

    def bind_field(self, form: Form, unbound_field, options):
        if issubclass(unbound_field.field_class, StringField):
            filters = [without_controls, *unbound_field.kwargs.get("filters", ())]
            return unbound_field.bind(form=form, filters=filters, **options)
        # A mixin: the next Meta in the form's MRO (WTForms' DefaultMeta) has bind_field.
        return super().bind_field(form, unbound_field, options)  # type: ignore[misc]


class DeskForm(FlaskForm):
    """The base of the desk's forms (with CSRF)."""

    class Meta(_ControlFreeMeta):
        pass


class DeskSubForm(Form):
    """The base of rows inside a desk form (appearances, parts): no CSRF of their own."""

    class Meta(_ControlFreeMeta):
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


class PlausibleDate:
    """Not in the future, nor before 1900 unless HISTORICAL (see `date_problem`)."""

    def __init__(self, *, historical: bool = False) -> None:
        self.historical = historical

    def __call__(self, form: Form, field: Field) -> None:
        if isinstance(field.data, date):
            problem = date_problem(field.data, historical=self.historical)
            if problem:
                raise ValidationError(problem)


class WebAddress:
    def __call__(self, form: Form, field: Field) -> None:
        if field.data:
            problem = url_problem(field.data.strip())
            if problem:
                raise ValidationError(problem)


class LimitedFieldList(FieldList):
    """Rows of a sub-form (links, parts), refused with a message beyond `limit` rows.

    WTForms' own `max_entries` drops the rows past it without a word; here every row sent
    is kept (up to a hard cap that bounds the work) so that the form can show them all
    again, and validation fails with the reason.
    """

    def __init__(self, unbound_field, label=None, validators=None, *, limit: int, **kwargs):
        super().__init__(unbound_field, label, validators, max_entries=limit * 4, **kwargs)
        self.limit = limit
        self.sent = 0

    def _extract_indices(self, prefix, formdata):
        # WTForms reads any Unicode digit here ("²"), then fails converting it.
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                index = key[offset:].split(self._field_separator, 1)[0]
                if index.isascii() and index.isdecimal():
                    yield int(index)

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.sent = len(set(self._extract_indices(self.name, formdata))) if formdata else 0
        super().process(formdata, data, extra_filters)

    @property
    def full(self) -> bool:
        """Whether another row may be added."""
        return len(self.entries) >= self.limit

    def validate(self, form, extra_validators=()):
        valid = super().validate(form, extra_validators)
        if self.sent > self.limit:
            self.errors.append(
                f"{self.sent:,} rows were sent; at most {self.limit:,} can be saved at once. "
                "Nothing was saved: remove some rows, or add the others after saving."
            )
            return False
        return valid

    @property
    def messages(self) -> list[str]:
        """The list's own messages (not its rows'), to show above the rows."""
        return [error for error in self.errors if isinstance(error, str)]


class CheckboxList(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes (usable without JavaScript)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def options(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """Choices for a select field from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def has_option(field: Field, value: object) -> bool:
    return any(choice.value == value for choice in field.choices)


def split_list(text: str | None) -> list[str]:
    """'12, 15 https://x.example/a' -> ['12', '15', 'https://x.example/a']."""
    if not text:
        return []
    return [part for part in text.replace(",", " ").split() if part]


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def web_address(value: str | None) -> str | None:
    """A link as typed or pasted, with https:// put before a bare address (`completed_url`):
    the form refused "t.me/channel/5"."""
    return completed_url(value) if isinstance(value, str) else value
