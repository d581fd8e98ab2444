"""Every service that changes data writes exactly one audit event, with before and after.

Each case runs one service call on prepared records and states the audit event it must
leave: action, entity, and the keys (with values) that must appear before and after.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from tests.factories import (
    make_article,
    make_claim,
    make_figure,
    make_narrative,
    make_outlet,
    make_user,
)
from tracker.audit import Actor
from tracker.auth import services as users
from tracker.models import AuditEvent, ClaimStatus, LinkStatus, Rating, Role, utcnow
from tracker.services import (
    articles,
    claims,
    comments,
    figures,
    links,
    narratives,
    outlets,
    tokens,
    workflow,
)


class _Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


SET = _Sentinel("SET")  # any value but None (a time stamp, a new id)
ACTOR = _Sentinel("ACTOR")  # the acting user's id


@dataclass
class Case:
    name: str
    run: Callable[[Any, Actor], Any]
    action: str
    entity: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _claim(db, **fields):
    return make_claim(db, "Original text.", **fields)


CASES = [
    Case(
        "create claim",
        lambda db, by: claims.create_claim(
            db, claims.ClaimInput(text="A new claim.", language="en"), by=by
        ),
        "create",
        "claim",
        None,
        {"text": "A new claim.", "status": "draft"},
    ),
    Case(
        "update claim",
        lambda db, by: claims.update_claim(
            db,
            _claim(db, author=by.user),
            claims.ClaimInput(text="Edited text.", language="en"),
            expected_version=1,
            by=by,
        ),
        "update",
        "claim",
        {"text": "Original text."},
        {"text": "Edited text."},
    ),
    Case(
        "add appearance",
        lambda db, by: claims.add_appearance(
            db, _claim(db), claims.AppearanceInput(url="https://x.example/a"), by=by
        ),
        "add_appearance",
        "claim",
        None,
        {"url": "https://x.example/a"},
    ),
    Case(
        "delete claim",
        lambda db, by: claims.soft_delete(db, _claim(db, author=by.user), by=by),
        "delete",
        "claim",
        {"deleted_at": None, "text": "Original text."},
        {"deleted_at": SET, "deleted_by_id": ACTOR},
    ),
    Case(
        "restore claim",
        lambda db, by: claims.restore(db, _claim(db, deleted_at=utcnow()), by=by),
        "restore",
        "claim",
        {"deleted_at": SET},
        {"deleted_at": None, "deleted_by_id": None},
    ),
    Case(
        "submit",
        lambda db, by: workflow.apply(
            db, _claim(db, author=by.user, rating=Rating.FALSE), workflow.Action.SUBMIT, by=by
        ),
        "submit",
        "claim",
        {"status": "draft"},
        {"status": "in_review"},
    ),
    Case(
        "return",
        lambda db, by: workflow.apply(
            db,
            _claim(db, status=ClaimStatus.IN_REVIEW),
            workflow.Action.RETURN,
            by=by,
            comment="Add a source.",
        ),
        "return",
        "claim",
        {"status": "in_review"},
        {"status": "returned", "comment": "Add a source."},
    ),
    Case(
        "publish",
        lambda db, by: workflow.apply(
            db,
            _claim(db, status=ClaimStatus.IN_REVIEW, rating=Rating.FALSE, rationale="No."),
            workflow.Action.PUBLISH,
            by=by,
        ),
        "publish",
        "claim",
        {"status": "in_review", "published_at": None},
        {"status": "published", "rating": "false", "published_at": SET},
    ),
    Case(
        "retract",
        lambda db, by: workflow.apply(
            db,
            _claim(db, status=ClaimStatus.PUBLISHED, rating=Rating.FALSE),
            workflow.Action.RETRACT,
            by=by,
            note="Wrong video.",
        ),
        "retract",
        "claim",
        {"status": "published", "correction_note": None},
        {"status": "retracted", "correction_note": "Wrong video.", "note": "Wrong video."},
    ),
    Case(
        "update verdict",
        lambda db, by: workflow.apply(
            db,
            _claim(db, status=ClaimStatus.PUBLISHED, rating=Rating.FALSE, rationale="Old."),
            workflow.Action.UPDATE_VERDICT,
            by=by,
            rating=Rating.MISLEADING,
            rationale="New.",
            note="New data.",
        ),
        "update_verdict",
        "claim",
        {"rating": "false", "rationale": "Old."},
        {"rating": "misleading", "rationale": "New.", "note": "New data."},
    ),
    Case(
        "refusal",
        lambda db, by: workflow.record_refusal(db, _claim(db).id, "publish", "Not now.", by=by),
        "denied",
        "claim",
        None,
        None,
    ),
    Case(
        "create outlet",
        lambda db, by: outlets.create_outlet(
            db, outlets.OutletInput(name="Zarya", handles=["zarya.example"]), by=by
        ),
        "create",
        "outlet",
        None,
        {"name": "Zarya", "handles": ["zarya.example"]},
    ),
    Case(
        "update outlet",
        lambda db, by: outlets.update_outlet(
            db,
            make_outlet(db, "Old name", domain="o.example"),
            outlets.OutletInput(name="New name", handles=["o.example"]),
            by=by,
        ),
        "update",
        "outlet",
        {"name": "Old name"},
        {"name": "New name"},
    ),
    Case(
        "merge outlets",
        lambda db, by: outlets.merge_outlets(
            db, make_outlet(db, "Zarya copy"), make_outlet(db, "Zarya"), by=by
        ),
        "merge",
        "outlet",
        {"name": "Zarya copy"},
        {"merged_into_id": SET, "appearances_moved": 0},
    ),
    Case(
        "update narrative",
        lambda db, by: narratives.update_narrative(
            db, make_narrative(db, "Old name"), "New name", None, by=by
        ),
        "update",
        "narrative",
        {"name": "Old name"},
        {"name": "New name"},
    ),
    Case(
        "create narrative",
        lambda db, by: narratives.create_narrative(db, "Biolabs", by=by),
        "create",
        "narrative",
        None,
        {"name": "Biolabs", "slug": "biolabs"},
    ),
    Case(
        "create article",
        lambda db, by: articles.create_article(
            db, articles.ArticleInput(title="A debunk", url="https://f.example/1"), by=by
        ),
        "create",
        "article",
        None,
        {"title": "A debunk", "url": "https://f.example/1"},
    ),
    Case(
        "update article",
        lambda db, by: articles.update_article(
            db,
            make_article(db, "Old title"),
            articles.ArticleInput(title="New title"),
            expected_version=1,
            by=by,
        ),
        "update",
        "article",
        {"title": "Old title"},
        {"title": "New title"},
    ),
    Case(
        "create figure",
        lambda db, by: figures.create_figure(
            db,
            figures.FigureInput(
                subject="recruits", value=1500, parts=[figures.PartInput("Asia", 771)]
            ),
            by=by,
        ),
        "create",
        "figure",
        None,
        {"value": 1500.0, "parts": [["Asia", 771.0]]},
    ),
    Case(
        "update figure",
        lambda db, by: figures.update_figure(
            db,
            make_figure(db, 1500),
            figures.FigureInput(subject="recruits", value=1600),
            expected_version=1,
            by=by,
        ),
        "update",
        "figure",
        {"value": 1500.0},
        {"value": 1600.0},
    ),
    Case(
        "comment",
        lambda db, by: comments.add_comment(db, _claim(db), "Looks wrong.", by=by),
        "comment",
        "claim",
        None,
        {"body": "Looks wrong."},
    ),
    Case(
        "reject a suggestion",
        lambda db, by: links.decide(db, "article", _suggested_link(db), LinkStatus.REJECTED, by=by),
        "xref_rejected",
        "article_link",
        {"status": "suggested"},
        {"status": "rejected", "claim_id": SET},
    ),
    Case(
        "confirm a suggestion",
        lambda db, by: links.decide(
            db, "article", _suggested_link(db), LinkStatus.CONFIRMED, by=by
        ),
        "xref_confirmed",
        "article_link",
        {"status": "suggested"},
        {"status": "confirmed"},
    ),
    Case(
        "create user",
        lambda db, by: users.create_user(
            db, email="n@example.org", name="N", password="a long password 1", role="analyst", by=by
        ),
        "create",
        "user",
        None,
        {"email": "n@example.org", "role": "analyst"},
    ),
    Case(
        "set role",
        lambda db, by: users.set_role(db, make_user(db, Role.ANALYST), "editor", by=by),
        "set_role",
        "user",
        {"role": "analyst"},
        {"role": "editor"},
    ),
    Case(
        "deactivate",
        lambda db, by: users.deactivate(db, make_user(db), by=by),
        "deactivate",
        "user",
        {"active": True},
        {"active": False},
    ),
    Case(
        "reactivate",
        lambda db, by: users.reactivate(db, make_user(db, active=False), by=by),
        "reactivate",
        "user",
        {"active": False},
        {"active": True},
    ),
    Case(
        # The password itself, even hashed, stays out of the trail.
        "set password",
        lambda db, by: users.set_password(db, make_user(db), "another long password 9", by=by),
        "set_password",
        "user",
        None,
        None,
    ),
    Case(
        "change email",
        lambda db, by: users.change_email(
            db, make_user(db, email="old@example.org"), "new@example.org", by=by
        ),
        "change_email",
        "user",
        {"email": "old@example.org"},
        {"email": "new@example.org"},
    ),
    Case(
        "create token",
        lambda db, by: tokens.create_token(db, by.user, "spreadsheet", "read", by=by),
        "create",
        "api_token",
        None,
        {"name": "spreadsheet", "scope": "read", "user_id": ACTOR},
    ),
    Case(
        "revoke token",
        lambda db, by: tokens.revoke_token(db, _token(db, by.user), by=by),
        "revoke",
        "api_token",
        {"revoked_at": None},
        {"revoked_at": SET},
    ),
    Case(
        "assign",
        lambda db, by: workflow.assign(
            db, _claim(db, status=ClaimStatus.IN_REVIEW), by.user, by=by
        ),
        "assign",
        "claim",
        {"assignee_id": None},
        {"assignee_id": ACTOR},
    ),
]


def _token(db, user) -> int:
    from tracker.models import ApiToken

    record = ApiToken(
        user_id=user.id, name="old", scope="read", token_hash="0" * 64, prefix="dt_0000"
    )
    db.add(record)
    db.flush()
    return record.id


def _suggested_link(db) -> int:
    from tracker.models import ClaimArticleLink

    link = ClaimArticleLink(
        claim_id=_claim(db).id,
        article_id=make_article(db).id,
        status=LinkStatus.SUGGESTED,
        method="lexical",
        reason="x",
    )
    db.add(link)
    db.flush()
    return link.id


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_each_service_writes_its_audit_event(db, case):
    actor = make_user(db, Role.ADMIN)
    make_user(db, Role.ADMIN)  # so the admin-only guards do not trip
    by = Actor(actor, "198.51.100.7")
    case.run(db, by)
    db.flush()
    [event] = db.scalars(select(AuditEvent)).all()
    assert (event.action, event.entity_type, event.actor_id, event.ip) == (
        case.action,
        case.entity,
        actor.id,
        "198.51.100.7",
    )
    assert event.entity_id is not None
    for expected, actual in ((case.before, event.before), (case.after, event.after)):
        if expected is None:
            assert actual is None
        else:
            assert actual is not None
            for key, want in expected.items():
                assert key in actual, key
                if want is SET:
                    assert actual[key] is not None, key
                elif want is ACTOR:
                    assert actual[key] == actor.id, key
                else:
                    assert actual[key] == want, key
    assert event.at.tzinfo is not None


def test_a_change_and_its_audit_event_are_one_transaction(db):
    by = Actor(make_user(db, Role.ANALYST))
    db.commit()
    claims.create_claim(db, claims.ClaimInput(text="Rolled back.", language="en"), by=by)
    db.rollback()
    from tracker.models import Claim

    assert db.scalars(select(Claim)).all() == []
    assert db.scalars(select(AuditEvent)).all() == []
