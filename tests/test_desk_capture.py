"""Pasting a URL in the desk: fetched from a real HTTP server on loopback and archived."""

from __future__ import annotations

import gzip
import re

import pytest
from sqlalchemy import select

from tests.capture_support import standard_server
from tests.desk_support import claim_form, page_text
from tests.factories import make_claim, make_outlet
from tracker.models import Appearance, Article, Claim, Role, Snapshot


@pytest.fixture(scope="module")
def server():
    fixture = standard_server()
    yield fixture
    fixture.stop()


@pytest.fixture
def private_ok(app):
    """The test-only switch TRACKER_CAPTURE_ALLOW_PRIVATE: lets capture reach loopback."""
    app.config["CAPTURE_ALLOW_PRIVATE"] = True
    return app


def capture(client, url):
    return client.post("/desk/capture", data={"url": url})


def test_capture_fills_in_what_the_page_says_and_stores_a_snapshot(
    client, db, login_as, server, private_ok
):
    login_as(Role.ANALYST)
    response = capture(client, server.url("/russian"))
    body = response.get_json()
    assert response.status_code == 200 and body["ok"]
    assert body["language"] == "ru" and body["title"]
    snapshot = db.get(Snapshot, body["snapshot_id"])
    assert snapshot.original_url == server.url("/russian")
    assert snapshot.http_status == 200 and len(snapshot.sha256) == 64
    assert gzip.decompress(snapshot.raw_compressed).startswith(b"<!")
    assert snapshot.text and snapshot.fetched_at.tzinfo is not None


def test_capture_proposes_the_outlet_from_the_domain(client, db, login_as, server, private_ok):
    login_as(Role.ANALYST)
    outlet = make_outlet(db, "Loopback Daily", domain="127.0.0.1")
    db.commit()
    assert capture(client, server.url("/article")).get_json()["outlet"] == {
        "id": outlet.id,
        "name": "Loopback Daily",
    }


def test_capture_reads_claimreview_in_the_page(client, login_as, server, private_ok):
    login_as(Role.ANALYST)
    review = capture(client, server.url("/article")).get_json()["claim_reviews"][0]
    assert review["claim_reviewed"] and review["rating_text"]


@pytest.mark.parametrize(
    ("path", "code", "words"),
    [
        ("/404", "http_client_error", "404"),
        ("/500", "http_server_error", "500"),
        ("/document.pdf", "not_html", "PDF"),
        ("/image.png", "not_html", "image"),
        ("/empty", "no_text", "no readable main text"),
    ],
)
def test_pages_that_cannot_be_read_give_a_specific_message(
    client, db, login_as, server, private_ok, path, code, words
):
    login_as(Role.ANALYST)
    body = capture(client, server.url(path)).get_json()
    assert body["ok"] is False
    assert body["error"]["code"] == code
    assert words in body["error"]["message"]
    assert db.get(Snapshot, body["snapshot_id"]).error_code == code


def test_a_page_over_the_size_limit_is_refused(client, login_as, server, private_ok):
    login_as(Role.ANALYST)
    private_ok.config["CAPTURE_MAX_BYTES"] = 100_000
    body = capture(client, server.url("/huge")).get_json()
    assert body["error"]["code"] == "too_large"


def test_a_slow_page_times_out(client, login_as, server, private_ok):
    login_as(Role.ANALYST)
    private_ok.config["CAPTURE_TIMEOUT_SECONDS"] = 1.0
    body = capture(client, server.url("/slow")).get_json()
    assert body["error"]["code"] == "timeout"


def test_a_windows_1251_page_is_decoded(client, login_as, server, private_ok):
    login_as(Role.ANALYST)
    body = capture(client, server.url("/cp1251-plain")).get_json()
    assert body["ok"] and body["language"] == "ru"


def test_a_redirect_chain_is_followed(client, db, login_as, server, private_ok):
    login_as(Role.ANALYST)
    body = capture(client, server.url("/three/3")).get_json()
    assert body["ok"]
    assert db.get(Snapshot, body["snapshot_id"]).final_url == server.url("/article")


def test_loopback_is_refused_without_the_test_switch(client, login_as, server):
    login_as(Role.ANALYST)
    body = capture(client, server.url("/russian")).get_json()
    assert body["error"]["code"] == "blocked_address"


def test_an_invalid_url_is_a_clear_400(client, login_as):
    login_as(Role.ANALYST)
    response = capture(client, "javascript:alert(1)")
    assert response.status_code == 400
    assert response.get_json()["message"] == "Use an http:// or https:// address."


