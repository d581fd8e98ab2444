"""In a real browser: search with filters, open a claim, follow the archived copy; screenshots."""

from __future__ import annotations

import pytest

from tests.public_support import build_world

pytestmark = pytest.mark.browser


@pytest.fixture
def world(app):
    session = app.extensions["tracker.db"]["sessionmaker"]()
    try:
        yield build_world(session)
    finally:
        session.close()


def test_filter_the_claims_open_one_and_follow_the_archived_copy(live_server, page, world):
    page.goto(f"{live_server.url}/search")
    page.get_by_text("Filters", exact=True).click()
    page.get_by_label("False", exact=True).check()
    page.get_by_label("Language code").fill("en")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/search?**verdict=false**")
    results = page.locator(".claim-card")
    assert results.count() == 2  # the English false claims: en and the retracted one
    assert page.get_by_text("Verdict: False").is_visible()

    page.get_by_role("link", name="Russia has recruited tens of thousands").click()
    page.wait_for_url(f"**/claims/{world.en}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Claim:")
    assert page.get_by_text("First appearance").is_visible()

    page.get_by_role("link", name="Archived copy").click()
    page.wait_for_url(f"**/snapshots/{world.snapshot}")
    assert page.get_by_text("Archived page text.").is_visible()
    assert page.get_by_role("link", name="https://zarya-test.example/news/1").is_visible()


def test_keyboard_reaches_the_search_box_from_the_skip_link(live_server, page, world):
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"


@pytest.mark.parametrize("width", [360, 1280])
def test_pages_fit_the_screen_and_are_captured(live_server, page, world, width, tmp_path):
    page.set_viewport_size({"width": width, "height": 800})
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    for path in ["/", "/search", f"/claims/{world.en}", f"/outlets/{world.outlet}",
                 f"/figures/{world.figure}"]:  # fmt: skip
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (path, width, overflow)
        shot = tmp_path / f"{path.strip('/').replace('/', '-') or 'home'}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 5_000
    # The Content-Security-Policy (no inline scripts or styles) is never violated.
    assert [m for m in console if "Content Security Policy" in m] == []
