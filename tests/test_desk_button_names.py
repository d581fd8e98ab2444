"""Buttons and links repeated down a list name their record for a screen reader."""

from __future__ import annotations

from tests.desk_support import page_text
from tests.factories import make_narrative, make_outlet, make_user
from tracker.models import Role


def test_list_actions_name_their_record(client, db, login_as):
    login_as(Role.ADMIN)
    make_user(db, name="Oleh Analyst")
    make_outlet(db, "Daily Star")
    make_narrative(db, "Western fatigue")
    db.commit()
    assert 'Change<span class="visually-hidden"> the role of Oleh Analyst</span>' in page_text(
        client.get("/desk/users")
    )
    outlets = page_text(client.get("/desk/outlets/"))
    assert 'Edit<span class="visually-hidden"> Daily Star</span>' in outlets
    assert 'Merge<span class="visually-hidden"> Daily Star</span>' in outlets
    narratives = page_text(client.get("/desk/narratives/"))
    assert 'Edit<span class="visually-hidden"> Western fatigue</span>' in narratives
