"""The editorial workflow: every (state, action, role) combination, and what each step records."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from tests.factories import make_claim, make_user
from tracker.audit import Actor, json_value
from tracker.errors import InvalidTransition, PermissionDenied, ValidationFailed
from tracker.models import AuditEvent, ClaimStatus, Comment, Rating, Role, Verdict, VerdictEvent
from tracker.services import workflow
from tracker.services.workflow import Action

# Who acts, relative to the claim: its author or someone else, with a role.
ACTORS = {
    "analyst-author": (Role.ANALYST, True),
    "analyst-other": (Role.ANALYST, False),
    "editor-author": (Role.EDITOR, True),
    "editor-other": (Role.EDITOR, False),
    "admin-other": (Role.ADMIN, False),
}
TARGETS = {
    Action.SUBMIT: ClaimStatus.IN_REVIEW,
    Action.RETURN: ClaimStatus.RETURNED,
    Action.PUBLISH: ClaimStatus.PUBLISHED,
    Action.RETRACT: ClaimStatus.RETRACTED,
    Action.UPDATE_VERDICT: ClaimStatus.PUBLISHED,
}


def expected_allowed(state: ClaimStatus, action: Action, actor: str) -> bool:
    """The workflow of DESIGN.md and issue 4, written independently of the service."""
    role, is_author = ACTORS[actor]
    editor = role in (Role.EDITOR, Role.ADMIN)
    if action == Action.SUBMIT:
        return state in (ClaimStatus.DRAFT, ClaimStatus.RETURNED) and is_author
    if action == Action.RETURN:
        return state == ClaimStatus.IN_REVIEW and editor
    if action == Action.PUBLISH:  # four eyes: never one's own claim while others can publish
        return state == ClaimStatus.IN_REVIEW and editor and not is_author
    return state == ClaimStatus.PUBLISHED and editor  # retract, update_verdict


def arguments(action: Action) -> dict:
    return {
        Action.RETURN: {"comment": "Please add a source."},
        Action.RETRACT: {"note": "We got the video wrong."},
        Action.UPDATE_VERDICT: {
            "rating": Rating.MISLEADING,
            "rationale": "New evidence.",
            "note": "Updated.",
        },
    }.get(action, {})


@pytest.mark.parametrize(
    ("state", "action", "actor"),
    list(itertools.product(ClaimStatus, Action, ACTORS)),
    ids=lambda v: getattr(v, "value", v),
)
def test_every_state_action_and_role(db, state, action, actor):
    role, is_author = ACTORS[actor]
    author = make_user(db, role if is_author else Role.ANALYST)
    someone_else = make_user(db, Role.EDITOR)  # a second editor always exists here
    user = author if is_author else make_user(db, role)
    claim = make_claim(db, status=state, rating=Rating.FALSE, rationale="Because.", author=author)
    del someone_else

    if expected_allowed(state, action, actor):
        workflow.apply(db, claim, action, by=Actor(user), **arguments(action))
        assert claim.status == TARGETS[action]
    else:
        before = (claim.status, claim.rating, claim.version)
        with pytest.raises((PermissionDenied, InvalidTransition)):
            workflow.apply(db, claim, action, by=Actor(user), **arguments(action))
        assert (claim.status, claim.rating, claim.version) == before
        assert db.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_the_only_editor_may_publish_their_own_claim(db):
    editor = make_user(db, Role.EDITOR)
    claim = make_claim(
        db, status=ClaimStatus.IN_REVIEW, rating=Rating.FALSE, rationale="Because.", author=editor
    )
    workflow.apply(db, claim, Action.PUBLISH, by=Actor(editor))
    assert claim.status == ClaimStatus.PUBLISHED


def test_four_eyes_can_be_switched_off(db):
    editor = make_user(db, Role.EDITOR)
    make_user(db, Role.EDITOR)
    claim = make_claim(
        db, status=ClaimStatus.IN_REVIEW, rating=Rating.FALSE, rationale="Because.", author=editor
    )
    workflow.apply(db, claim, Action.PUBLISH, by=Actor(editor), four_eyes=False)
    assert claim.status == ClaimStatus.PUBLISHED


def test_returning_needs_a_comment(db):
    claim = make_claim(db, status=ClaimStatus.IN_REVIEW)
    with pytest.raises(ValidationFailed, match="Say what the analyst should change"):
        workflow.apply(db, claim, Action.RETURN, by=Actor(make_user(db, Role.EDITOR)), comment="  ")
    assert claim.status == ClaimStatus.IN_REVIEW


def test_retracting_needs_a_correction_note(db):
    claim = make_claim(db, status=ClaimStatus.PUBLISHED, rating=Rating.FALSE)
    with pytest.raises(ValidationFailed, match="correction note"):
        workflow.apply(db, claim, Action.RETRACT, by=Actor(make_user(db, Role.EDITOR)))
    assert claim.status == ClaimStatus.PUBLISHED


def test_publishing_needs_a_verdict_and_rationale(db):
    # Not possible yet (a 409 in the API), not forbidden to this editor (a 403).
    claim = make_claim(db, status=ClaimStatus.IN_REVIEW, rating=None)
    with pytest.raises(InvalidTransition, match="needs a verdict and a rationale"):
        workflow.apply(db, claim, Action.PUBLISH, by=Actor(make_user(db, Role.EDITOR)))


def test_return_keeps_the_comment_for_the_analyst(db):
    editor = make_user(db, Role.EDITOR)
    claim = make_claim(db, status=ClaimStatus.IN_REVIEW)
    workflow.apply(db, claim, Action.RETURN, by=Actor(editor), comment="Add the first link.")
    comment = db.scalar(select(Comment).where(Comment.claim_id == claim.id))
    assert (comment.body, comment.workflow_action, comment.author_id) == (
        "Add the first link.",
        "returned",
        editor.id,
    )


def test_each_step_writes_its_audit_event_with_before_and_after(db):
    analyst, editor = make_user(db, Role.ANALYST), make_user(db, Role.EDITOR)
    claim = make_claim(db, rating=Rating.FALSE, rationale="Because.", author=analyst)
    workflow.apply(db, claim, Action.SUBMIT, by=Actor(analyst, "192.0.2.1"))
    workflow.apply(db, claim, Action.PUBLISH, by=Actor(editor, "192.0.2.2"))
    published_at = json_value(claim.published_at)
    events = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id, e.ip, e.before, e.after) for e in events] == [
        (
            "submit",
            analyst.id,
            "192.0.2.1",
            {"status": "draft", "rating": "false"},
            {"status": "in_review", "rating": "false"},
        ),
        (
            "publish",
            editor.id,
            "192.0.2.2",
            {"status": "in_review", "rating": "false", "published_at": None},
            {"status": "published", "rating": "false", "published_at": published_at},
        ),
    ]


def test_verdict_history_keeps_every_step_and_the_public_update(db):
    analyst, editor = make_user(db, Role.ANALYST), make_user(db, Role.EDITOR)
    claim = make_claim(db, rating=Rating.FALSE, rationale="Because.", author=analyst)
    workflow.apply(db, claim, Action.SUBMIT, by=Actor(analyst))
    workflow.apply(db, claim, Action.PUBLISH, by=Actor(editor))
    workflow.apply(
        db,
        claim,
        Action.UPDATE_VERDICT,
        by=Actor(editor),
        rating=Rating.MISLEADING,
        rationale="Partly true.",
        note="New data.",
    )
    workflow.apply(db, claim, Action.RETRACT, by=Actor(editor), note="Wrong video.")
    history = db.scalars(
        select(Verdict).where(Verdict.claim_id == claim.id).order_by(Verdict.id)
    ).all()
    assert [(v.event, v.rating, v.note) for v in history] == [
        (VerdictEvent.PROPOSED, Rating.FALSE, None),
        (VerdictEvent.PUBLISHED, Rating.FALSE, None),
        (VerdictEvent.UPDATED, Rating.MISLEADING, "New data."),
        (VerdictEvent.RETRACTED, Rating.MISLEADING, "Wrong video."),
    ]
    assert claim.correction_note == "Wrong video."


def _event(db, action: str) -> AuditEvent:
    return db.scalar(select(AuditEvent).where(AuditEvent.action == action))


def test_an_updated_verdict_keeps_the_old_and_new_rationale_and_the_note(db):
    editor = make_user(db, Role.EDITOR)
    claim = make_claim(db, status=ClaimStatus.PUBLISHED, rating=Rating.FALSE, rationale="Old.")
    workflow.apply(db, claim, Action.UPDATE_VERDICT, by=Actor(editor),
                   rating=Rating.MISLEADING, rationale="New.", note="New data.")  # fmt: skip
    event = _event(db, "update_verdict")
    assert event.before == {"status": "published", "rating": "false", "rationale": "Old."}
    assert event.after == {
        "status": "published",
        "rating": "misleading",
        "rationale": "New.",
        "note": "New data.",
    }


def test_a_retraction_keeps_its_correction_note_in_the_audit_event(db):
    editor = make_user(db, Role.EDITOR)
    claim = make_claim(db, status=ClaimStatus.PUBLISHED, rating=Rating.FALSE)
    workflow.apply(db, claim, Action.RETRACT, by=Actor(editor), note="Wrong video.")
    event = _event(db, "retract")
    assert (event.before["correction_note"], event.after["correction_note"]) == (
        None,
        "Wrong video.",
    )
    assert event.after["note"] == "Wrong video."


def test_a_long_return_comment_is_kept_whole_in_the_audit_event(db):
    editor = make_user(db, Role.EDITOR)
    claim = make_claim(db, status=ClaimStatus.IN_REVIEW)
    comment = "Please check the sources again. " * 600  # about 19,000 characters
    workflow.apply(db, claim, Action.RETURN, by=Actor(editor), comment=comment)
    event = _event(db, "return")
    assert event.after["comment"] == comment.strip()
    assert len(event.detail) == 500 and event.detail.endswith("…")


def test_resubmitting_an_unchanged_verdict_proposes_nothing_new(db):
    analyst, editor = make_user(db, Role.ANALYST), make_user(db, Role.EDITOR)
    claim = make_claim(db, rating=Rating.FALSE, rationale="Because.", author=analyst)
    workflow.apply(db, claim, Action.SUBMIT, by=Actor(analyst))
    workflow.apply(db, claim, Action.RETURN, by=Actor(editor), comment="Add a link.")
    workflow.apply(db, claim, Action.SUBMIT, by=Actor(analyst))
    proposed = db.scalars(
        select(Verdict).where(Verdict.claim_id == claim.id, Verdict.event == VerdictEvent.PROPOSED)
    ).all()
    assert [(v.rating, v.rationale) for v in proposed] == [(Rating.FALSE, "Because.")]


def test_resubmitting_a_changed_verdict_proposes_it(db):
    analyst, editor = make_user(db, Role.ANALYST), make_user(db, Role.EDITOR)
    claim = make_claim(db, rating=Rating.FALSE, rationale="Because.", author=analyst)
    workflow.apply(db, claim, Action.SUBMIT, by=Actor(analyst))
    workflow.apply(db, claim, Action.RETURN, by=Actor(editor), comment="Not false.")
    claim.rating = Rating.MISLEADING
    workflow.apply(db, claim, Action.SUBMIT, by=Actor(analyst))
    proposed = db.scalars(
        select(Verdict.rating)
        .where(Verdict.claim_id == claim.id, Verdict.event == VerdictEvent.PROPOSED)
        .order_by(Verdict.id)
    ).all()
    assert proposed == [Rating.FALSE, Rating.MISLEADING]


@pytest.mark.parametrize("state", [ClaimStatus.DRAFT, ClaimStatus.PUBLISHED])
def test_only_claims_in_review_can_be_assigned(db, state):
    editor = make_user(db, Role.EDITOR)
    claim = make_claim(db, status=state)
    with pytest.raises(InvalidTransition, match="Only claims in review"):
        workflow.assign(db, claim, editor, by=Actor(editor))
    assert claim.assignee_id is None
