"""Two people on one record: the second save is refused with both versions shown, and
nothing either of them added is lost (test client, both databases)."""

from __future__ import annotations

import html

from sqlalchemy import select

from tests.desk_support import claim_form, page_text
from tests.factories import make_claim, make_user
from tracker.models import Appearance, Claim, Role


def signed_in(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    return client


def urls_of(db, claim_id: int) -> list[str]:
    db.expire_all()
    return sorted(db.scalars(select(Appearance.url).where(Appearance.claim_id == claim_id)))


def test_adding_a_link_raises_the_version(app, db):
    analyst = make_user(db, Role.ANALYST)
    claim = make_claim(db, "Grain is stolen.", author=analyst, url="https://a.example/1")
    db.commit()
    version = claim.version
    signed_in(app, analyst).post(
        f"/desk/claims/{claim.id}/appearances", data={"appearances-0-url": "https://b.example/2"}
    )
    db.expire_all()
    assert db.get(Claim, claim.id).version == version + 1


def test_a_link_added_while_an_editor_edits_is_not_dropped(app, db):
    editor = make_user(db, Role.EDITOR)
    analyst = make_user(db, Role.ANALYST)
    claim = make_claim(db, "Grain is stolen.", author=analyst, url="https://a.example/1")
    db.commit()
    opened = str(claim.version)
    signed_in(app, analyst).post(
        f"/desk/claims/{claim.id}/appearances", data={"appearances-0-url": "https://b.example/2"}
    )
    response = signed_in(app, editor).post(
        f"/desk/claims/{claim.id}/edit",
        data=claim_form(
            "Grain is stolen by the army.",
            appearances=[{"url": "https://a.example/1"}],
            version=opened,
        ),
    )
    assert response.status_code == 409
    assert urls_of(db, claim.id) == ["https://a.example/1", "https://b.example/2"]
    assert db.get(Claim, claim.id).text == "Grain is stolen."
    assert "https://b.example/2" in html.unescape(page_text(response))
