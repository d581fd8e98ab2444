"""Editorial review in the desk: the queue, workflow steps, comments, users and the audit log."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from tests.desk_support import page_text
from tests.factories import make_claim, make_narrative, make_outlet, make_user, put_in_session
from tracker.models import AuditEvent, ClaimStatus, Comment, Rating, Role, User


def in_review(db, text, days_ago, **fields):
    claim = make_claim(
        db, text, status=ClaimStatus.IN_REVIEW, rating=Rating.FALSE, rationale="Because.", **fields
    )
    claim.submitted_at = datetime.now(UTC) - timedelta(days=days_ago)
    return claim


def test_the_queue_lists_claims_in_review_oldest_first(client, db, login_as):
    login_as(Role.EDITOR)
    in_review(db, "Newer claim in review.", 1)
    in_review(db, "Older claim in review.", 5)
    make_claim(db, "A draft is not in the queue.")
    db.commit()
    page = page_text(client.get("/desk/review"))
    assert page.index("Older claim in review.") < page.index("Newer claim in review.")
    assert "A draft is not in the queue." not in page


def test_the_queue_filters_by_outlet_language_narrative_and_assignee(client, db, login_as):
    editor = login_as(Role.EDITOR)
    outlet = make_outlet(db, "Zarya")
    narrative = make_narrative(db, "Biolabs")
    russian = in_review(db, "Русский текст утверждения.", 3, language="ru", outlet=outlet)
    russian.narratives.append(narrative)
    russian.assignee_id = editor.id
    in_review(db, "English claim text.", 2)
    db.commit()
    for query in (f"outlet={outlet.id}", "language=ru", f"narrative={narrative.id}", "assignee=me"):
        page = page_text(client.get(f"/desk/review?{query}"))
        assert "Русский текст утверждения." in page, query
        assert "English claim text." not in page, query
    page = page_text(client.get("/desk/review?assignee=none"))
    assert "English claim text." in page and "Русский" not in page


def test_analysts_cannot_open_the_review_queue(client, login_as):
    login_as(Role.ANALYST)
    assert client.get("/desk/review").status_code == 403


def test_an_editor_assigns_a_claim_to_an_editor(client, db, login_as):
    login_as(Role.EDITOR)
    colleague = make_user(db, Role.EDITOR, name="Colleague")
    claim = in_review(db, "Claim.", 1)
    db.commit()
    client.post(f"/desk/claims/{claim.id}/assign", data={"assignee": str(colleague.id)})
    db.refresh(claim)
    assert claim.assignee_id == colleague.id


@pytest.mark.parametrize("assignee", ["abc", "999999"])
def test_assigning_to_no_such_editor_is_refused_not_taken_for_clearing(
    client, db, login_as, assignee
):
    editor = login_as(Role.EDITOR)
    claim = in_review(db, "Claim.", 1)
    claim.assignee_id = editor.id
    db.commit()
    response = client.post(
        f"/desk/claims/{claim.id}/assign", data={"assignee": assignee}, follow_redirects=True
    )
    assert "There is no such editor" in page_text(response)
    assert "Assignment cleared." not in page_text(response)
    db.refresh(claim)
    assert claim.assignee_id == editor.id


def test_returning_without_a_comment_is_refused_and_changes_nothing(client, db, login_as):
    login_as(Role.EDITOR)
    claim = in_review(db, "Claim.", 1)
    db.commit()
    response = client.post(
        f"/desk/claims/{claim.id}/workflow",
        data={"action": "return", "comment": ""},
        follow_redirects=True,
    )
    assert "Say what the analyst should change." in page_text(response)
    db.refresh(claim)
    assert claim.status == ClaimStatus.IN_REVIEW


def test_a_return_keeps_the_comment_for_the_analyst(client, db, login_as):
    login_as(Role.EDITOR)
    claim = in_review(db, "Claim.", 1)
    db.commit()
    client.post(
        f"/desk/claims/{claim.id}/workflow",
        data={"action": "return", "comment": "Add the **first** appearance."},
    )
    db.refresh(claim)
    assert claim.status == ClaimStatus.RETURNED
    page = page_text(client.get(f"/desk/claims/{claim.id}"))
    assert "Add the <strong>first</strong> appearance." in page


def test_retracting_without_a_note_is_refused(client, db, login_as):
    login_as(Role.EDITOR)
    claim = make_claim(db, status=ClaimStatus.PUBLISHED, rating=Rating.FALSE)
    db.commit()
    response = client.post(
        f"/desk/claims/{claim.id}/workflow",
        data={"action": "retract", "note": "  "},
        follow_redirects=True,
    )
    assert page_text(response).count("A retraction needs a public correction note.") == 1
    db.refresh(claim)
    assert claim.status == ClaimStatus.PUBLISHED


def test_a_refused_verdict_update_comes_back_with_what_the_editor_typed(client, db, login_as):
    login_as(Role.EDITOR)
    claim = make_claim(db, status=ClaimStatus.PUBLISHED, rating=Rating.FALSE, rationale="Old.")
    db.commit()
    response = client.post(
        f"/desk/claims/{claim.id}/workflow",
        data={"action": "update_verdict", "rating": "misleading",
              "rationale": "New evidence from the ministry.", "note": ""},
    )  # fmt: skip
    assert response.status_code == 422
    page = page_text(response)
    assert "Say publicly what changed and why." in page
    assert "New evidence from the ministry." in page
    assert '<option selected value="misleading">' in page
    db.refresh(claim)
    assert claim.rating == Rating.FALSE and claim.rationale == "Old."


def test_every_field_of_the_workflow_forms_has_an_id_and_a_label_of_its_own(client, db, login_as):
    # The retract and update forms both gave their public note the id "note": a screen
    # reader named the update's required note by the retraction's hint, or not at all.
    login_as(Role.EDITOR)
    claim = make_claim(db, status=ClaimStatus.PUBLISHED, rating=Rating.FALSE, rationale="Old.")
    db.commit()
    html = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert [i for i in set(ids) if ids.count(i) > 1] == []
    for field_id in ("note-retract", "note-update_verdict", "rationale-update_verdict"):
        assert f'<label for="{field_id}">' in html


def test_the_verdict_update_starts_from_the_current_verdict(client, db, login_as):
    login_as(Role.EDITOR)
    claim = make_claim(db, status=ClaimStatus.PUBLISHED, rating=Rating.MISLEADING, rationale="Old.")
    db.commit()
    html = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    select = html[html.index('id="rating-update_verdict"') :]
    select = select[: select.index("</select>")]
    assert re.search(
        r'<option selected value="misleading">|<option value="misleading" selected', select
    )


@pytest.mark.parametrize(("action", "field"), [("return", "comment"), ("retract", "note")])
def test_an_over_long_step_text_is_refused_for_its_length_and_kept(
    client, db, login_as, action, field
):
    login_as(Role.EDITOR)
    status = ClaimStatus.IN_REVIEW if action == "return" else ClaimStatus.PUBLISHED
    claim = make_claim(db, status=status, rating=Rating.FALSE, rationale="Because.")
    db.commit()
    text = "Long reason. " * 1_600  # 20,800 characters, over the limit of 20,000
    response = client.post(
        f"/desk/claims/{claim.id}/workflow", data={"action": action, field: text}
    )
    assert response.status_code == 422
    page = page_text(response)
    assert "20,000" in page and "could not be read" not in page
    assert text.strip() in page
    db.refresh(claim)
    assert claim.status == status


def test_an_over_long_comment_is_refused_and_kept(client, db, login_as):
    login_as(Role.ANALYST)
    claim = make_claim(db, status=ClaimStatus.PUBLISHED)
    db.commit()
    body = "A remark. " * 1_002
    response = client.post(f"/desk/claims/{claim.id}/comments", data={"body": body})
    assert response.status_code == 422
    page = page_text(response)
    assert "the limit is 10,000" in page and body.strip() in page
    assert db.scalar(select(func.count()).select_from(Comment)) == 0


@pytest.mark.parametrize(
    ("role", "status", "action"),
    [
        (Role.ANALYST, ClaimStatus.IN_REVIEW, "publish"),
        (Role.ANALYST, ClaimStatus.IN_REVIEW, "return"),
        (Role.ANALYST, ClaimStatus.PUBLISHED, "retract"),
        (Role.EDITOR, ClaimStatus.DRAFT, "publish"),
        (Role.EDITOR, ClaimStatus.PUBLISHED, "submit"),
    ],
)
def test_a_forbidden_step_changes_nothing_and_only_the_refusal_is_audited(
    client, db, login_as, role, status, action
):
    login_as(role)
    make_user(db, Role.EDITOR)
    claim = make_claim(db, status=status, rating=Rating.FALSE, rationale="Because.")
    db.commit()
    response = client.post(
        f"/desk/claims/{claim.id}/workflow", data={"action": action, "comment": "x", "note": "x"}
    )
    assert response.status_code == 302
    db.refresh(claim)
    assert claim.status == status
    events = db.scalars(select(AuditEvent)).all()
    assert [(e.action, e.entity_id) for e in events] == [("denied", claim.id)]
    assert events[0].detail.startswith(f"{action}: ")


def test_an_unknown_workflow_step_is_refused(client, db, login_as):
    login_as(Role.EDITOR)
    claim = in_review(db, "Claim.", 1)
    db.commit()
    response = client.post(
        f"/desk/claims/{claim.id}/workflow", data={"action": "approve"}, follow_redirects=True
    )
    assert "Unknown workflow step “approve” (the steps: submit, return" in page_text(response)
    response = client.post(f"/desk/claims/{claim.id}/workflow", data={}, follow_redirects=True)
    assert "No workflow step was chosen" in page_text(response)


def test_comments_are_kept_and_markdown_is_sanitised(client, db, login_as):
    login_as(Role.ANALYST)
    claim = make_claim(db, status=ClaimStatus.PUBLISHED)
    db.commit()
    client.post(
        f"/desk/claims/{claim.id}/comments",
        data={"body": "See <script>alert(1)</script> [this](javascript:alert(1))"},
    )
    comment = db.scalar(select(Comment))
    assert comment.body.startswith("See <script>")
    page = page_text(client.get(f"/desk/claims/{claim.id}"))
    assert "<script>alert(1)</script>" not in page
    assert 'href="javascript:' not in page


def test_comments_are_not_visible_without_signing_in(app, db):
    claim = make_claim(db, status=ClaimStatus.PUBLISHED)
    db.add(Comment(claim_id=claim.id, body="Internal remark"))
    db.commit()
    response = app.test_client().get(f"/desk/claims/{claim.id}")
    assert response.status_code == 302


def test_the_claim_page_shows_its_history(client, db, login_as):
    analyst = login_as(Role.ANALYST)
    client.post(
        "/desk/claims/new",
        data={
            "text": "A claim with history.",
            "language": "en",
            "appearances-0-url": "",
            "save": "Save draft",
        },
    )
    from tracker.models import Claim

    claim = db.scalar(select(Claim))
    assert claim.created_by_id == analyst.id
    page = page_text(client.get(f"/desk/claims/{claim.id}"))
    assert "History" in page and "<strong>Created</strong>" in page


def test_admin_reads_the_audit_log_with_filters(client, db, login_as):
    admin = login_as(Role.ADMIN)
    make_claim(db)
    db.add(AuditEvent(action="create", entity_type="claim", entity_id=1, actor_id=admin.id))
    db.add(AuditEvent(action="login_failed", entity_type="user", detail="email=x@example.org"))
    db.commit()
    page = page_text(client.get("/desk/audit?action=login_failed"))
    assert "email=x@example.org" in page
    assert "<td>created</td>" not in page
    assert "<td>created</td>" in page_text(client.get("/desk/audit?entity=claim"))


def test_the_audit_log_pages_both_ways(client, db, login_as, monkeypatch):
    from tracker.desk.views import admin

    monkeypatch.setattr(admin, "AUDIT_PAGE", 2)
    login_as(Role.ADMIN)
    for n in range(5):
        db.add(AuditEvent(action="test", entity_type="thing", entity_id=n + 1))
    db.commit()
    ids = sorted(db.scalars(select(AuditEvent.id).where(AuditEvent.action == "test")))

    def page(before=None):  # type: ignore[no-untyped-def]
        query = "action=test" + (f"&before={before}" if before else "")
        text = page_text(client.get(f"/desk/audit?{query}"))
        older = re.search(r'rel="next" href="[^"]*before=(\d+)', text)
        newer = re.search(r'rel="prev" href="([^"]*)"', text)
        return older and int(older.group(1)), newer and html.unescape(newer.group(1))

    older, newer = page()
    assert newer is None and older == ids[3]
    older, newer = page(older)
    assert "before=" not in newer  # back to the newest page
    older, newer = page(older)
    assert older is None and f"before={ids[3]}" in newer  # the second page again


def test_reversed_dates_in_the_audit_log_are_pointed_out(client, login_as):
    login_as(Role.ADMIN)
    page = page_text(client.get("/desk/audit?from=2026-12-08&to=2026-12-01"))
    assert "The end date is before the start date" in page


def test_only_admins_read_the_audit_log(client, login_as):
    login_as(Role.EDITOR)
    assert client.get("/desk/audit").status_code == 403


def test_no_route_changes_or_deletes_audit_events(app):
    for rule in app.url_map.iter_rules():
        assert not (
            {"PUT", "PATCH", "DELETE"} & set(rule.methods or ())
        ) or not rule.rule.startswith("/desk/audit")
    audit_rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/desk/audit")]
    assert all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in audit_rules)


def test_admin_invites_a_user_and_the_form_keeps_input_on_error(client, db, login_as):
    login_as(Role.ADMIN)
    response = client.post(
        "/desk/users",
        data={"email": "new@example.org", "name": "New", "role": "editor", "password": "short"},
    )
    assert response.status_code == 400
    page = page_text(response)
    assert "at least 12 characters" in page and 'value="new@example.org"' in page
    response = client.post(
        "/desk/users",
        data={
            "email": "new@example.org",
            "name": "New",
            "role": "editor",
            "password": "long enough password 1",
        },
    )
    assert response.status_code == 302
    assert db.scalar(select(User).where(User.email == "new@example.org")).role == Role.EDITOR


def test_a_name_too_long_is_refused_not_cut(client, db, login_as):
    # A `maxlength` attribute made the browser cut a pasted name at 120 without a word.
    login_as(Role.ADMIN)
    assert "maxlength" not in page_text(client.get("/desk/users"))
    response = client.post(
        "/desk/users",
        data={"email": "n@example.org", "name": "N" * 500, "role": "analyst",
              "password": "long enough password 1"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "the limit is 120" in page_text(response) and "N" * 500 in page_text(response)
    assert db.scalar(select(User).where(User.email == "n@example.org")) is None


def test_a_deactivated_users_session_stops_working_at_once(app, client, db, login_as):
    login_as(Role.ADMIN)
    victim = make_user(db, Role.ANALYST)
    db.commit()
    theirs = app.test_client()
    with theirs.session_transaction() as session:
        put_in_session(session, victim)
    assert theirs.get("/desk/").status_code == 200
    client.post(f"/desk/users/{victim.id}/deactivate")
    assert theirs.get("/desk/").status_code == 302
    db.refresh(victim)
    assert not victim.active


@pytest.mark.parametrize(("change", "data"), [("deactivate", {}), ("role", {"role": "analyst"})])
def test_reviews_waiting_on_a_user_who_cannot_do_them_are_unassigned(
    client, db, login_as, change, data
):
    # They stayed assigned to a deactivated account, or to an analyst, whom assign refuses.
    login_as(Role.ADMIN)
    editor = make_user(db, Role.EDITOR, name="Elena Editor")
    claim = make_claim(db, status=ClaimStatus.IN_REVIEW, assignee_id=editor.id)
    db.commit()
    response = client.post(f"/desk/users/{editor.id}/{change}", data=data, follow_redirects=True)
    assert "The 1 review assigned to them is unassigned now." in page_text(response)
    db.refresh(claim)
    assert claim.assignee_id is None
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "assign")).one()
    assert event.entity_id == claim.id and event.detail.startswith("Unassigned: Elena Editor")


def test_the_last_admin_cannot_be_deactivated(client, db, login_as):
    admin = login_as(Role.ADMIN)
    response = client.post(f"/desk/users/{admin.id}/deactivate", follow_redirects=True)
    assert "last active admin" in page_text(response)


def test_changing_a_role_to_the_same_one_changes_nothing_and_signs_nobody_out(client, db, login_as):
    admin = login_as(Role.ADMIN)
    response = client.post(
        f"/desk/users/{admin.id}/role", data={"role": "admin"}, follow_redirects=True
    )
    assert "already is admin; nothing changed." in page_text(response)
    assert client.get("/desk/").status_code == 200  # still signed in
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_role_changes_are_audited(client, db, login_as):
    login_as(Role.ADMIN)
    person = make_user(db, Role.ANALYST)
    db.commit()
    client.post(f"/desk/users/{person.id}/role", data={"role": "editor"})
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "set_role"))
    assert (event.before["role"], event.after["role"]) == ("analyst", "editor")
    assert db.scalar(select(func.count()).select_from(AuditEvent)) == 1


def test_publishing_a_claim_without_an_appearance_is_warned_about_not_refused(client, db, login_as):
    login_as(Role.EDITOR)
    bare = in_review(db, "Heard on the radio, no link.", 1)
    sourced = in_review(db, "With its link.", 1, outlet=make_outlet(db, "Zarya"))
    db.commit()
    warning = "No appearance is recorded"
    page = page_text(client.get(f"/desk/claims/{bare.id}"))
    assert warning in page and "Publish" in page
    assert warning not in page_text(client.get(f"/desk/claims/{sourced.id}"))
