"""Duplicates at entry: the same or nearly the same claim is shown before it is saved
again, on the new and the edit form and from a page's ClaimReview (both databases)."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from tests.capture_support import file_page, standard_server
from tests.desk_support import article_form, claim_form, page_text
from tests.factories import make_claim, make_user
from tracker.models import Claim, ClaimStatus, Role
from tracker.services.indexing import reindex_claims
from tracker.xref.fingerprint import near_identical

QUEUES = "People are queueing for bread in Kharkiv since the bridge was destroyed."


def recorded(db, text: str, **fields) -> Claim:
    """A claim as the app stores it: in the database and in the search index."""
    claim = make_claim(db, text, **fields)
    reindex_claims(db, [claim.id])
    db.commit()
    return claim


def count(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Claim))


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        (QUEUES, QUEUES.replace("queueing", "queuing"), True),
        (
            "NATO troops are secretly fighting in Kharkiv.",
            "NATO troops are fighting in Kharkiv",
            True,
        ),
        ("«Киев» обстрелян", "Киев обстрелян!", True),
        ("Kyiv was shelled", "Kyiv was not shelled", False),
        ("Biolabs in Ukraine make weapons", "Vaccines in Ukraine are poison", False),
    ],
)
def test_near_identical_texts(first, second, same):
    assert near_identical(first, second) is same


def test_a_spelling_variant_is_shown_before_saving(client, db, login_as):
    login_as(Role.ANALYST)
    existing = recorded(db, QUEUES, status=ClaimStatus.PUBLISHED)
    response = client.post(
        "/desk/claims/new", data=claim_form(QUEUES.replace("queueing", "queuing"))
    )
    page = page_text(response)
    assert "This claim is already recorded" in page and f"Claim {existing.id}" in page
    assert count(db) == 1


def test_a_claim_with_one_word_less_is_shown_before_saving(client, db, login_as):
    login_as(Role.ANALYST)
    existing = recorded(db, QUEUES, status=ClaimStatus.PUBLISHED)
    response = client.post("/desk/claims/new", data=claim_form(QUEUES.replace(" since", "")))
    assert f"Claim {existing.id}" in page_text(response)
    assert count(db) == 1


def test_a_different_claim_is_saved_without_a_warning(client, db, login_as):
    login_as(Role.ANALYST)
    recorded(db, QUEUES, status=ClaimStatus.PUBLISHED)
    response = client.post(
        "/desk/claims/new", data=claim_form("Bread is rationed in Kharkiv since the winter.")
    )
    assert response.status_code == 302
    assert count(db) == 2


def test_another_analysts_draft_is_mentioned_without_its_text(client, db, login_as):
    login_as(Role.ANALYST)
    someone = make_user(db, Role.ANALYST)
    recorded(db, QUEUES, author=someone, status=ClaimStatus.DRAFT)
    response = client.post(
        "/desk/claims/new", data=claim_form(QUEUES.replace("Kharkiv", "Kharkov"))
    )
    page = html.unescape(page_text(response))
    assert "Another analyst has a draft with the same or nearly the same text." in page
    assert "Claim " not in page.split("This claim is already recorded")[1].split("<form")[0]
    assert count(db) == 1


def test_an_edit_that_makes_a_claim_a_copy_of_another_is_stopped(client, db, login_as):
    analyst = login_as(Role.ANALYST)
    first = recorded(db, QUEUES, status=ClaimStatus.PUBLISHED)
    mine = recorded(db, "Something else entirely happened in Odesa.", author=analyst)
    response = client.post(
        f"/desk/claims/{mine.id}/edit", data=claim_form(QUEUES, version=str(mine.version))
    )
    assert f"Claim {first.id}" in page_text(response)
    db.refresh(mine)
    assert mine.text == "Something else entirely happened in Odesa."
    data = claim_form(QUEUES, version=str(mine.version))
    data.pop("save")
    data["save_anyway"] = "Save as a new claim anyway"
    assert client.post(f"/desk/claims/{mine.id}/edit", data=data).status_code == 302
    db.refresh(mine)
    assert mine.text == QUEUES


def test_an_edit_that_keeps_the_text_is_not_stopped(client, db, login_as):
    analyst = login_as(Role.ANALYST)
    recorded(db, QUEUES, status=ClaimStatus.PUBLISHED)
    mine = recorded(db, QUEUES, author=analyst)  # saved anyway, earlier
    response = client.post(
        f"/desk/claims/{mine.id}/edit",
        data=claim_form(QUEUES, summary_en="Queues.", version=str(mine.version)),
    )
    assert response.status_code == 302


@pytest.fixture(scope="module")
def server():
    fixture = standard_server()
    # The same fact-check page under a second address.
    fixture.routes["/article-again"] = file_page("article_claimreview.html")
    yield fixture
    fixture.stop()


def test_a_claimreview_does_not_create_a_second_draft_of_a_recorded_claim(
    app, client, db, login_as, server
):
    app.config["CAPTURE_ALLOW_PRIVATE"] = True
    login_as(Role.ANALYST)
    counts = []
    for path in ("/article", "/article-again"):
        url = server.url(path)
        snapshot_id = client.post("/desk/capture", data={"url": url}).get_json()["snapshot_id"]
        response = client.post(
            "/desk/articles/new",
            data=article_form(url=url, snapshot_id=str(snapshot_id), create_claim="y"),
        )
        assert response.status_code == 302
        counts.append(count(db))
    assert counts[0] > 0 and counts[1] == counts[0]
    page = html.unescape(page_text(client.get(response.headers["Location"])))
    assert "No draft claim created from the page's ClaimReview: claim " in page


# --- "Add my link(s) to claim N": the duplicates panel's way out ---------------------------


def add_links(client, claim_id: int, rows: list[dict[str, str]]):
    data = {}
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"appearances-{index}-{name}"] = value
    return client.post(f"/desk/claims/{claim_id}/appearances", data=data)


def test_the_panel_carries_every_row_to_the_existing_claim(client, db, login_as):
    login_as(Role.ANALYST)
    existing = recorded(db, QUEUES, status=ClaimStatus.PUBLISHED)
    rows = [
        {"url": "https://one.example/a", "appeared_on": "2024-05-01", "outlet": "One Daily"},
        {"url": "https://two.example/b"},
    ]
    page = page_text(
        client.post(
            "/desk/claims/new",
            data=claim_form(QUEUES, appearances=[{**rows[0], "create_outlet": "y"}, rows[1]]),
        )
    )
    form = page.split(f'action="/desk/claims/{existing.id}/appearances"')[1].split("</form>")[0]
    for needle in (
        'name="appearances-0-url" value="https://one.example/a"',
        'name="appearances-0-appeared_on" value="2024-05-01"',
        'name="appearances-0-outlet" value="One Daily"',
        'name="appearances-0-create_outlet" value="y"',
        'name="appearances-1-url" value="https://two.example/b"',
    ):
        assert needle in form


def test_a_new_outlet_typed_in_a_row_is_created_with_the_link(client, db, login_as):
    from tracker.models import Appearance, Outlet

    login_as(Role.ANALYST)
    existing = recorded(db, QUEUES, status=ClaimStatus.PUBLISHED)
    response = add_links(
        client,
        existing.id,
        [{"url": "https://one.example/a", "outlet": "One Daily", "create_outlet": "y"}],
    )
    assert response.status_code == 302
    appearance = db.scalar(select(Appearance).where(Appearance.url == "https://one.example/a"))
    assert appearance.outlet_id == db.scalar(select(Outlet.id).where(Outlet.name == "One Daily"))


def test_an_unknown_outlet_without_the_tick_is_refused_not_dropped(client, db, login_as):
    login_as(Role.ANALYST)
    existing = recorded(db, QUEUES, status=ClaimStatus.PUBLISHED)
    response = add_links(client, existing.id, [{"url": "https://one.example/a", "outlet": "Nope"}])
    assert response.status_code == 400
    assert "No outlet is called “Nope”" in html.unescape(page_text(response))


def test_one_bad_row_shows_every_row_again_with_the_reason(client, db, login_as):
    from tracker.models import Appearance

    login_as(Role.ANALYST)
    existing = recorded(db, QUEUES, status=ClaimStatus.PUBLISHED)
    response = add_links(
        client,
        existing.id,
        [
            {"url": "https://one.example/a", "appeared_on": "2024-05-01"},
            {"url": "https://two.example/b", "appeared_on": "2999-01-01"},
        ],
    )
    page = html.unescape(page_text(response))
    assert response.status_code == 400
    assert "is in the future" in page
    assert 'value="https://one.example/a"' in page and 'value="https://two.example/b"' in page
    assert 'value="2999-01-01"' in page
    assert db.scalar(select(func.count()).select_from(Appearance)) == 0
