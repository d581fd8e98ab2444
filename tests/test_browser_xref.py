"""In a real browser: typing a Russian claim brings up the English debunk and the figure check."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_user
from tests.xref_app_support import RUSSIAN_CLAIM, engine_with_vectors, seed
from tracker.extensions import db as database
from tracker.models import Role

pytestmark = pytest.mark.browser


def test_typing_a_russian_claim_shows_the_english_debunk_and_the_figure_check(live_server, page):
    app = live_server.app
    app.config["XREF_REFRESH_SECONDS"] = 0
    with app.app_context():
        seed(database.session)
        engine_with_vectors(database.session)
        analyst = make_user(database.session, Role.ANALYST)
        database.session.commit()
        email = analyst.email
    base = live_server.url
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/desk/")

    page.goto(f"{base}/desk/claims/new")
    page.get_by_label("The claim, as it was made").press_sequentially(RUSSIAN_CLAIM, delay=5)
    panel = page.locator(".xref-panel")
    panel.get_by_role("link", name="Foreign recruitment in Moscow").wait_for()
    assert panel.get_by_text("at least 6.7x lower").is_visible()
    assert panel.get_by_text("across languages: Russian → English").is_visible()
    # Beside the form the panel needs no pointer; on a phone it is below the whole form,
    # and a line under the claim's text says that it has something.
    jump = page.locator(".xref-jump a")
    assert not jump.is_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    assert jump.is_visible()
    assert "suggestions: see “Already known?” below the form" in jump.inner_text()
