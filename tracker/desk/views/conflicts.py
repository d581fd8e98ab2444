"""The conflict page: what someone else saved beside what you typed, field by field.

Both sides are shown the same way (names, not ids; dates as dates), so that a difference in
the table is a difference in the record.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from flask_wtf import FlaskForm
from sqlalchemy import select

from tracker.desk.forms.claims import ClaimForm
from tracker.desk.forms.fields import split_list
from tracker.extensions import db
from tracker.models import AuditEvent, Claim, ClaimArticleLink, ClaimFigureLink
from tracker.services.links import confirmed_target_ids
from tracker.wording import LANGUAGE_NAMES


@dataclass
class Row:
    label: str
    theirs: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.yours


@dataclass
class Conflict:
    """What the conflict panel shows above the form (which still holds what you typed)."""

    message: str
    theirs_by: str
    rows: list[Row]
    kept: list[str] = field(default_factory=list)  # links of theirs put into your form


def shown(value: Any) -> str:
    """One value as both columns show it."""
    if value is None or value == "":
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | float | int):
        return f"{float(value):g}"
    if isinstance(value, list | tuple):
        return ", ".join(shown(item) for item in value)
    return str(value).strip()


def _language(code: str | None) -> str:
    return LANGUAGE_NAMES.get(code or "", code or "") if code else "(detect automatically)"


def _choice_labels(choices: Iterable[Any], chosen: Iterable[Any]) -> list[str]:
    wanted = {str(value) for value in chosen or []}
    return [choice.label for choice in choices if str(choice.value) in wanted]


def claim_conflict(message: str, claim: Claim, form: ClaimForm) -> Conflict:
    """Compare the claim as saved now with the edit form, then put the links someone else
    added since the form was opened into the form, so that saving it keeps them."""
    new_narratives = [n.strip() for n in (form.new_narratives.data or "").split(";") if n.strip()]
    yours_links = [row.url.data.strip() for row in _rows(form) if (row.url.data or "").strip()]
    rows = [
        Row("Claim", claim.text, shown(form.text.data)),
        Row("Language", _language(claim.language), _language(form.language.data)),
        Row("Summary", shown(claim.summary_en), shown(form.summary_en.data)),
        Row("Verdict", shown(claim.rating), shown(form.rating.data)),
        Row("Rationale", shown(claim.rationale), shown(form.rationale.data)),
        Row("Links", shown([a.url for a in claim.appearances]), shown(yours_links)),
        Row(
            "Narratives",
            shown([n.name for n in claim.narratives]),
            shown(
                _choice_labels(form.narratives.choices, form.narratives.data)
                + [f"{name} (new)" for name in new_narratives]
            ),
        ),
        Row(
            "Countries",
            # Both sides named from the form's list: the stored names ("Russian Federation")
            # are not the list's labels ("Russia"), and a same country showed as a change.
            shown(_choice_labels(form.country_codes.choices, [c.code for c in claim.countries])),
            shown(_choice_labels(form.country_codes.choices, form.country_codes.data)),
        ),
        Row(
            "Debunk articles",
            shown(confirmed_target_ids(db.session, ClaimArticleLink, "article_id", claim.id)),
            shown(split_list(form.article_refs.data)),
        ),
        Row(
            "Figures",
            shown(confirmed_target_ids(db.session, ClaimFigureLink, "figure_id", claim.id)),
            shown(split_list(form.figure_refs.data)),
        ),
    ]
    theirs_by = claim.updated_by.name if claim.updated_by else "someone"
    conflict = Conflict(message, theirs_by, rows)
    conflict.kept = keep_their_links(form, claim, yours_links)
    return conflict


def _rows(form: ClaimForm) -> list[Any]:
    return [entry.form for entry in form.appearances.entries]


def keep_their_links(form: ClaimForm, claim: Claim, yours: list[str]) -> list[str]:
    """Add to the form the links saved since it was opened (not those you removed)."""
    known = set((form.known_links.data or "").split())  # URLs have no spaces
    added = []
    for appearance in claim.appearances:
        if appearance.url in yours or appearance.url in known or form.appearances.full:
            continue
        form.appearances.append_entry(
            {
                "url": appearance.url,
                "appeared_on": appearance.appeared_on,
                "outlet": appearance.outlet.name if appearance.outlet else "",
                "platform": appearance.platform or "web",
                "snapshot_id": str(appearance.snapshot_id or ""),
            }
        )
        added.append(appearance.url)
    # From now on the form has seen every link saved so far.
    form.known_links.data = " ".join(a.url for a in claim.appearances)
    return added


def _last_editor(entity_type: str, entity_id: int) -> str:
    event = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return event.actor.name if event is not None and event.actor is not None else "someone"


def record_conflict(
    message: str,
    entity_type: str,
    record: Any,
    form: FlaskForm,
    names: list[str],
    extra: Iterable[Row] = (),
) -> Conflict:
    """Compare a record's saved fields with the form's (articles, figures, outlets)."""
    rows = [
        Row(form[name].label.text, shown(getattr(record, name)), shown(form[name].data))
        for name in names
    ]
    rows.extend(extra)
    return Conflict(message, _last_editor(entity_type, record.id), rows)
