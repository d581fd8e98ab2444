"""Every endpoint of the URL map, called as anonymous, analyst, editor, admin and a
deactivated user, against the access table (tracker/auth/access.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import make_user, put_in_session
from tracker.audit import SYSTEM
from tracker.auth.access import ENDPOINT_ACCESS, ROLE_FOR_ACCESS, Access
from tracker.models import (
    Appearance,
    Article,
    Claim,
    ClaimArticleLink,
    ClaimStatus,
    Figure,
    Job,
    Narrative,
    Outlet,
    Role,
    Snapshot,
    User,
)
from tracker.services import tokens

ROLES = ["anonymous", "analyst", "editor", "admin", "deactivated"]
# Last, because signing out ends the session that the walk is using.
LAST = {"auth.logout"}


def url_values(db) -> dict[str, object]:
    """One existing record for every URL argument of the app."""
    claim = db.scalar(select(Claim).where(Claim.status == ClaimStatus.PUBLISHED))
    target = db.scalar(select(User).where(User.email == "analyst2@example.org"))
    snapshot = Snapshot(
        original_url="https://x.example/a", error_code="dns_failure", error_message="no"
    )
    db.add(snapshot)
    db.flush()
    token, _ = tokens.create_token(db, target, "walk", "read", by=SYSTEM)
    job = Job(kind="capture_appearance", payload={"appearance_id": 1}, status="failed")
    db.add(job)
    db.commit()
    return {
        "claim_id": claim.id,
        "article_id": db.scalar(select(Article.id)),
        "figure_id": db.scalar(select(Figure.id).where(Figure.parent_id.is_(None))),
        "outlet_id": db.scalar(select(Outlet.id)),
        "narrative_id": db.scalar(select(Narrative.id)),
        "slug": db.scalar(select(Narrative.slug)),
        "appearance_id": db.scalar(select(Appearance.id)),
        "snapshot_id": snapshot.id,
        "user_id": target.id,
        "token_id": token.id,
        "job_id": job.id,
        "link_id": db.scalar(select(ClaimArticleLink.id)),
        "kind": "article",
        "decision": "confirm",
        "filename": "css/app.css",
    }


def expected_allowed(access: Access, role: str) -> bool:
    if access == Access.PUBLIC:
        return True
    if access == Access.API_TOKEN or role in ("anonymous", "deactivated"):
        return False
    return Role(role).rank >= ROLE_FOR_ACCESS[access].rank


def was_allowed(response) -> bool:
    if response.status_code in (401, 403):
        return False
    return not (
        response.status_code in (301, 302, 303) and "/login" in response.headers.get("Location", "")
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_endpoint_answers_as_the_access_table_says(app, client, db, role):
    result = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    values = url_values(db)
    if role != "anonymous":
        user = make_user(db, Role.ANALYST if role == "deactivated" else Role(role))
        db.commit()
        with client.session_transaction() as session:
            put_in_session(session, user)
        if role == "deactivated":
            user.active = False
            db.commit()

    checked, wrong = 0, []
    rules = sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint in LAST)
    for rule in rules:
        access = ENDPOINT_ACCESS[rule.endpoint]
        path = rule.build({a: values[a] for a in rule.arguments}, append_unknown=False)[1]
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, json={} if "api" in path else None)
            assert response.status_code < 500, f"{method} {path}: {response.status_code}"
            if was_allowed(response) != expected_allowed(access, role):
                wrong.append((method, path, response.status_code))
            response.close()  # streamed bodies (static files, exports) hold files open
            checked += 1
    assert wrong == []
    assert checked >= 90
