"""Desk pages of editorial review: the deleted list, the queue's counts and notices, the review
page's contents, and the audit log's filters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.desk_support import page_text
from tests.factories import make_article, make_claim, make_figure, make_outlet, make_user
from tracker.audit import Actor
from tracker.models import (
    AuditEvent,
    ClaimArticleLink,
    ClaimFigureLink,
    ClaimStatus,
    Comment,
    LinkStatus,
    Rating,
    Role,
    Snapshot,
)
from tracker.services import claims as claim_service
from tracker.services import workflow

# --- deleted claims: editors find them to restore them ---------------------------------------


def _deleted(db, text, by):
    claim = make_claim(db, text, author=by)
    claim_service.soft_delete(db, claim, by=Actor(by))
    return claim


def test_editors_list_deleted_claims_to_restore_them(client, db, login_as):
    editor = login_as(Role.EDITOR)
    gone = _deleted(db, "A deleted claim.", editor)
    make_claim(db, "A claim still here.")
    db.commit()
    home = page_text(client.get("/desk/"))
    assert "A deleted claim." not in home and "?deleted=1" in home
    page = page_text(client.get("/desk/?deleted=1"))
    assert "Deleted claims" in page and "A deleted claim." in page
    assert "A claim still here." not in page
    assert f"/desk/claims/{gone.id}" in page
    assert "Restore this claim" in page_text(client.get(f"/desk/claims/{gone.id}"))


def test_analysts_do_not_get_the_deleted_list(client, db, login_as):
    analyst = login_as(Role.ANALYST)
    _deleted(db, "My deleted draft.", analyst)
    db.commit()
    assert "?deleted=1" not in page_text(client.get("/desk/"))
    page = page_text(client.get("/desk/?deleted=1"))
    assert "My deleted draft." not in page
    assert "Only editors see deleted claims" in page


# --- the review queue -------------------------------------------------------------------------


def in_review(db, text, days_ago=1, **fields):
    claim = make_claim(
        db, text, status=ClaimStatus.IN_REVIEW, rating=Rating.FALSE, rationale="Because.", **fields
    )
    claim.submitted_at = datetime.now(UTC) - timedelta(days=days_ago)
    return claim


def test_the_queue_counts_all_mine_and_unassigned(client, db, login_as):
    editor = login_as(Role.EDITOR)
    colleague = make_user(db, Role.EDITOR)
    in_review(db, "Mine.", assignee_id=editor.id)
    in_review(db, "Theirs.", assignee_id=colleague.id)
    in_review(db, "Nobody's one.")
    in_review(db, "Nobody's two.")
    make_claim(db, "A draft is not counted.")
    db.commit()
    page = page_text(client.get("/desk/review?assignee=none"))
    assert '<span class="count">4</span> in review' in page
    assert '<span class="count">1</span> assigned to me' in page
    assert '<span class="count">2</span> unassigned' in page
    assert "2 shown, oldest first." in page


def test_the_queue_takes_a_language_by_its_name(client, db, login_as):
    login_as(Role.EDITOR)
    in_review(db, "По-русски.", language="ru")
    in_review(db, "In English.", language="en")
    db.commit()
    for typed in ("ru", "Russian", "русский"):
        page = page_text(client.get(f"/desk/review?language={typed}"))
        assert "По-русски." in page and "In English." not in page
    page = page_text(client.get("/desk/review?language=Klingonese"))
    assert "Unknown language “Klingonese” ignored" in page


def test_the_queue_ignores_a_bad_filter_and_says_so(client, db, login_as):
    login_as(Role.EDITOR)
    in_review(db, "Still listed.")
    db.commit()
    page = page_text(client.get("/desk/review?outlet=abc&narrative=x&assignee=bob"))
    assert "There is no outlet “abc”; that filter was ignored." in page
    assert "There is no narrative “x”; that filter was ignored." in page
    assert "There is no person “bob”; that filter was ignored." in page
    assert "Still listed." in page


def test_the_review_page_shows_everything_an_editor_decides_on(client, db, login_as):
    analyst = make_user(db, Role.ANALYST, name="Anna Analyst")
    login_as(Role.EDITOR)
    outlet = make_outlet(db, "Zarya TV")
    claim = make_claim(
        db,
        "Claim under review.",
        author=analyst,
        outlet=outlet,
        url="https://zarya.example/1",
        rating=Rating.MISLEADING,
        rationale="The **figure** is wrong.",
    )
    snapshot = Snapshot(original_url="https://zarya.example/1", http_status=200, title="Zarya")
    db.add(snapshot)
    db.flush()
    claim.appearances[0].snapshot_id = snapshot.id
    claim_service.add_appearance(
        db, claim, claim_service.AppearanceInput(url="https://mirror.example/2"), by=Actor(analyst)
    )
    db.add(
        ClaimArticleLink(
            claim_id=claim.id,
            article_id=make_article(db, "Our debunk").id,
            status=LinkStatus.CONFIRMED,
            method="manual",
        )
    )
    db.add(
        ClaimFigureLink(
            claim_id=claim.id,
            figure_id=make_figure(db, 1500).id,
            status=LinkStatus.SUGGESTED,
            method="figure_check",
            reason="Claim says tens of thousands; the figure says 1,500+.",
        )
    )
    db.add(Comment(claim_id=claim.id, author_id=analyst.id, body="Please check the date."))
    workflow.apply(db, claim, workflow.Action.SUBMIT, by=Actor(analyst))
    db.commit()
    page = page_text(client.get(f"/desk/claims/{claim.id}"))
    for expected in (
        "Claim under review.",
        "https://zarya.example/1",
        f"/desk/snapshots/{snapshot.id}",  # the archived copy
        "https://mirror.example/2",
        "Not archived yet",
        "verdict-misleading",
        "The <strong>figure</strong> is wrong.",
        "Our debunk",
        "the figure says 1,500+",  # a suggested cross-reference with its reason
        "Please check the date.",
        "Publish",
        "Return to the analyst",
    ):
        assert expected in page, expected
    section = page.split('<section id="history">', 1)[1]
    assert section.index("Link added") < section.index("Submitted for review")


# --- the audit log ----------------------------------------------------------------------------


def test_the_audit_log_filters_by_actor(client, db, login_as):
    admin = login_as(Role.ADMIN)
    other = make_user(db, Role.EDITOR)
    db.add(
        AuditEvent(
            action="create",
            entity_type="claim",
            entity_id=1,
            actor_id=admin.id,
            detail="by the admin",
        )
    )
    db.add(
        AuditEvent(
            action="create",
            entity_type="claim",
            entity_id=2,
            actor_id=other.id,
            detail="by the editor",
        )
    )
    db.commit()
    page = page_text(client.get(f"/desk/audit?actor={other.id}"))
    assert "by the editor" in page and "by the admin" not in page


def test_the_audit_log_filters_by_date(client, db, login_as):
    login_as(Role.ADMIN)
    for day, detail in ((1, "first of May"), (2, "second of May"), (3, "third of May")):
        db.add(
            AuditEvent(
                action="create",
                entity_type="claim",
                detail=detail,
                at=datetime(2024, 5, day, 23, 30, tzinfo=UTC),
            )
        )
    db.commit()
    page = page_text(client.get("/desk/audit?from=2024-05-02&to=2024-05-02"))
    assert "second of May" in page
    assert "first of May" not in page and "third of May" not in page


def test_the_audit_log_ignores_a_bad_date_and_says_so(client, db, login_as):
    login_as(Role.ADMIN)
    db.add(AuditEvent(action="create", entity_type="claim", detail="still listed"))
    db.commit()
    page = page_text(client.get("/desk/audit?from=31.05.2024&actor=me"))
    assert "“31.05.2024” is not a date" in page
    assert "Unknown person “me” ignored." in page
    assert "still listed" in page


def test_the_audit_log_shows_values_as_written(client, db, login_as):
    # tojson wrote every Cyrillic letter and every '<' as a \u escape.
    login_as(Role.ADMIN)
    before = {"text": "Киев <врёт>"}
    db.add(AuditEvent(action="update", entity_type="claim", before=before, after={}))
    db.commit()
    html = client.get("/desk/audit").get_data(as_text=True)
    assert "&#34;text&#34;: &#34;Киев &lt;врёт&gt;&#34;" in html
    assert "\\u041a" not in html and "\\u003c" not in html


def test_the_audit_log_pages_by_id_newest_first(client, db, login_as):
    login_as(Role.ADMIN)
    for n in range(55):
        db.add(AuditEvent(action="create", entity_type="claim", detail=f"event number {n:02}"))
    db.commit()
    first = page_text(client.get("/desk/audit"))
    assert "event number 54" in first and "event number 04" not in first
    newest_on_page_two = db.scalars(
        select(AuditEvent.id).order_by(AuditEvent.id.desc()).offset(50).limit(1)
    ).one()
    second = page_text(client.get(f"/desk/audit?before={newest_on_page_two + 1}"))
    assert "event number 04" in second and "event number 05" not in second


def test_a_step_not_possible_yet_says_why_instead_of_vanishing(client, db, login_as):
    analyst = make_user(db, Role.ANALYST)
    login_as(Role.EDITOR)
    claim = make_claim(db, "Claim without a rationale.", author=analyst, rating=Rating.FALSE)
    claim.status = ClaimStatus.IN_REVIEW
    db.commit()
    page = page_text(client.get(f"/desk/claims/{claim.id}"))
    assert (
        "<strong>Publish</strong> is not possible yet: A claim needs a verdict and a rationale"
        in page
    )
    assert "Return to the analyst" in page


def test_submitting_without_a_rationale_is_allowed_and_says_what_publishing_needs(
    client, db, login_as
):
    analyst = login_as(Role.ANALYST)
    claim = make_claim(db, "Draft without a rationale.", author=analyst)
    db.commit()
    page = page_text(client.get(f"/desk/claims/{claim.id}"))
    assert "No verdict or rationale yet: an editor will need both to publish." in page


def test_the_queue_table_scrolls_sideways_by_keyboard_too(client, db, login_as):
    # On a 375 px screen its last columns are off to the side; the box took no focus, so
    # a keyboard could not scroll to them.
    login_as(Role.EDITOR)
    in_review(db, "Listed.")
    db.commit()
    page = page_text(client.get("/desk/review"))
    assert '<div class="table-scroll" tabindex="0" role="region" aria-label="Claims waiting' in page
