"""A refused request changes nothing and leaves exactly one "denied" audit event: pages the
role table refuses, and API writes that a service refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import make_claim, make_user
from tracker.audit import Actor
from tracker.models import AuditEvent, Claim, ClaimStatus, Rating, Role
from tracker.services import tokens


@pytest.fixture(autouse=True)
def no_capture(monkeypatch):
    monkeypatch.setattr("tracker.jobs.dispatch", lambda job_id: "queued")


def events(db) -> list[AuditEvent]:
    db.expire_all()
    return db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()


@pytest.mark.parametrize("step", ["restore", "assign"])
def test_a_page_refused_by_the_role_table_is_audited(client, db, login_as, step):
    analyst = login_as(Role.ANALYST)
    claim = make_claim(db, status=ClaimStatus.IN_REVIEW)
    db.commit()
    response = client.post(f"/desk/claims/{claim.id}/{step}", data={"assignee": ""})
    assert response.status_code == 403
    [event] = events(db)
    assert (event.action, event.entity_type, event.entity_id, event.actor_id) == (
        "denied",
        "claim",
        claim.id,
        analyst.id,
    )
    assert event.detail.startswith(f"POST /desk/claims/{claim.id}/{step}: ")
    assert f"desk.claim_{step}" in event.detail and event.ip == "127.0.0.1"
    assert db.get(Claim, claim.id).assignee_id is None


def test_a_refused_page_without_a_record_is_audited_as_a_page(client, db, login_as):
    login_as(Role.EDITOR)
    assert client.get("/desk/audit").status_code == 403
    [event] = events(db)
    assert (event.action, event.entity_type, event.entity_id) == ("denied", "page", None)
    assert "desk.audit" in event.detail


def test_anonymous_visitors_are_sent_to_sign_in_without_an_audit_event(client, db):
    assert client.post("/desk/claims/1/restore").status_code == 302
    assert events(db) == []


def test_a_refused_edit_is_audited_and_changes_nothing(client, db, login_as):
    from tests.desk_support import claim_form

    analyst = login_as(Role.ANALYST)
    claim = make_claim(db, "As submitted.", status=ClaimStatus.IN_REVIEW, author=analyst)
    db.commit()
    response = client.post(
        f"/desk/claims/{claim.id}/edit", data=claim_form("Changed after submitting.", version="1")
    )
    assert response.status_code == 302
    [event] = events(db)
    assert (event.action, event.entity_id) == ("denied", claim.id)
    assert event.detail.startswith("edit: Only editors can change a claim")
    assert db.get(Claim, claim.id).text == "As submitted."


def _token(db, role):
    user = make_user(db, role)
    _record, token = tokens.create_token(db, user, "test", "write", by=Actor(user))
    db.commit()
    return user, {"Authorization": f"Bearer {token}"}


def test_an_api_step_the_role_may_not_take_is_audited(client, db):
    analyst, headers = _token(db, Role.ANALYST)
    claim = make_claim(db, status=ClaimStatus.IN_REVIEW, rating=Rating.FALSE, rationale="No.")
    db.commit()
    before = len(events(db))
    response = client.patch(
        f"/api/v1/claims/{claim.id}",
        json={"version": claim.version, "status": "published"},
        headers=headers,
    )
    assert response.status_code == 403
    [event] = events(db)[before:]
    assert (event.action, event.entity_type, event.entity_id, event.actor_id) == (
        "denied",
        "claim",
        claim.id,
        analyst.id,
    )
    assert event.detail.startswith("claim_update: Only editors")
    assert db.get(Claim, claim.id).status == ClaimStatus.IN_REVIEW


def test_an_api_refusal_after_an_edit_keeps_only_the_refusal(client, db):
    """The edit in the same request is rolled back; the refusal is written after that."""
    editor, headers = _token(db, Role.EDITOR)
    make_user(db, Role.EDITOR)  # four eyes: another editor must publish
    claim = make_claim(
        db, status=ClaimStatus.IN_REVIEW, rating=Rating.FALSE, rationale="No.", author=editor
    )
    db.commit()
    before = len(events(db))
    response = client.patch(
        f"/api/v1/claims/{claim.id}",
        json={"version": claim.version, "summary": "Changed.", "status": "published"},
        headers=headers,
    )
    assert response.status_code == 403
    assert [(e.action, e.entity_id) for e in events(db)[before:]] == [("denied", claim.id)]
    refreshed = db.get(Claim, claim.id)
    assert (refreshed.summary_en, refreshed.status) == (None, ClaimStatus.IN_REVIEW)


def test_an_impossible_api_step_is_audited(client, db):
    _editor, headers = _token(db, Role.EDITOR)
    claim = make_claim(db, status=ClaimStatus.DRAFT)
    db.commit()
    before = len(events(db))
    response = client.patch(
        f"/api/v1/claims/{claim.id}",
        json={"version": claim.version, "status": "retracted"},
        headers=headers,
    )
    assert response.status_code == 409
    assert [e.action for e in events(db)[before:]] == ["denied"]


def test_an_invalid_api_value_is_not_a_refusal(client, db):
    _analyst, headers = _token(db, Role.ANALYST)
    before = len(events(db))
    response = client.post("/api/v1/claims", json={"text": ""}, headers=headers)
    assert response.status_code == 422
    assert events(db)[before:] == []
