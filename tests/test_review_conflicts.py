"""Two editors save the same claim: the second is refused, even when both pass the version
check before either writes (the race is caught by the version column in the UPDATE)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import make_claim, make_user
from tracker.audit import Actor
from tracker.errors import EditConflict
from tracker.models import AuditEvent, Claim, Role
from tracker.services import claims as claim_service


def _edit(text: str) -> claim_service.ClaimInput:
    return claim_service.ClaimInput(text=text, language="en")


def test_a_save_that_lost_the_race_after_the_version_check_is_a_conflict(app, db):
    first_editor, second_editor = make_user(db, Role.EDITOR), make_user(db, Role.EDITOR)
    claim_id = make_claim(db, "As it was.").id
    db.commit()
    theirs = app.extensions["tracker.db"]["sessionmaker"]()
    try:
        # Both editors load version 1 and both pass the version check...
        stale = theirs.get(Claim, claim_id)
        assert stale.version == 1
        _ = (stale.narratives, stale.countries, stale.appearances)
        theirs.commit()  # ends the read, keeps the loaded (now stale) values
        # ...then the first one writes.
        mine = db.get(Claim, claim_id)
        claim_service.update_claim(
            db, mine, _edit("First save."), expected_version=1, by=Actor(first_editor)
        )
        db.commit()
        with pytest.raises(EditConflict, match="at the same moment"):
            claim_service.update_claim(
                theirs,
                stale,
                _edit("Second save."),
                expected_version=1,
                by=Actor(second_editor),
            )
    finally:
        theirs.close()
    db.expire_all()
    saved = db.get(Claim, claim_id)
    assert (saved.text, saved.version) == ("First save.", 2)
    actors = db.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "update")).all()
    assert actors == [first_editor.id]
