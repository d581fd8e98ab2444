"""In a real browser: search with filters, open a claim, follow the archived copy; screenshots."""

from __future__ import annotations

import os
from pathlib import Path

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
    page.get_by_label("Language", exact=True).fill("en")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/search?**verdict=false**")
    results = page.locator(".claim-card")
    # The English claim rated false (the retracted one's "false" was withdrawn).
    assert results.count() == 1
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


# Each page and what must be on screen there, at every width.
KEY_ELEMENTS = {
    "/": ["#q", ".counts"],
    "/search?q=Moscow": ["#q", ".claim-card", ".claim-card .badge", ".results-count"],
    "/claims/{en}": ["h1", ".claim-verdict .badge", ".archive-link"],
    "/outlets/{outlet}": ["h1", ".share-chart meter", ".chart"],
    "/figures/{figure}": ["h1", ".big-number"],
}


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory) -> Path:
    """Where the screenshots go for review: TRACKER_SCREENSHOT_DIR, or pytest's temp folder."""
    folder = os.environ.get("TRACKER_SCREENSHOT_DIR")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _off_screen(page, selectors: list[str], width: int) -> list[str]:  # type: ignore[no-untyped-def]
    """The selectors whose first element is hidden or sticks out of the viewport's width."""
    wrong = []
    for selector in selectors:
        element = page.locator(selector).first
        box = element.bounding_box() if element.count() and element.is_visible() else None
        if box is None or box["x"] < 0 or box["x"] + box["width"] > width + 0.5:
            wrong.append(selector)
    return wrong


@pytest.mark.parametrize("width", [360, 1280])
def test_pages_fit_the_screen_and_are_captured(live_server, page, world, width, screenshot_dir):
    page.set_viewport_size({"width": width, "height": 800})
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    problems = {}
    for template, selectors in KEY_ELEMENTS.items():
        path = template.format(en=world.en, outlet=world.outlet, figure=world.figure)
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        wrong = _off_screen(page, selectors, width)
        if overflow > 0 or wrong:
            problems[path] = (overflow, wrong)
        name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"
        shot = screenshot_dir / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 5_000
    assert problems == {}
    # The Content-Security-Policy (no inline scripts or styles) is never violated.
    assert [m for m in console if "Content Security Policy" in m] == []


# No place to break after the host (hyphens and spaces would be one).
LONG_URL = "https://example.org/" + "abcdefghij" * 15


def _overflow(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_long_unbroken_text_wraps_on_a_small_screen(live_server, page, world):
    # A searched address in the results heading, an outlet name in a notice and a checked
    # claim that quotes a link each widened the page at 360 px (no place to break).
    page.set_viewport_size({"width": 360, "height": 800})
    widths = {}
    page.goto(f"{live_server.url}/search?outlet={'x' * 120}")
    widths["notice"] = _overflow(page)
    page.goto(f"{live_server.url}/search?q=Moscow")
    page.locator(".results-count").evaluate(f"h => h.textContent = {LONG_URL!r}")
    widths["results heading"] = _overflow(page)
    page.goto(f"{live_server.url}/check")
    page.get_by_label("Text to check").fill("Russia has recruited tens of thousands in Moscow")
    page.get_by_role("button", name="Check").click()
    page.locator(".claim-item a").first.evaluate(f"a => a.textContent = {LONG_URL!r}")
    widths["checked claim"] = _overflow(page)
    assert widths == dict.fromkeys(widths, 0)


@pytest.mark.parametrize("width", [360, 1280])
def test_chart_labels_stay_readable(live_server, page, world, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/outlets/{world.outlet}")
    heights = page.eval_on_selector_all(
        ".chart .chart-label", "labels => labels.map(l => l.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 9  # pixels on screen, whatever the SVG's scale
