"""Reading the API with a personal token: desk records for its user, 401 for bad tokens."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import make_claim, make_user
from tests.test_api_write import call
from tracker.audit import Actor
from tracker.models import ApiToken, Claim, ClaimStatus, Rating, Role
from tracker.services import tokens

PATH = "/api/v1/claims/{claim_id}"


def _token(db, user, scope="read"):
    _record, token = tokens.create_token(db, user, "reader", scope, by=Actor(user))
    db.commit()
    return {"Authorization": f"Bearer {token}"}


def _draft(db, author):
    claim = make_claim(db, "A draft the public must not see", author=author)
    db.commit()
    return claim.id


def _spec(client):
    return client.get("/api/openapi.json").get_json()


def test_a_read_token_reads_its_users_draft(client, db):
    analyst = make_user(db, Role.ANALYST)
    claim_id = _draft(db, analyst)
    headers = _token(db, analyst)
    body = call(client, _spec(client), "get", f"/api/v1/claims/{claim_id}", PATH, 200,
                headers=headers)  # fmt: skip
    assert (body["id"], body["status"]) == (claim_id, "draft")
    # What PATCH asks for is in what the token reads (and only there).
    assert body["version"] == db.get(Claim, claim_id).version


def test_an_anonymous_read_has_no_version(client, db):
    claim = make_claim(db, "A published claim", status=ClaimStatus.PUBLISHED, rating=Rating.FALSE)
    db.commit()
    body = call(client, _spec(client), "get", f"/api/v1/claims/{claim.id}", PATH, 200)
    assert "version" not in body


def test_what_a_token_reads_is_never_cached_for_others(client, db):
    analyst = make_user(db, Role.ANALYST)
    claim_id = _draft(db, analyst)
    response = client.get(f"/api/v1/claims/{claim_id}", headers=_token(db, analyst))
    assert response.cache_control.no_store and response.cache_control.private
    assert not response.cache_control.public
    assert "Authorization" in response.vary


def test_without_a_token_the_draft_is_not_found(client, db):
    claim_id = _draft(db, make_user(db, Role.ANALYST))
    assert client.get(f"/api/v1/claims/{claim_id}").status_code == 404


def test_another_analysts_draft_is_not_found_with_a_token(client, db):
    claim_id = _draft(db, make_user(db, Role.ANALYST))
    headers = _token(db, make_user(db, Role.ANALYST))
    assert client.get(f"/api/v1/claims/{claim_id}", headers=headers).status_code == 404


def test_an_editors_token_reads_any_draft(client, db):
    claim_id = _draft(db, make_user(db, Role.ANALYST))
    headers = _token(db, make_user(db, Role.EDITOR), scope="write")
    body = client.get(f"/api/v1/claims/{claim_id}", headers=headers).get_json()
    assert body["status"] == ClaimStatus.DRAFT.value


def test_an_unknown_token_on_a_read_is_a_401(client, db):
    claim = make_claim(db, status=ClaimStatus.PUBLISHED, rating=Rating.FALSE)
    db.commit()
    headers = {"Authorization": "Bearer tdt_nope"}
    body = call(client, _spec(client), "get", f"/api/v1/claims/{claim.id}", PATH, 401,
                headers=headers)  # fmt: skip
    assert body["error"] == "Unauthorized"


def test_a_revoked_token_on_a_read_is_a_401(client, db):
    analyst = make_user(db, Role.ANALYST)
    claim_id = _draft(db, analyst)
    headers = _token(db, analyst)
    token_id = db.scalar(select(ApiToken.id))
    tokens.revoke_token(db, token_id, by=Actor(analyst))
    db.commit()
    assert client.get(f"/api/v1/claims/{claim_id}", headers=headers).status_code == 401


def test_a_read_records_the_tokens_last_use(client, db):
    analyst = make_user(db, Role.ANALYST)
    headers = _token(db, analyst)
    assert db.scalar(select(ApiToken.last_used_at)) is None
    client.get("/api/v1/articles", headers=headers)
    db.expire_all()
    assert db.scalar(select(ApiToken.last_used_at)) is not None
