"""Personal API tokens: shown once, stored hashed, revocable."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.factories import make_user
from tracker.audit import Actor
from tracker.models import ApiToken, Role
from tracker.services import tokens


def test_a_token_is_shown_once_and_only_its_hash_is_stored(client, db, login_as):
    login_as(Role.ANALYST)
    page = client.post("/desk/tokens", data={"name": "import script", "scope": "write"}).get_data(
        as_text=True
    )
    [token] = re.findall(r"tdt_[A-Za-z0-9_\-]{40,}", page)
    record = db.scalar(select(ApiToken))
    assert record.token_hash == tokens.hash_token(token) and token not in record.token_hash
    assert record.prefix == token[:12]
    assert token not in client.get("/desk/tokens").get_data(as_text=True)


def test_authentication_by_token_records_its_use(db):
    user = make_user(db)
    record, token = tokens.create_token(db, user, "x", "read", by=Actor(user))
    assert tokens.authenticate_token(db, token) is record
    assert record.last_used_at is not None
    assert tokens.authenticate_token(db, token + "x") is None
    assert tokens.authenticate_token(db, "not-a-token") is None


def test_a_revoked_token_or_a_deactivated_users_token_stops_working(db):
    user = make_user(db)
    other = make_user(db)
    mine, first = tokens.create_token(db, user, "one", "write", by=Actor(user))
    _theirs, second = tokens.create_token(db, other, "two", "write", by=Actor(other))
    tokens.revoke_token(db, mine.id, by=Actor(user))
    other.active = False
    assert tokens.authenticate_token(db, first) is None
    assert tokens.authenticate_token(db, second) is None


def test_a_deactivated_users_tokens_stay_dead_when_they_are_reactivated(db):
    # They came back to life with the account, unknown to the admin who deactivated it.
    from tracker.auth import services as accounts

    admin = make_user(db, Role.ADMIN)
    user = make_user(db)
    record, token = tokens.create_token(db, user, "script", "write", by=Actor(user))
    accounts.deactivate(db, user, by=Actor(admin))
    user.active = True  # as reactivating does
    assert record.revoked_at is not None
    assert tokens.authenticate_token(db, token) is None


def test_one_cannot_revoke_someone_elses_token(client, db, login_as):
    login_as(Role.ANALYST)
    owner = make_user(db)
    record, _ = tokens.create_token(db, owner, "theirs", "read", by=Actor(owner))
    db.commit()
    response = client.post(f"/desk/tokens/{record.id}/revoke", follow_redirects=True)
    assert "You can revoke only your own tokens." in response.get_data(as_text=True)
    db.refresh(record)
    assert record.revoked_at is None


def test_an_admin_sees_everyone_elses_tokens_in_use_and_can_revoke_one(client, db, login_as):
    owner = make_user(db, name="Olena Analyst")
    leaked, token = tokens.create_token(db, owner, "shared by mistake", "write", by=Actor(owner))
    gone, _ = tokens.create_token(db, owner, "old script", "read", by=Actor(owner))
    tokens.revoke_token(db, gone.id, by=Actor(owner))
    db.commit()
    login_as(Role.ADMIN)
    page = client.get("/desk/tokens").get_data(as_text=True)
    others = page.split("Other people’s tokens in use", 1)[1]
    assert "Olena Analyst" in others and "shared by mistake" in others
    assert "old script" not in others  # revoked already
    response = client.post(f"/desk/tokens/{leaked.id}/revoke", follow_redirects=True)
    assert "“shared by mistake” of Olena Analyst revoked" in response.get_data(as_text=True)
    assert tokens.authenticate_token(db, token) is None


def test_only_admins_see_other_peoples_tokens(client, db, login_as):
    owner = make_user(db)
    tokens.create_token(db, owner, "theirs", "read", by=Actor(owner))
    db.commit()
    login_as(Role.EDITOR)
    page = client.get("/desk/tokens").get_data(as_text=True)
    assert "Other people’s tokens" not in page and "theirs" not in page


def test_a_token_needs_a_name(client, login_as):
    login_as(Role.ANALYST)
    response = client.post("/desk/tokens", data={"name": "", "scope": "read"})
    assert response.status_code == 400
    assert "maxlength" not in response.get_data(as_text=True)  # the browser cut names silently
    response = client.post("/desk/tokens", data={"name": "x" * 500, "scope": "read"})
    assert response.status_code == 400 and "the limit is 100" in response.get_data(as_text=True)
