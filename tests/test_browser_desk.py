"""In a real browser: recording a claim from a pasted link, and the review workflow."""

from __future__ import annotations

import pytest

from tests.capture_support import standard_server
from tests.factories import PASSWORD, make_outlet, make_user
from tracker.extensions import db as database
from tracker.models import Role

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pages_server():
    server = standard_server()
    yield server
    server.stop()


def people(app, *roles_and_names):
    """Create users directly in the live server's database."""
    with app.app_context():
        created = [make_user(database.session, role, name=name) for role, name in roles_and_names]
        database.session.commit()
        return [(u.email, u.name) for u in created]


def sign_in(page, base, email):
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/desk/")


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_an_analyst_records_a_claim_from_a_pasted_link(live_server, page, pages_server):
    live_server.app.config["CAPTURE_ALLOW_PRIVATE"] = True
    with live_server.app.app_context():
        make_outlet(database.session, "Loopback Daily", domain="127.0.0.1")
        database.session.commit()
    [(analyst, _)] = people(live_server.app, (Role.ANALYST, "Anna Analyst"))
    base = live_server.url
    sign_in(page, base, analyst)
    page.goto(f"{base}/desk/claims/new")
    page.get_by_label("The claim, as it was made").fill(
        "В Москве за год завербовали десятки тысяч иностранцев."
    )
    link = page.locator("#appearances-0-url")
    link.fill(pages_server.url("/russian"))
    link.press("Tab")
    status = page.locator(".capture-status").first
    status.filter(has_text="Archived").wait_for()
    assert page.locator("#appearances-0-outlet").input_value() == "Loopback Daily"
    assert page.locator("#language").input_value() == "ru"
    assert page.locator("#appearances-0-snapshot_id").input_value().isdigit()

    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Claim saved as a draft.").wait_for()
    assert page.get_by_text("Archived", exact=False).first.is_visible()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted for review.").wait_for()
    assert page.locator(".claim-header .status-in_review").is_visible()


def test_return_fix_resubmit_and_publish_by_a_second_editor(live_server, page):
    accounts = people(
        live_server.app,
        (Role.ANALYST, "Anna Analyst"),
        (Role.EDITOR, "Erik Editor"),
        (Role.EDITOR, "Elena Editor"),
    )
    (analyst, _), (editor, _), (second_editor, _) = accounts
    base = live_server.url

    sign_in(page, base, analyst)
    page.goto(f"{base}/desk/claims/new")
    page.get_by_label("The claim, as it was made").fill(
        "Hundreds of Western instructors are secretly stationed in Kharkiv."
    )
    page.get_by_label("Proposed verdict").select_option("unproven")
    page.get_by_label("Rationale (Markdown)").fill("No evidence either way.")
    page.get_by_role("button", name="Save and submit for review").click()
    page.get_by_text("Claim saved and submitted for review.").wait_for()
    claim_url = page.url
    sign_out(page)

    sign_in(page, base, editor)
    page.goto(f"{base}/desk/review")
    page.get_by_role("link", name="Hundreds of Western instructors").click()
    page.get_by_label("Comment for the analyst").fill("Please add the first appearance.")
    page.get_by_role("button", name="Return to the analyst").click()
    page.get_by_text("Returned to the analyst.").wait_for()
    sign_out(page)

    sign_in(page, base, analyst)
    page.get_by_text("Please add the first appearance.").wait_for()
    page.goto(claim_url)
    page.get_by_role("link", name="Edit").click()
    page.locator("#appearances-0-url").fill("https://unreachable.invalid/kharkiv")
    page.get_by_role("button", name="Save and submit for review").click()
    page.get_by_text("Claim saved and submitted for review.").wait_for()
    sign_out(page)

    sign_in(page, base, second_editor)
    page.goto(claim_url)
    page.get_by_role("button", name="Publish", exact=True).click()
    page.get_by_text("Published: the claim is on the public site.").wait_for()
    history = page.locator("#history").inner_text()
    steps = [line.split(" by ")[0].strip() for line in history.splitlines() if " by " in line]
    decided = {"Submitted for review", "Returned to the analyst", "Published"}
    assert [s for s in steps if s in decided] == [
        "Submitted for review",
        "Returned to the analyst",
        "Submitted for review",
        "Published",
    ]


def test_desk_pages_fit_a_small_screen(live_server, page):
    # A visually hidden table header once sat outside its scroll box and widened the page.
    from tests.factories import make_claim

    with live_server.app.app_context():
        outlet = make_outlet(database.session, "Narrow Screen Daily", domain="narrow.example")
        claim = make_claim(database.session, "A claim with a link.", outlet=outlet)
        database.session.commit()
        claim_id = claim.id
    [(admin, _)] = people(live_server.app, (Role.ADMIN, "Ada Admin"))
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, live_server.url, admin)
    overflow = {}
    for path in ("/desk/", f"/desk/claims/{claim_id}", "/desk/outlets/", "/desk/tokens"):
        page.goto(f"{live_server.url}{path}")
        overflow[path] = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
    # A new token is shown once, in one unbroken line (most have no '-' to break at).
    page.get_by_label("Name").fill("narrow screen")
    page.get_by_role("button", name="Create token").click()
    # Measured once the stylesheets are in: without them the line does not wrap.
    page.wait_for_load_state("load")
    page.locator("code.token-value").evaluate("code => code.textContent = 'x'.repeat(64)")
    overflow["new token"] = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow == dict.fromkeys(overflow, 0)


def test_a_step_that_cannot_be_undone_asks_first(live_server, page):
    [(admin, _), (_email, _name)] = people(
        live_server.app, (Role.ADMIN, "Ada Admin"), (Role.ANALYST, "Oleh Analyst")
    )
    sign_in(page, live_server.url, admin)
    page.goto(f"{live_server.url}/desk/users")
    deactivate = page.get_by_role("button", name="Deactivate Oleh Analyst")
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, False))
    deactivate.click()
    assert page.get_by_role("button", name="Deactivate Oleh Analyst").is_visible()
    page.once("dialog", lambda dialog: answer(dialog, True))
    deactivate.click()
    page.get_by_role("button", name="Reactivate Oleh Analyst").wait_for()
    assert asked == [asked[0]] * 2 and "Deactivate Oleh Analyst?" in asked[0]


def test_a_refused_form_puts_the_focus_on_what_is_wrong(live_server, page):
    [(analyst, _)] = people(live_server.app, (Role.ANALYST, "Anna Analyst"))
    sign_in(page, live_server.url, analyst)
    page.goto(f"{live_server.url}/desk/claims/new")
    page.locator("#appearances-0-url").fill("ftp://bad.example/a")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state("load")
    focused = page.evaluate("document.activeElement.className")
    assert "error-summary" in focused
    page.get_by_role("link", name="Link 1").click()
    assert page.evaluate("document.activeElement.id") == "appearances-0-url"
