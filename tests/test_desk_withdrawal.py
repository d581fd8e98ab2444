"""Withdrawing a debunk article or a figure from the public site, and putting it back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.desk_support import page_text
from tests.public_support import build_world
from tracker.models import AuditEvent, Role


@pytest.fixture
def world(db):
    found = build_world(db)
    db.commit()
    return found


@pytest.mark.parametrize("kind", ["article", "figure"])
def test_an_editor_withdraws_and_restores_an_article_or_a_figure(client, db, login_as, world, kind):
    # There was no way to take a wrong figure or a test article off the public site.
    login_as(Role.EDITOR)
    record_id = getattr(world, kind)
    public, api = f"/{kind}s/{record_id}", f"/api/v1/{kind}s/{record_id}"
    assert client.get(public).status_code == 200

    response = client.post(f"/desk/{kind}s/{record_id}/withdraw", follow_redirects=True)
    assert "withdrawn from the public site" in page_text(response)
    assert "Put it back on the public site" in page_text(response)  # the desk page stays
    assert client.get(public).status_code == 404 and client.get(api).status_code == 404

    response = client.post(f"/desk/{kind}s/{record_id}/restore", follow_redirects=True)
    assert "back on the public site" in page_text(response)
    assert client.get(public).status_code == 200
    actions = db.scalars(
        select(AuditEvent.action).where(
            AuditEvent.entity_type == kind, AuditEvent.entity_id == record_id
        )
    ).all()
    assert actions[-2:] == ["withdraw", "restore"]


def test_an_analyst_may_not_withdraw_and_does_not_see_withdrawn_records(
    client, db, login_as, world
):
    login_as(Role.ANALYST)
    page = page_text(client.get(f"/desk/figures/{world.figure}"))
    assert "Withdraw from the public site" not in page
    assert client.post(f"/desk/figures/{world.figure}/withdraw").status_code == 403
    assert client.get(f"/figures/{world.figure}").status_code == 200


def test_the_service_refuses_an_analyst_too(db, world):
    from tests.factories import make_user
    from tracker.audit import Actor
    from tracker.errors import PermissionDenied
    from tracker.models import Figure
    from tracker.services import withdrawal

    analyst = make_user(db, Role.ANALYST)
    with pytest.raises(PermissionDenied, match="Only editors"):
        withdrawal.withdraw(db, db.get(Figure, world.figure), by=Actor(analyst))
