"""A claim's history tab: its own audit events, its cross-reference decisions, and the
demo claims' stories."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.desk_support import page_text
from tests.factories import make_article, make_claim
from tracker.models import AuditEvent, Claim, ClaimArticleLink, ClaimStatus, LinkStatus, Role


def history(page: str) -> list[str]:
    """The steps listed in the History section, in order."""
    section = page.split('<section id="history">', 1)[1].split("</section>", 1)[0]
    return re.findall(r"<li><strong>([^<]+)</strong>", section)


def test_confirming_a_cross_reference_shows_in_the_claims_history(client, db, login_as):
    login_as(Role.ANALYST)
    claim = make_claim(db, status=ClaimStatus.IN_REVIEW)
    link = ClaimArticleLink(
        claim_id=claim.id,
        article_id=make_article(db).id,
        status=LinkStatus.SUGGESTED,
        method="lexical",
        reason="Same words.",
    )
    db.add(link)
    db.commit()
    client.post(f"/desk/links/article/{link.id}/reject")
    page = page_text(client.get(f"/desk/claims/{claim.id}"))
    assert history(page) == ["Suggestion rejected"]
    assert f"(article link {link.id})" in page


def test_another_claims_link_events_stay_on_that_claims_history(client, db, login_as):
    login_as(Role.EDITOR)
    mine, other = make_claim(db), make_claim(db)
    link = ClaimArticleLink(
        claim_id=other.id, article_id=make_article(db).id, status=LinkStatus.SUGGESTED
    )
    db.add(link)
    db.commit()
    client.post(f"/desk/links/article/{link.id}/confirm")
    assert history(page_text(client.get(f"/desk/claims/{mine.id}"))) == []
    assert history(page_text(client.get(f"/desk/claims/{other.id}"))) == ["Suggestion confirmed"]


def _demo(app):
    result = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output


def test_every_demo_claim_has_a_history_that_matches_its_status(app, db):
    _demo(app)
    expected = {
        ClaimStatus.DRAFT: ["create"],
        ClaimStatus.IN_REVIEW: ["create", "submit"],
        ClaimStatus.RETURNED: ["create", "submit", "return"],
        ClaimStatus.PUBLISHED: ["create", "submit", "publish"],
        ClaimStatus.RETRACTED: ["create", "submit", "publish", "retract"],
    }
    for claim in db.scalars(select(Claim)):
        actions = db.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.entity_type == "claim", AuditEvent.entity_id == claim.id)
            .order_by(AuditEvent.at, AuditEvent.id)
        ).all()
        assert actions == expected[claim.status], claim.text


def test_a_demo_claims_history_tab_names_who_did_each_step(app, client, db, login_as):
    _demo(app)
    login_as(Role.EDITOR)
    claim = db.scalar(select(Claim).where(Claim.status == ClaimStatus.RETRACTED))
    page = page_text(client.get(f"/desk/claims/{claim.id}"))
    # In words, not the audit trail's codes ("create", "update_verdict").
    assert history(page) == ["Created", "Submitted for review", "Published", "Retracted"]
    assert "by Erik Editor" in page or "by Elena Editor" in page
    assert "Nothing recorded yet" not in page
