"""Narratives: recurring storylines that claims serve."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from tracker.audit import Actor, changed, record_event, values_of
from tracker.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from tracker.models import Narrative, Role, claim_narratives, utcnow
from tracker.services import validation
from tracker.services.indexing import reindex_claims

NARRATIVE_FIELDS = ["slug", "name", "description", "deleted_at"]


def slugify(name: str) -> str:
    """A URL slug for a narrative name; Cyrillic is spelt in Latin letters (a Ukrainian name
    got the slug "narrative-2")."""
    from tracker.search.translit import cyrillic_to_latin

    latin = cyrillic_to_latin(name)
    ascii_name = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return slug[:100] or "narrative"


def get_by_slug(session: Session, slug: str) -> Narrative:
    narrative = session.scalar(
        select(Narrative).where(Narrative.slug == slug, Narrative.deleted_at.is_(None))
    )
    if narrative is None:
        raise NotFound(f"There is no narrative “{slug}”.")
    return narrative


def _unique_slug(session: Session, base: str, exclude_id: int | None = None) -> str:
    slug, n = base, 2
    while True:
        query = select(Narrative.id).where(Narrative.slug == slug)
        if exclude_id:
            query = query.where(Narrative.id != exclude_id)
        if session.scalar(query) is None:
            return slug
        slug, n = f"{base}-{n}", n + 1


def _check(name: str, description: str | None) -> None:
    errors = {}
    if not name.strip():
        errors["name"] = ["Enter a name."]
    elif problem := validation.length_problem(name, 200, "The name"):
        errors["name"] = [problem]
    if problem := validation.length_problem(description, 5000, "The description"):
        errors["description"] = [problem]
    if errors:
        raise ValidationFailed(errors)


def create_narrative(
    session: Session,
    name: str,
    description: str | None = None,
    *,
    by: Actor,
    slug: str | None = None,
    reuse: bool = True,
) -> Narrative:
    """A new narrative, or the existing one of the same name (case-insensitive); with
    REUSE false (someone filling in the narrative form) an existing name is refused.

    SLUG is kept when given and free (an import restoring a dump keeps its links working);
    otherwise one is made from the name.
    """
    _check(name, description)
    existing = find_by_name(session, name)
    if existing is not None:
        if not reuse:
            raise ValidationFailed(
                {"name": [f"A narrative called “{existing.name}” already exists."]}
            )
        return existing
    base = slugify(slug) if slug else slugify(name)
    narrative = Narrative(
        slug=_unique_slug(session, base),
        name=name.strip(),
        description=(description or "").strip() or None,
    )
    session.add(narrative)
    session.flush()
    record_event(
        session,
        "create",
        "narrative",
        narrative.id,
        by=by,
        after=values_of(narrative, NARRATIVE_FIELDS),
    )
    return narrative


def find_by_name(session: Session, name: str) -> Narrative | None:
    """The narrative of this name, ignoring case and surrounding spaces."""
    return session.scalar(
        select(Narrative).where(func.lower(Narrative.name) == name.strip().lower()).limit(1)
    )


def update_narrative(
    session: Session, narrative: Narrative, name: str, description: str | None, *, by: Actor
) -> Narrative:
    _check(name, description)
    other = find_by_name(session, name)
    if other is not None and other.id != narrative.id:
        raise ValidationFailed({"name": [f"A narrative called “{other.name}” already exists."]})
    before = values_of(narrative, NARRATIVE_FIELDS)
    narrative.name = name.strip()
    narrative.description = (description or "").strip() or None
    session.flush()
    old, new = changed(before, values_of(narrative, NARRATIVE_FIELDS))
    record_event(session, "update", "narrative", narrative.id, by=by, before=old, after=new)
    return narrative


def merge_narratives(
    session: Session, source: Narrative, target: Narrative, *, by: Actor
) -> Narrative:
    """Move SOURCE's claims to TARGET and delete SOURCE (softly, audited): a narrative
    typed twice, or misspelt in the claim form, stayed in every form's list for good."""
    if by.user is None or not by.user.has_role(Role.EDITOR):
        raise PermissionDenied("Only editors can merge narratives.")
    if source.id == target.id:
        raise DomainError("Choose another narrative to merge this one into.")
    if target.deleted_at is not None:
        raise DomainError(f"“{target.name}” is deleted; pick a narrative in use.")
    claim_ids = set(
        session.scalars(
            select(claim_narratives.c.claim_id).where(claim_narratives.c.narrative_id == source.id)
        )
    )
    kept = set(
        session.scalars(
            select(claim_narratives.c.claim_id).where(
                claim_narratives.c.narrative_id == target.id,
                claim_narratives.c.claim_id.in_(claim_ids),
            )
        )
    )
    session.execute(delete(claim_narratives).where(claim_narratives.c.narrative_id == source.id))
    moving = sorted(claim_ids - kept)
    if moving:
        session.execute(
            insert(claim_narratives),
            [{"claim_id": claim_id, "narrative_id": target.id} for claim_id in moving],
        )
    before = values_of(source, NARRATIVE_FIELDS)
    source.deleted_at = utcnow()
    source.merged_into_id = target.id
    session.flush()
    session.expire_all()  # the claims' narrative lists changed underneath the session
    record_event(
        session,
        "merge",
        "narrative",
        source.id,
        by=by,
        before=before,
        after={"merged_into_id": target.id, "claims_moved": len(moving)},
        detail=f"merged '{before['name']}' into '{target.name}'",
    )
    reindex_claims(session, sorted(claim_ids))
    return target
