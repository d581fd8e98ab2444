"""Input the database cannot store (NUL characters, numbers too large for an id) is
refused or cleaned before it reaches it: never a 500 or a "database down" 503, and the
form keeps what was typed (test client, both databases)."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DataError, OperationalError, ProgrammingError

from tests.desk_support import article_form, claim_form, figure_form, page_text
from tests.factories import make_claim
from tracker.models import Article, Claim, Figure, Narrative, Outlet, Role

HUGE = "99999999999"


def text_of(response) -> str:
    return html.unescape(page_text(response))


def test_a_nul_in_the_claim_text_and_summary_is_dropped(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post(
        "/desk/claims/new",
        data=claim_form("Bridges were mined\x00 by saboteurs.", summary_en="Mined\x00 bridges."),
    )
    assert response.status_code == 302
    claim = db.scalar(select(Claim))
    assert (claim.text, claim.summary_en) == ("Bridges were mined by saboteurs.", "Mined bridges.")


def test_other_control_characters_are_dropped_too(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post(
        "/desk/claims/new",
        data=claim_form("Bridges\x0b were mined\x08.", summary_en="Mined\x01 bridges.\x7f"),
    )
    assert response.status_code == 302
    claim = db.scalar(select(Claim))
    assert (claim.text, claim.summary_en) == ("Bridges were mined.", "Mined bridges.")


def test_a_nul_in_an_article_title_is_dropped(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post("/desk/articles/new", data=article_form(title="Gas\x00 prices"))
    assert response.status_code == 302
    assert db.scalar(select(Article.title)) == "Gas prices"


def test_a_nul_in_an_outlet_name_is_dropped(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post(
        "/desk/outlets/new",
        data={"name": "Daily\x00 Star", "kind": "news_site", "country": "", "handles": ""},
    )
    assert response.status_code == 302
    assert db.scalar(select(Outlet.name)) == "Daily Star"


def test_a_nul_in_a_narrative_name_is_dropped(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post("/desk/narratives/new", data={"name": "Water\x00 poisoning"})
    assert response.status_code == 302
    assert db.scalar(select(Narrative.name)) == "Water poisoning"


def test_the_outlet_lookup_ignores_a_nul(client, login_as):
    login_as(Role.ANALYST)
    response = client.get("/desk/outlets/lookup?q=a%00")
    assert response.status_code == 200 and response.get_json() == {"outlets": []}


def test_services_refuse_a_nul_with_a_message(db):
    from tracker.audit import SYSTEM
    from tracker.errors import ValidationFailed
    from tracker.services.claims import ClaimInput, create_claim

    with pytest.raises(ValidationFailed) as caught:
        create_claim(db, ClaimInput(text="Bridges\x00 were mined.", language="en"), by=SYSTEM)
    assert "NUL" in caught.value.errors["text"][0]


@pytest.mark.parametrize(
    ("field", "message"),
    [("figure_refs", f"There is no figure {HUGE}."), ("article_refs", f"no debunk article {HUGE}")],
)
def test_a_link_number_too_large_is_refused_next_to_the_field(client, db, login_as, field, message):
    login_as(Role.ANALYST)
    response = client.post("/desk/claims/new", data=claim_form("Typed text.", **{field: HUGE}))
    page = text_of(response)
    assert response.status_code == 400
    assert message in page and "Typed text." in page
    assert db.scalar(select(Claim)) is None


def test_a_figures_article_number_too_large_is_refused(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post("/desk/figures/new", data=figure_form(article_id=HUGE))
    assert response.status_code == 400
    assert "There is no debunk article with this number." in text_of(response)
    assert db.scalar(select(Figure)) is None


@pytest.mark.parametrize("name", ["outlet", "narrative", "assignee"])
def test_a_desk_filter_too_large_is_ignored_with_a_notice(client, login_as, name):
    login_as(Role.EDITOR)
    for path in ("/desk/", "/desk/review"):
        response = client.get(f"{path}?{name}={HUGE}")
        assert response.status_code == 200
        assert f"“{HUGE}”; that filter was ignored." in text_of(response)


@pytest.mark.parametrize("snapshot_id", ["999999", HUGE, "²"])
def test_an_article_with_an_unknown_snapshot_number_is_saved_without_it(
    client, db, login_as, snapshot_id
):
    login_as(Role.ANALYST)
    response = client.post(
        "/desk/articles/new",
        data=article_form(url="https://factcheck.example/gas", snapshot_id=snapshot_id),
    )
    assert response.status_code == 302
    assert db.scalar(select(Article.snapshot_id)) is None


def test_a_version_that_is_not_a_number_is_a_conflict_not_a_crash(client, db, login_as):
    analyst = login_as(Role.ANALYST)
    claim = make_claim(db, "Original.", author=analyst)
    db.commit()
    response = client.post(
        f"/desk/claims/{claim.id}/edit", data=claim_form("Changed.", version="²")
    )
    assert response.status_code == 409
    db.refresh(claim)
    assert claim.text == "Original."


@pytest.fixture
def failing_routes(app, monkeypatch):
    """Two routes that fail the way a refused value and a lost connection do."""
    from tracker.auth.access import ENDPOINT_ACCESS, Access

    def refused():
        raise DataError("INSERT ...", {}, Exception("value out of range"))

    def lost():
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    def broken():
        raise ProgrammingError("SELECT x FROM nowhere", {}, Exception("no such table"))

    app.add_url_rule("/test-refused", "test_refused", refused)
    app.add_url_rule("/test-lost", "test_lost", lost)
    app.add_url_rule("/test-broken", "test_broken", broken)
    for endpoint in ("test_refused", "test_lost", "test_broken"):
        monkeypatch.setitem(ENDPOINT_ACCESS, endpoint, Access.PUBLIC)
    return app


def test_a_value_the_database_refuses_is_not_called_an_outage(failing_routes):
    client = failing_routes.test_client()
    refused = client.get("/test-refused")
    assert refused.status_code == 400
    assert "cannot be reached" not in page_text(refused)
    lost = client.get("/test-lost")
    assert lost.status_code == 503
    assert "The database cannot be reached right now" in page_text(lost)


def test_a_query_the_database_cannot_run_is_our_error(failing_routes):
    broken = failing_routes.test_client().get("/test-broken")
    assert broken.status_code == 500
    assert "cannot be reached" not in page_text(broken) and "no such table" not in page_text(broken)
