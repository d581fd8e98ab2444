"""Hostile text in every field a person can type renders inert on every page that shows it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import make_user, put_in_session
from tests.xss_support import PAYLOADS, active_payloads
from tracker.audit import Actor
from tracker.models import Claim, ClaimStatus, Comment, Rating, Role
from tracker.services import articles, claims, figures, narratives, outlets, workflow


def fill_everything(db, payload: str):
    """One record of every kind, with the payload in every free-text field."""
    admin = make_user(db, Role.ADMIN, name=payload[:120])
    editor = make_user(db, Role.EDITOR)
    by = Actor(admin)
    outlet = outlets.create_outlet(
        db,
        outlets.OutletInput(name=payload[:200], description=payload, handles=["hostile.example"]),
        by=by,
    )
    narrative = narratives.create_narrative(db, payload[:200], payload, by=by)
    article = articles.create_article(
        db,
        articles.ArticleInput(
            title=payload,
            text=payload,
            claim_statement=payload,
            publisher=payload[:255],
            author=payload[:255],
            rating_text=payload[:500],
            rating=Rating.FALSE,
        ),
        by=by,
    )
    figure = figures.create_figure(
        db,
        figures.FigureInput(
            subject=payload,
            value=1500,
            quote=payload,
            place=payload[:255],
            publisher=payload[:255],
            cited_source=payload[:255],
            parts=[figures.PartInput(payload[:255], 10)],
        ),
        by=by,
    )
    claim = claims.create_claim(
        db,
        claims.ClaimInput(
            text=payload,
            language="en",
            summary_en=payload,
            rating=Rating.FALSE,
            rationale=payload,
            narrative_ids=[narrative.id],
            appearances=[
                claims.AppearanceInput(
                    url="https://hostile.example/a", outlet_id=outlet.id, title=payload
                )
            ],
            article_ids=[article.id],
            figure_ids=[figure.id],
        ),
        by=by,
    )
    db.add(Comment(claim_id=claim.id, author_id=admin.id, body=payload))
    workflow.apply(db, claim, workflow.Action.SUBMIT, by=by)
    workflow.apply(db, claim, workflow.Action.PUBLISH, by=Actor(editor))
    workflow.apply(
        db,
        claim,
        workflow.Action.UPDATE_VERDICT,
        by=Actor(editor),
        rating=Rating.MISLEADING,
        rationale=payload + " (updated)",
        note=payload,
    )
    db.commit()
    return {
        "claim": claim,
        "article": article,
        "figure": figure,
        "outlet": outlet,
        "narrative": narrative,
        "admin": admin,
    }


def pages(records) -> list[str]:
    claim, article, figure = records["claim"], records["article"], records["figure"]
    return [
        "/desk/",
        "/desk/?status=published",
        f"/desk/claims/{claim.id}",
        f"/desk/claims/{claim.id}/edit",
        "/desk/articles/",
        f"/desk/articles/{article.id}",
        f"/desk/articles/{article.id}/edit",
        "/desk/figures/",
        f"/desk/figures/{figure.id}",
        f"/desk/figures/{figure.id}/edit",
        "/desk/outlets/",
        f"/desk/outlets/{records['outlet'].id}/edit",
        "/desk/narratives/",
        f"/desk/narratives/{records['narrative'].id}/edit",
        "/desk/users",
        "/desk/audit",
        "/desk/review",
        "/",
        f"/claims/{claim.id}",
        f"/articles/{article.id}",
        f"/figures/{figure.id}",
        f"/outlets/{records['outlet'].id}",
        f"/narratives/{records['narrative'].slug}",
        "/search?q=alert",
    ]


@pytest.mark.parametrize("index", range(0, len(PAYLOADS), 1), ids=lambda i: f"payload{i + 1}")
def test_payload_is_inert_everywhere(client, db, index):
    payload = PAYLOADS[index]
    records = fill_everything(db, payload)
    with client.session_transaction() as session:
        put_in_session(session, records["admin"])
    checked = 0
    for path in pages(records):
        response = client.get(path)
        assert response.status_code == 200, path
        problems = active_payloads(response.get_data(as_text=True))
        assert problems == [], f"{path}: {problems}"
        checked += 1
    assert checked == len(pages(records))
    stored = db.scalar(select(Claim).where(Claim.status == ClaimStatus.PUBLISHED))
    assert stored.text == payload.strip()  # kept exactly as typed; only its display is inert


def test_the_checker_catches_payloads_left_active():
    """The check above would fail if the payloads reached a page unescaped."""
    caught = [p for p in PAYLOADS if active_payloads(f"<html><body>{p}</body></html>")]
    markdown_or_text = [
        p for p in PAYLOADS if not p.lstrip("\"'").startswith("<") and "<" not in p[:3]
    ]
    assert len(caught) >= len(PAYLOADS) - len(markdown_or_text) - 2
    assert len(caught) >= 25


def test_bare_addresses_in_markdown_become_safe_links_and_named_domains_stay_words():
    # EUvsDisinfo rationales cite their evidence as bare addresses, which a phone reader
    # could not open; an outlet named by its domain ("rt.com said") is not a link to it.
    from tracker.templating import render_markdown

    html = render_markdown(
        "Source: https://www.defense.gov/News/Article/1 and rt.com said so; "
        "javascript:alert(1) stays text."
    )
    assert (
        '<a href="https://www.defense.gov/News/Article/1" rel="nofollow noopener noreferrer">'
        in html
    )
    assert "rt.com said" in html and 'href="http://rt.com"' not in html
    assert 'href="javascript' not in html
