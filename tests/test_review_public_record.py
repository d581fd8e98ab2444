"""A claim on the public record: its verdict changes only by a dated update, and it is
retracted, never deleted (desk form, service and API)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.desk_support import claim_form, page_text
from tests.factories import make_claim, make_user
from tracker.audit import Actor
from tracker.errors import InvalidTransition, ValidationFailed
from tracker.models import AuditEvent, Claim, ClaimStatus, Rating, Role, Verdict
from tracker.services import claims as claim_service
from tracker.services import tokens


@pytest.fixture(autouse=True)
def no_capture(monkeypatch):
    monkeypatch.setattr("tracker.jobs.dispatch", lambda job_id: "queued")


def published(db, status=ClaimStatus.PUBLISHED, **fields):
    from datetime import UTC, datetime

    return make_claim(
        db,
        "A published claim.",
        status=status,
        rating=Rating.FALSE,
        rationale="The video is from 2015.",
        published_at=datetime(2024, 5, 1, tzinfo=UTC),
        url="https://news.example/a",
        **fields,
    )


def edit_form(claim, **fields):
    """The edit form as the page sends it: the verdict as the hidden fields carry it."""
    data = claim_form(
        claim.text,
        appearances=[{"url": a.url} for a in claim.appearances],
        rating=claim.rating.value if claim.rating else "",
        rationale=claim.rationale or "",
        version=str(claim.version),
    )
    data.update(fields)
    return data


def test_the_edit_form_of_a_published_claim_shows_the_verdict_read_only(client, db, login_as):
    login_as(Role.EDITOR)
    claim = published(db)
    db.commit()
    page = page_text(client.get(f"/desk/claims/{claim.id}/edit"))
    assert '<select id="rating"' not in page and 'name="rating" value="false"' in page
    assert "Publish an updated verdict" in page


def test_an_edit_cannot_change_a_published_verdict(client, db, login_as):
    login_as(Role.EDITOR)
    claim = published(db)
    db.commit()
    response = client.post(
        f"/desk/claims/{claim.id}/edit", data=edit_form(claim, rating="accurate")
    )
    assert response.status_code == 400
    assert "Publish an updated verdict" in page_text(response)
    db.expire_all()
    assert (claim.rating, claim.rationale) == (Rating.FALSE, "The video is from 2015.")
    assert client.get(f"/claims/{claim.id}").status_code == 200


def test_an_edit_cannot_empty_a_published_verdict(client, db, login_as):
    login_as(Role.EDITOR)
    claim = published(db)
    db.commit()
    response = client.post(
        f"/desk/claims/{claim.id}/edit", data=edit_form(claim, rating="", rationale="")
    )
    assert response.status_code == 400
    db.expire_all()
    assert claim.rating == Rating.FALSE


def test_other_fields_of_a_published_claim_can_still_be_edited(client, db, login_as):
    login_as(Role.EDITOR)
    claim = published(db)
    db.commit()
    # The browser sends the stored rationale back with CRLF line breaks: not a change.
    form = edit_form(claim, rationale="The video is from 2015.\r\n")
    form["appearances-1-url"] = "https://news.example/b"
    response = client.post(f"/desk/claims/{claim.id}/edit", data=form)
    assert response.status_code == 302
    db.expire_all()
    assert [a.url for a in claim.appearances] == [
        "https://news.example/a",
        "https://news.example/b",
    ]
    assert (claim.rating, claim.rationale) == (Rating.FALSE, "The video is from 2015.")
    assert db.scalars(select(Verdict).where(Verdict.claim_id == claim.id)).all() == []


def test_the_wording_of_a_published_claim_changes_only_with_a_public_note(client, db, login_as):
    # An editor could change a published claim's text, and readers saw no trace of it.
    login_as(Role.EDITOR)
    claim = published(db)
    db.commit()
    form = edit_form(claim, summary_en="A better summary.")
    response = client.post(f"/desk/claims/{claim.id}/edit", data=form)
    assert response.status_code == 400
    assert "say in a public note what was corrected" in page_text(response)
    assert "A better summary." in page_text(response)  # what was typed is kept
    db.expire_all()
    assert claim.summary_en is None

    form["public_note"] = "The summary named the wrong city."
    assert client.post(f"/desk/claims/{claim.id}/edit", data=form).status_code == 302
    db.expire_all()
    assert claim.summary_en == "A better summary."
    [entry] = db.scalars(select(Verdict).where(Verdict.claim_id == claim.id)).all()
    assert (entry.event, entry.rating, entry.note) == (
        "corrected", Rating.FALSE, "The summary named the wrong city."
    )  # fmt: skip
    page = client.get(f"/claims/{claim.id}").get_data(as_text=True)
    assert "wording corrected; the verdict stands." in page
    assert "The summary named the wrong city." in page
    feed = client.get("/feeds/claims.atom").get_data(as_text=True)
    assert "The summary named the wrong city." in feed
    history = client.get(f"/api/v1/claims/{claim.id}").get_json()["history"]
    assert [h["event"] for h in history][-1] == "corrected"


def test_the_api_corrects_a_published_claims_text_only_with_a_note(client, db):
    user = make_user(db, Role.EDITOR)
    claim = published(db)
    db.commit()
    token = tokens.create_token(db, user, "test", scope="write", by=Actor(user))[1]
    db.commit()
    headers = {"Authorization": f"Bearer {token}"}
    path = f"/api/v1/claims/{claim.id}"
    body = {"version": claim.version, "text": "A published claim, corrected."}
    response = client.patch(path, json=body, headers=headers)
    assert response.status_code == 422 and "note" in response.get_json()["errors"]
    response = client.patch(path, json={**body, "note": "A typo."}, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["text"] == "A published claim, corrected."


def test_a_retracted_verdict_cannot_be_changed_by_an_edit(db):
    editor = make_user(db, Role.EDITOR)
    claim = published(db, status=ClaimStatus.RETRACTED, correction_note="Wrong video.")
    data = claim_service.ClaimInput(
        text=claim.text,
        language="en",
        rating=Rating.ACCURATE,
        rationale="Now true.",
        appearances=[claim_service.AppearanceInput(url="https://news.example/a")],
    )
    with pytest.raises(ValidationFailed, match="retracted"):
        claim_service.update_claim(db, claim, data, expected_version=1, by=Actor(editor))
    assert claim.rating == Rating.FALSE


def test_the_api_cannot_change_a_retracted_verdict(client, db):
    editor = make_user(db, Role.EDITOR)
    _record, token = tokens.create_token(db, editor, "t", "write", by=Actor(editor))
    claim = published(db, status=ClaimStatus.RETRACTED, correction_note="Wrong video.")
    db.commit()
    response = client.patch(
        f"/api/v1/claims/{claim.id}",
        json={"version": claim.version, "rating": "accurate"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert "retracted" in response.get_json()["errors"]["rating"][0]
    db.expire_all()
    assert claim.rating == Rating.FALSE


@pytest.mark.parametrize("status", [ClaimStatus.PUBLISHED, ClaimStatus.RETRACTED])
def test_a_public_claim_cannot_be_deleted(db, status):
    editor = make_user(db, Role.EDITOR)
    claim = published(db, status=status, correction_note="Wrong video.")
    with pytest.raises(InvalidTransition, match="Retract it instead"):
        claim_service.soft_delete(db, claim, by=Actor(editor))
    assert claim.deleted_at is None


def test_deleting_a_published_claim_in_the_desk_is_refused_and_audited(client, db, login_as):
    login_as(Role.EDITOR)
    claim = published(db)
    db.commit()
    page = page_text(client.get(f"/desk/claims/{claim.id}"))
    assert "Delete this claim" not in page and "retract it" in page
    response = client.post(f"/desk/claims/{claim.id}/delete", follow_redirects=True)
    assert "Retract it instead" in page_text(response)
    assert client.get(f"/claims/{claim.id}").status_code == 200
    events = db.scalars(select(AuditEvent)).all()
    assert [(e.action, e.entity_id) for e in events] == [("denied", claim.id)]


def test_a_claim_retracted_before_publication_can_be_deleted(db):
    editor = make_user(db, Role.EDITOR)
    claim = make_claim(db, status=ClaimStatus.RETRACTED, correction_note="Never true.")
    claim_service.soft_delete(db, claim, by=Actor(editor))
    assert db.get(Claim, claim.id).deleted_at is not None