def test_an_unreachable_host_does_not_block_saving(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post(
        "/desk/claims/new",
        data=claim_form(appearances=[{"url": "https://unreachable.invalid/story"}]),
    )
    assert response.status_code == 302
    [appearance] = db.scalars(select(Appearance)).all()
    assert appearance.snapshot.error_code == "dns_failure"
    page = page_text(client.get(response.headers["Location"]))
    assert "Not archived" in page and "Fetch again" in page


def test_a_failed_capture_can_be_retried(client, db, login_as, server, private_ok):
    analyst = login_as(Role.ANALYST)
    claim = make_claim(db, author=analyst, url=server.url("/russian"))
    db.commit()
    appearance = claim.appearances[0]
    response = client.post(f"/desk/appearances/{appearance.id}/recapture")
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Appearance, appearance.id).snapshot.ok


def test_saving_a_claim_attaches_the_snapshot_made_at_paste_time(
    client, db, login_as, server, private_ok
):
    login_as(Role.ANALYST)
    url = server.url("/russian")
    snapshot_id = capture(client, url).get_json()["snapshot_id"]
    fetches = server.paths().count("/russian")
    client.post(
        "/desk/claims/new",
        data=claim_form(appearances=[{"url": url, "snapshot_id": str(snapshot_id)}]),
    )
    claim = db.scalar(select(Claim))
    assert claim.appearances[0].snapshot_id == snapshot_id
    assert server.paths().count("/russian") == fetches  # not fetched a second time


def test_a_snapshot_id_for_another_url_is_not_attached(client, db, login_as, server, private_ok):
    login_as(Role.ANALYST)
    other = capture(client, server.url("/ukrainian")).get_json()["snapshot_id"]
    client.post(
        "/desk/claims/new",
        data=claim_form(appearances=[{"url": server.url("/russian"), "snapshot_id": str(other)}]),
    )
    appearance = db.scalar(select(Appearance))
    assert appearance.snapshot_id != other
    assert appearance.snapshot.original_url == server.url("/russian")


def test_the_fetch_button_fills_the_form_without_javascript(client, login_as, server, private_ok):
    login_as(Role.ANALYST)
    data = claim_form(appearances=[{"url": server.url("/russian")}])
    data.pop("save")
    data["fetch_links"] = "Fetch link details"
    page = page_text(client.post("/desk/claims/new", data=data))
    assert re.search(r'<option selected value="ru">', page)
    assert re.search(r'name="appearances-0-snapshot_id" type="hidden" value="\d+"', page)
    assert "Archived." in page


def test_the_fetch_button_does_not_say_archived_when_the_page_was_not(client, login_as, server):
    login_as(Role.ANALYST)
    data = claim_form(appearances=[{"url": server.url("/russian")}])  # loopback: refused
    data.pop("save")
    data["fetch_links"] = "Fetch link details"
    page = page_text(client.post("/desk/claims/new", data=data))
    assert "Could not archive this link" in page
    assert "Archived." not in page
    # With the reason, as leaving the field says it (the button's answer had none).
    status = re.search(r'<p class="capture-status muted"[^>]*>([^<]*)</p>', page).group(1)
    assert status.startswith("Not archived: Refused to fetch 127.0.0.1: it is a loopback address")
    assert status.endswith("It can be fetched again after saving.")


def test_an_article_is_filled_from_its_page_and_its_claimreview(
    client, db, login_as, server, private_ok
):
    login_as(Role.ANALYST)
    page = page_text(
        client.post(
            "/desk/articles/new",
            data={
                "url": server.url("/article"),
                "title": "",
                "fetch": "Fetch details from the link",
            },
        )
    )
    assert "ClaimReview found in the page" in page
    assert 'name="title"' in page and 'value=""' not in page.split('name="title"')[1][:200]
    statement = page.split('name="claim_statement"')[1].split("</textarea>")[0]
    assert "Foreign volunteers poisoned the water supply of the city" in statement
    assert '<option selected value="false">' in page.split('name="rating"')[1]
    assert 'name="rating_text" type="text" value="False"' in page


def test_an_article_from_a_claimreview_page_can_create_a_draft_claim(
    client, db, login_as, server, private_ok
):
    login_as(Role.ANALYST)
    snapshot_id = capture(client, server.url("/article")).get_json()["snapshot_id"]
    response = client.post(
        "/desk/articles/new",
        data={
            "url": server.url("/article"),
            "title": "Fact check",
            "snapshot_id": str(snapshot_id),
            "claim_statement": "x",
            "create_claim": "y",
            "save": "Save article",
        },
    )
    assert response.status_code == 302
    article = db.scalar(select(Article))
    assert article.claimreview
    claim = db.scalar(select(Claim))
    assert claim is not None and claim.text
