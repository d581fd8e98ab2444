"""The desk home and the review queue."""

from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import selectinload

from tracker.desk import bp
from tracker.desk.listing import page_number
from tracker.extensions import db
from tracker.interop.languages import typed_language
from tracker.models import (
    Appearance,
    Claim,
    ClaimStatus,
    Comment,
    Narrative,
    Outlet,
    Role,
    User,
    claim_narratives,
)
from tracker.services.permissions import PRIVATE_STATES, is_editor
from tracker.services.validation import row_id, without_nul

PAGE_SIZE = 25


def visible_claims(*, deleted: bool = False) -> Select:
    """Claims the signed-in user may see in the desk (others' drafts stay private); with
    `deleted`, the deleted ones instead (editors' list: they restore them)."""
    query = select(Claim).where(
        Claim.deleted_at.is_not(None) if deleted else Claim.deleted_at.is_(None)
    )
    if not is_editor(current_user):
        query = query.where(
            or_(Claim.status.not_in(PRIVATE_STATES), Claim.created_by_id == current_user.id)
        )
    return query


def apply_filters(query: Select, args) -> tuple[Select, dict[str, str]]:
    """Filters from the query string; invalid values are ignored and reported."""
    notices = {}
    status = args.get("status", "")
    if status:
        if status in {s.value for s in ClaimStatus}:
            query = query.where(Claim.status == status)
        else:
            notices["status"] = f"Unknown status “{without_nul(status)}” ignored."
    typed = without_nul(args.get("language", "")).strip()[:50]
    if typed:
        # A code ("ru"), or a name as imports take it ("Russian", "русский").
        code = typed_language(typed)
        if code:
            query = query.where(Claim.language == code)
        else:
            notices["language"] = (
                f"Unknown language “{typed}” ignored; type a code such as ru or a name such "
                "as Russian."
            )

    def record(name: str, label: str) -> int | None:
        raw = args.get(name, "")
        found = row_id(raw)
        if raw and found is None:
            shown = without_nul(raw)[:50]
            notices[name] = f"There is no {label} “{shown}”; that filter was ignored."
        return found

    outlet = record("outlet", "outlet")
    if outlet is not None:
        query = query.where(Claim.appearances.any(Appearance.outlet_id == outlet))
    narrative = record("narrative", "narrative")
    if narrative is not None:
        query = query.where(
            Claim.id.in_(
                select(claim_narratives.c.claim_id).where(
                    claim_narratives.c.narrative_id == narrative
                )
            )
        )
    elif narrative:
        notices["narrative"] = f"Unknown narrative “{narrative[:50]}” ignored."
    assignee = args.get("assignee", "")
    if assignee == "me":
        query = query.where(Claim.assignee_id == current_user.id)
    elif assignee == "none":
        query = query.where(Claim.assignee_id.is_(None))
    elif (assignee_id := record("assignee", "person")) is not None:
        query = query.where(Claim.assignee_id == assignee_id)
    mine = args.get("mine", "")
    if mine:
        query = query.where(Claim.created_by_id == current_user.id)
    return query, notices


def _outlets() -> list[Outlet]:
    return list(
        db.session.scalars(
            select(Outlet).where(Outlet.deleted_at.is_(None)).order_by(Outlet.name).limit(500)
        )
    )


def _narratives() -> list[Narrative]:
    return list(
        db.session.scalars(
            select(Narrative).where(Narrative.deleted_at.is_(None)).order_by(Narrative.name)
        )
    )


@bp.get("/")
def home() -> str:
    me = current_user.id
    counts_query = (
        visible_claims()
        .with_only_columns(Claim.status, func.count())
        .group_by(Claim.status)
        .order_by(None)
    )
    counts = {s: 0 for s in ClaimStatus} | dict(db.session.execute(counts_query).all())
    drafts = db.session.scalars(
        visible_claims()
        .where(Claim.created_by_id == me, Claim.status == ClaimStatus.DRAFT)
        .order_by(Claim.updated_at.desc())
        .limit(10)
    ).all()
    returned = db.session.scalars(
        visible_claims()
        .where(Claim.created_by_id == me, Claim.status == ClaimStatus.RETURNED)
        .order_by(Claim.updated_at.desc())
        .limit(10)
    ).all()
    return_comments = {}
    if returned:
        for comment in db.session.scalars(
            select(Comment)
            .where(
                Comment.claim_id.in_([c.id for c in returned]),
                Comment.workflow_action == "returned",
            )
            .order_by(Comment.created_at)
        ):
            return_comments[comment.claim_id] = comment
    published = db.session.scalars(
        visible_claims()
        .where(Claim.status == ClaimStatus.PUBLISHED)
        .order_by(Claim.published_at.desc())
        .limit(10)
    ).all()

    editor = is_editor(current_user)
    show_deleted = request.args.get("deleted", "") == "1"
    query, notices = apply_filters(visible_claims(deleted=show_deleted and editor), request.args)
    if show_deleted and not editor:
        notices["deleted"] = "Only editors see deleted claims; showing the others."
        show_deleted = False
    text = without_nul(request.args.get("q", "")).strip()[:500]
    if text:
        from tracker.desk.views.search import restrict_to_text

        query = restrict_to_text(query, text)
    page = page_number()
    newest_first = (Claim.deleted_at.desc(),) if show_deleted else (Claim.updated_at.desc(),)
    deleted_count = (
        db.session.scalar(select(func.count()).select_from(visible_claims(deleted=True).subquery()))
        if editor
        else None
    )
    results = db.session.scalars(
        query.options(selectinload(Claim.appearances))
        .order_by(*newest_first, Claim.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    return render_template(
        "desk/home.html",
        counts=counts,
        drafts=drafts,
        returned=returned,
        return_comments=return_comments,
        published=published,
        results=results[:PAGE_SIZE],
        has_more=len(results) > PAGE_SIZE,
        page=page,
        notices=notices,
        outlets=_outlets(),
        narratives=_narratives(),
        filtering=bool(request.args),
        statuses=list(ClaimStatus),
        show_deleted=show_deleted,
        deleted_count=deleted_count,
    )


@bp.get("/review")
def review() -> str:
    """Claims waiting for review, oldest first, with filters and assignment."""
    base = select(Claim).where(Claim.deleted_at.is_(None), Claim.status == ClaimStatus.IN_REVIEW)
    query, notices = apply_filters(base, request.args)
    total = db.session.scalar(select(func.count()).select_from(base.subquery()))
    shown = db.session.scalar(select(func.count()).select_from(query.subquery()))
    mine = db.session.scalar(
        select(func.count()).select_from(
            base.where(Claim.assignee_id == current_user.id).subquery()
        )
    )
    unassigned = db.session.scalar(
        select(func.count()).select_from(base.where(Claim.assignee_id.is_(None)).subquery())
    )
    page = page_number()
    claims = db.session.scalars(
        query.options(selectinload(Claim.appearances), selectinload(Claim.narratives))
        .order_by(Claim.submitted_at.asc().nulls_last(), Claim.id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    editors = db.session.scalars(
        select(User)
        .where(User.active, User.role.in_([Role.EDITOR, Role.ADMIN]))
        .order_by(User.name)
    ).all()
    narratives = _narratives()
    return render_template(
        "desk/review.html",
        claims=claims[:PAGE_SIZE],
        has_more=len(claims) > PAGE_SIZE,
        page=page,
        total=total,
        shown=shown,
        mine=mine,
        unassigned=unassigned,
        notices=notices,
        outlets=_outlets(),
        editors=editors,
        narratives=narratives,
        today=date.today(),
        and_=and_,
    )
