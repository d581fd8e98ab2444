"""Small forms for workflow steps, comments and cross-reference decisions."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Optional

from tracker.desk.forms.claims import RATING_CHOICES
from tracker.desk.forms.fields import DeskForm, MaxChars
from tracker.models.claim import RATIONALE_LIMIT
from tracker.services.comments import COMMENT_LIMIT


class WorkflowForm(DeskForm):
    action = HiddenField(validators=[DataRequired()])
    comment = TextAreaField(
        "Comment for the analyst", validators=[Optional(), MaxChars(RATIONALE_LIMIT)]
    )
    note = TextAreaField("Public note", validators=[Optional(), MaxChars(RATIONALE_LIMIT)])
    rating = SelectField("New verdict", choices=RATING_CHOICES, default="")
    rationale = TextAreaField("New rationale", validators=[Optional(), MaxChars(RATIONALE_LIMIT)])


class CommentForm(DeskForm):
    body = TextAreaField(
        "Add a comment (Markdown)",
        validators=[DataRequired(), MaxChars(COMMENT_LIMIT)],
        render_kw={"rows": 3},
    )


class AssignForm(DeskForm):
    assignee = SelectField("Assign to", coerce=str, validate_choice=False)


class EmptyForm(DeskForm):
    """For buttons that only POST (delete, restore, confirm, recapture): CSRF and nothing else."""

    next = StringField(validators=[Optional()])
