"""Record-level access between two real analysts: one's draft stays private from the other.

Analyst Bea has a draft. Analyst Ann works on claims (published, in review) that the
cross-referencing engine has linked to Bea's draft, and on the article and figure linked to
it. Nothing Ann can read shows the draft, and nothing Ann can post changes anything about it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select
from werkzeug.routing import Rule

from tests.factories import make_article, make_claim, make_figure, make_user, put_in_session
from tracker.backup import table_checks
from tracker.extensions import db as database_extension
from tracker.models import (
    AuditEvent,
    ClaimArticleLink,
    ClaimFigureLink,
    ClaimLink,
    ClaimStatus,
    LinkStatus,
    Role,
)
from tracker.services.indexing import reindex_claims

SECRET = "Zanzibar quartermaster ledger shows undisclosed shipments"


@dataclass
class World:
    ann: object
    bea: object
    draft: object
    published: object
    in_review: object
    article: object
    figure: object
    links: dict


@pytest.fixture
def world(db) -> World:
    ann = make_user(db, Role.ANALYST, email="ann@example.org")
    bea = make_user(db, Role.ANALYST, email="bea@example.org")
    draft = make_claim(db, SECRET, author=bea, url="https://example.org/secret")
    published = make_claim(db, "A published claim.", status=ClaimStatus.PUBLISHED, author=ann)
    in_review = make_claim(db, "A claim in review.", status=ClaimStatus.IN_REVIEW, author=ann)
    article, figure = make_article(db), make_figure(db)
    links = {
        # The draft on either side of a claim-to-claim link.
        "published": ClaimLink(claim_id=published.id, other_claim_id=draft.id, method="lexical"),
        "in_review": ClaimLink(claim_id=draft.id, other_claim_id=in_review.id, method="lexical"),
        "article": ClaimArticleLink(claim_id=draft.id, article_id=article.id, method="lexical"),
        "figure": ClaimFigureLink(claim_id=draft.id, figure_id=figure.id, method="quantity"),
    }
    db.add_all(links.values())
    reindex_claims(db, [draft.id, published.id, in_review.id])
    db.commit()
    return World(ann, bea, draft, published, in_review, article, figure, links)


def as_user(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        put_in_session(session, user)
    return client


def contents(app) -> dict:
    """Every table's row count and hash, but the audit trail: refusals are written there."""
    with app.app_context(), database_extension.engine.connect() as connection:
        checks = table_checks(connection)
    checks.pop("audit_events")
    return checks


def audit_actions(app) -> list[str]:
    with app.app_context(), database_extension.engine.connect() as connection:
        return list(connection.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_the_author_sees_the_links_to_her_draft(app, world):
    """The control: the pages do show the draft to someone allowed to see it."""
    bea = as_user(app, world.bea)
    for path in (f"/desk/claims/{world.published.id}", f"/desk/claims/{world.in_review.id}"):
        page = bea.get(path).get_data(as_text=True)
        assert SECRET in page and f"/desk/claims/{world.draft.id}" in page


@pytest.mark.parametrize("other", ["published", "in_review"])
def test_the_cross_reference_panel_hides_another_analysts_draft(app, world, other):
    page = as_user(app, world.ann).get(f"/desk/claims/{getattr(world, other).id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert SECRET not in text and f"/desk/claims/{world.draft.id}" not in text


@pytest.mark.parametrize("record", ["article", "figure"])
def test_article_and_figure_pages_hide_another_analysts_draft(app, world, record):
    page = as_user(app, world.ann).get(f"/desk/{record}s/{getattr(world, record).id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert SECRET not in text and f"/desk/claims/{world.draft.id}" not in text


@pytest.mark.parametrize("decision", ["confirm", "reject"])
@pytest.mark.parametrize("link", ["published", "in_review", "article", "figure"])
def test_links_to_another_analysts_draft_cannot_be_decided(app, db, world, link, decision):
    record = world.links[link]
    kind = {ClaimLink: "claim", ClaimArticleLink: "article", ClaimFigureLink: "figure"}
    before = contents(app)
    response = as_user(app, world.ann).post(
        f"/desk/links/{kind[type(record)]}/{record.id}/{decision}"
    )
    assert response.status_code == 404
    db.refresh(record)
    assert record.status == LinkStatus.SUGGESTED
    assert contents(app) == before


def claim_post_rules(app) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods
        and rule.endpoint.startswith("desk.")
        and "claim_id" in rule.arguments
    ]


def test_no_claim_post_changes_another_analysts_draft(app, world):
    """Every desk POST that takes a claim id, with plausible form data, as Ann on Bea's draft."""
    forms = {
        "desk.claim_workflow": {"action": "submit", "comment": "sneaky"},
        "desk.claim_comment": {"body": "sneaky comment"},
        "desk.claim_assign": {"assignee": str(world.ann.id)},
        "desk.claim_edit": {"text": "rewritten", "language": "en", "version": "1"},
        "desk.claim_add_appearances": {"urls": "https://example.org/more"},
    }
    rules = claim_post_rules(app)
    assert len(rules) >= 7  # workflow, comments, assign, delete, restore, edit, appearances
    ann = as_user(app, world.ann)
    before, trail = contents(app), audit_actions(app)
    answers = {}
    for rule in rules:
        path = rule.rule.replace("<int:claim_id>", str(world.draft.id))
        answers[rule.endpoint] = ann.post(path, data=forms.get(rule.endpoint, {})).status_code
    # Not found (the draft is private) or forbidden (editors only), never done.
    assert {endpoint: code for endpoint, code in answers.items() if code not in (403, 404)} == {}
    assert contents(app) == before
    appearance = world.draft.appearances[0]
    assert ann.post(f"/desk/appearances/{appearance.id}/recapture").status_code == 404
    assert contents(app) == before
    # The audit trail only gained the refusals.
    added = audit_actions(app)[len(trail) :]
    assert set(added) <= {"denied"}


def test_suggestions_and_desk_search_leave_out_another_analysts_draft(app, world):
    ann, bea = as_user(app, world.ann), as_user(app, world.bea)
    suggested = ann.post("/desk/xref/suggest", data={"text": SECRET, "language": "en"})
    assert suggested.status_code == 200
    assert world.draft.id not in [c["id"] for c in suggested.get_json()["claims"]]
    assert SECRET not in ann.get("/desk/?q=Zanzibar+quartermaster").get_data(as_text=True)
    # The control: the author finds it both ways.
    mine = bea.post("/desk/xref/suggest", data={"text": SECRET, "language": "en"}).get_json()
    assert world.draft.id in [c["id"] for c in mine["claims"]]
    assert SECRET in bea.get("/desk/?q=Zanzibar+quartermaster").get_data(as_text=True)
