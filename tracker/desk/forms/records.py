"""Forms for debunk articles, figures, outlets and narratives."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from tracker.desk.forms.claims import LANGUAGE_CHOICES, RATING_CHOICES
from tracker.desk.forms.fields import (
    DeskForm,
    DeskSubForm,
    LimitedFieldList,
    MaxChars,
    PlausibleDate,
    WebAddress,
    options,
    web_address,
)
from tracker.models import FigureKind, FigureQualifier, OutletKind
from tracker.services.countries import resolve_country
from tracker.services.validation import MAX_ROW_ID

NO_SUCH_ARTICLE = "There is no debunk article with this number."
QUALIFIER_LABELS = {
    FigureQualifier.EXACT: "exactly",
    FigureQualifier.MORE_THAN: "more than",
    FigureQualifier.LESS_THAN: "less than",
    FigureQualifier.ABOUT: "about",
}
KIND_LABELS = {
    FigureKind.COUNT: "a count",
    FigureKind.PERCENT: "a percentage",
    FigureKind.MONEY: "money",
}


class ArticleForm(DeskForm):
    url = StringField(
        "Link to the article", validators=[Optional(), WebAddress()], filters=[web_address]
    )
    title = StringField("Title", validators=[DataRequired(), MaxChars(1000)])
    publisher = StringField("Publisher", validators=[Optional(), MaxChars(255)])
    author = StringField("Author", validators=[Optional(), MaxChars(255)])
    published_on = DateField("Published on", validators=[Optional(), PlausibleDate()])
    language = SelectField("Language", choices=LANGUAGE_CHOICES, default="")
    claim_statement = TextAreaField(
        "The claim it refutes",
        validators=[Optional(), MaxChars(2000)],
        description="One short sentence: what the article shows to be wrong.",
        render_kw={"rows": 2},
    )
    text = TextAreaField("Text", validators=[Optional(), MaxChars(200_000)], render_kw={"rows": 8})
    is_ours = BooleanField("We published this article")
    rating = SelectField("Rating on our scale", choices=RATING_CHOICES, default="")
    rating_text = StringField("Their rating, as written", validators=[Optional(), MaxChars(500)])
    create_claim = BooleanField("Also create a draft claim from the ClaimReview in the page")
    snapshot_id = HiddenField()
    version = HiddenField()
    fetch = SubmitField("Fetch details from the link")
    save = SubmitField("Save article")


class PartForm(DeskSubForm):
    label = StringField("Part", validators=[Optional(), MaxChars(255)])
    value = DecimalField("Value", validators=[Optional(), NumberRange(min=0)])


class FigureForm(DeskForm):
    subject = TextAreaField(
        "What is counted", validators=[DataRequired(), MaxChars(2000)], render_kw={"rows": 2}
    )
    qualifier = SelectField(
        "Qualifier",
        choices=options((q.value, label) for q, label in QUALIFIER_LABELS.items()),
        default="exact",
    )
    # InputRequired, not DataRequired: 0 is a value, and "abc" gets its own message.
    value = DecimalField("Value", validators=[InputRequired("Enter the value.")])
    lower_bound = DecimalField("Lower bound", validators=[Optional()])
    upper_bound = DecimalField("Upper bound", validators=[Optional()])
    kind = SelectField(
        "Kind",
        choices=options((k.value, label) for k, label in KIND_LABELS.items()),
        default="count",
    )
    unit = StringField(
        "Unit",
        validators=[Optional(), MaxChars(50)],
        description="For counts: people, soldiers, shells…",
    )
    currency = StringField(
        "Currency",
        validators=[Optional(), MaxChars(3)],
        description="For money: USD, EUR, RUB, UAH…",
    )
    period_start = DateField("Period from", validators=[Optional(), PlausibleDate(historical=True)])
    period_end = DateField("Period to", validators=[Optional(), PlausibleDate(historical=True)])
    place = StringField("Place", validators=[Optional(), MaxChars(255)])
    publisher = StringField(
        "Published by",
        validators=[Optional(), MaxChars(255)],
        description="e.g. UK Ministry of Defence",
    )
    cited_source = StringField(
        "Citing",
        validators=[Optional(), MaxChars(255)],
        description="Whom the publisher cites, e.g. iStories",
    )
    source_url = StringField(
        "Source link", validators=[Optional(), WebAddress()], filters=[web_address]
    )
    published_on = DateField("Published on", validators=[Optional(), PlausibleDate()])
    article_id = IntegerField(
        "Debunk article number",
        validators=[
            Optional(),
            NumberRange(
                min=1, max=MAX_ROW_ID, message="There is no debunk article with this number."
            ),
        ],
    )
    quote = TextAreaField("Quote", validators=[Optional(), MaxChars(5000)], render_kw={"rows": 3})
    parts = LimitedFieldList(FormField(PartForm), "Part", min_entries=3, limit=100)
    version = HiddenField()
    add_part = SubmitField("Add another part")
    save = SubmitField("Save figure")


class OutletForm(DeskForm):
    name = StringField("Name", validators=[DataRequired(), MaxChars(200)])
    kind = SelectField(
        "Kind",
        choices=options((kind.value, kind.label) for kind in OutletKind),
        default="other",
    )
    country = StringField(
        "Country",
        validators=[Optional(), MaxChars(100)],
        # A name is taken as its code, as the public filters take it ("Narnia" was cut to
        # two letters' worth of error: "the limit is 2").
        filters=[lambda v: (resolve_country(v) or v.strip()) if v and v.strip() else v],
        description="Its name (Ukraine) or two-letter code (UA).",
    )
    state_affiliated = BooleanField("State-affiliated")
    handles = TextAreaField(
        "Domains and handles",
        validators=[Optional(), MaxChars(5000)],
        description="One per line: rt.com, t.me/channel, x.com/account…",
        render_kw={"rows": 3},
    )
    description = TextAreaField(
        "Description", validators=[Optional(), MaxChars(5000)], render_kw={"rows": 3}
    )
    version = HiddenField()
    save = SubmitField("Save outlet")


class MergeForm(DeskForm):
    target = StringField(
        "Merge into (name or domain of the outlet that stays)",
        validators=[DataRequired(), MaxChars(255)],
    )
    save = SubmitField("Merge")


class NarrativeMergeForm(DeskForm):
    target = SelectField("Merge into", choices=[], validators=[DataRequired()])
    merge = SubmitField("Merge")


class NarrativeForm(DeskForm):
    name = StringField("Name", validators=[DataRequired(), MaxChars(200)])
    description = TextAreaField(
        "Description", validators=[Optional(), MaxChars(5000)], render_kw={"rows": 3}
    )
    save = SubmitField("Save narrative")
