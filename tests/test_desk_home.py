"""The desk home's filters (test client, both databases)."""

from __future__ import annotations

from tests.desk_support import page_text
from tests.factories import make_claim, make_narrative
from tracker.models import ClaimStatus, Role


def test_the_narrative_filter_is_a_control_on_the_page(client, db, login_as):
    login_as(Role.ANALYST)
    narrative = make_narrative(db, "Water poisoning")
    db.commit()
    page = page_text(client.get("/desk/"))
    assert '<select id="narrative" name="narrative">' in page
    assert f'<option value="{narrative.id}" >Water poisoning</option>' in page


def test_the_narrative_filter_keeps_only_its_claims(client, db, login_as):
    login_as(Role.ANALYST)
    narrative = make_narrative(db, "Water poisoning")
    tagged = make_claim(db, "Wells were poisoned by volunteers.", status=ClaimStatus.PUBLISHED)
    tagged.narratives.append(narrative)
    make_claim(db, "Grain is stolen by the army.", status=ClaimStatus.PUBLISHED)
    db.commit()
    page = page_text(client.get(f"/desk/?narrative={narrative.id}"))
    results = page[page.index("All claims you can see") :]
    assert "Wells were poisoned" in results and "Grain is stolen" not in results
    assert f'<option value="{narrative.id}" selected>' in results
