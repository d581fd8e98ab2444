"""The claim form: the claim, its appearances, tags, verdict and manual links."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    FormField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional

from tracker.desk.forms.fields import (
    CheckboxList,
    DeskForm,
    DeskSubForm,
    LimitedFieldList,
    MaxChars,
    PlausibleDate,
    WebAddress,
    options,
    strip,
    web_address,
)
from tracker.models import Rating
from tracker.models.appearance import PLATFORMS
from tracker.models.claim import RATIONALE_LIMIT, SUMMARY_LIMIT, TEXT_LIMIT
from tracker.services.appearances import APPEARANCE_LIMIT
from tracker.wording import LANGUAGE_NAMES

LANGUAGE_CHOICES = options(
    [
        ("", "Detect automatically"),
        *sorted(
            ((code, name) for code, name in LANGUAGE_NAMES.items() if code != "und"),
            key=lambda pair: pair[1],
        ),
    ]
)
RATING_CHOICES = options([("", "No verdict yet")] + [(r.value, r.label) for r in Rating])
PLATFORM_CHOICES = options(PLATFORMS.items())


class AppearanceForm(DeskSubForm):
    """One place where the claim appeared (a sub-form, so it has no CSRF token of its own)."""

    url = StringField("Link", validators=[Optional(), WebAddress()], filters=[web_address])
    appeared_on = DateField("Date", validators=[Optional(), PlausibleDate()])
    outlet = StringField(
        "Outlet",
        validators=[Optional(), MaxChars(200)],
        filters=[strip],
        render_kw={"autocomplete": "off", "list": "outlet-options"},
    )
    create_outlet = BooleanField("Create this outlet if it is new")
    platform = SelectField("Platform", choices=PLATFORM_CHOICES, default="web")
    snapshot_id = HiddenField()


class ClaimForm(DeskForm):
    text = TextAreaField(
        "The claim, as it was made",
        validators=[DataRequired(), MaxChars(TEXT_LIMIT)],
        render_kw={"rows": 4},
    )
    language = SelectField("Language", choices=LANGUAGE_CHOICES, default="")
    summary_en = TextAreaField(
        "English summary",
        validators=[Optional(), MaxChars(SUMMARY_LIMIT)],
        render_kw={"rows": 2},
    )
    appearances = LimitedFieldList(
        FormField(AppearanceForm), "Link", min_entries=1, limit=APPEARANCE_LIMIT
    )
    narratives = CheckboxList("Narratives", coerce=int, validate_choice=True)
    new_narratives = StringField(
        "New narratives",
        validators=[Optional(), MaxChars(1000)],
        description="Names separated by semicolons; they are created when you save.",
    )
    country_codes = SelectMultipleField(
        "Countries concerned",
        validate_choice=True,
        render_kw={"size": 8},
        description="Hold Ctrl (or Cmd) to choose several.",
    )
    rating = SelectField("Proposed verdict", choices=RATING_CHOICES, default="")
    rationale = TextAreaField(
        "Rationale (Markdown)",
        validators=[Optional(), MaxChars(RATIONALE_LIMIT)],
        render_kw={"rows": 6},
    )
    article_refs = StringField(
        "Debunk articles",
        validators=[Optional(), MaxChars(2000)],
        description="Article numbers or URLs, separated by spaces or commas.",
    )
    figure_refs = StringField(
        "Figures",
        validators=[Optional(), MaxChars(2000)],
        description="Figure numbers, separated by spaces or commas.",
    )
    public_note = TextAreaField(
        "Public note on the correction",
        validators=[Optional(), MaxChars(RATIONALE_LIMIT)],
        render_kw={"rows": 3},
        description="Needed when the wording of a published claim changes: readers see it "
        "as a dated correction.",
    )
    version = HiddenField()
    # The links the claim had when the form was opened: after a conflict, links saved by
    # someone else since are put back into the form, links removed here stay removed.
    known_links = HiddenField()

    save = SubmitField("Save draft")
    submit_review = SubmitField("Save and submit for review")
    save_anyway = SubmitField("Save as a new claim anyway")
    add_link = SubmitField("Add another link")
    fetch_links = SubmitField("Fetch link details")


class AddLinksForm(DeskForm):
    """The links typed for a new claim, added to an existing one instead (duplicates panel)."""

    appearances = LimitedFieldList(
        FormField(AppearanceForm), "Link", min_entries=1, limit=APPEARANCE_LIMIT
    )
    save = SubmitField("Add these links")
