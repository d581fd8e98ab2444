"""Nothing private leaks: a crawler walks every public page, feed, export and API response."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.public_support import MARKER, SUGGESTED, build_world

HREF = re.compile(r"""(?:href|src)="([^"#]+)""")
JSON_URL = re.compile(r'"(http://localhost/[^"\s]*)"')
SKIP = ("/static/", "/login", "/logout", "/desk", "/check")
MACHINE_ENDPOINTS = [
    "/feeds/claims.atom",
    "/feeds/claims.atom?q=foreign",
    "/claimreview.json",
    "/exports/claims.csv",
    "/exports/claims.jsonl",
    "/exports/claims.csv?q=foreign+volunteers",
    "/exports/claims.jsonl?q=Moscow&verdict=false",
    "/api/v1/claims",
    "/api/v1/claims?limit=1",
    "/api/v1/search?q=foreign+volunteers",
    "/api/v1/search?q=Moscow&limit=1",
    "/api/v1/outlets",
    "/api/v1/articles",
    "/api/v1/figures",
    "/api/openapi.json",
]


@pytest.fixture
def world(db):
    return build_world(db)


def _crawl(client, start: list[str], limit: int = 400) -> dict[str, bytes]:
    seen: dict[str, bytes] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in seen or path.startswith(SKIP):
            continue
        response = client.get(path)
        assert response.status_code in (200, 404), (path, response.status_code)
        seen[path] = response.data
        response.close()  # ends a streamed response's request context, as a server would
        if response.status_code != 200:
            continue
        text = response.get_data(as_text=True)
        found = HREF.findall(text) + JSON_URL.findall(text)
        queue.extend(
            urljoin(f"http://localhost{path}", link.replace("&amp;", "&")) for link in found
        )
    return seen


def test_no_private_text_on_any_public_page_feed_export_or_api_response(client, world):
    pages = _crawl(client, ["/", "/search", "/outlets/", *MACHINE_ENDPOINTS])
    leaks = [path for path, body in pages.items() if MARKER.encode() in body]
    assert leaks == []
    # The suggested (unconfirmed) article shows on its own pages only, not on the claim's.
    article = world.suggested_article
    own = {f"/articles/{article}", f"/api/v1/articles/{article}"}
    suggested = {path for path, body in pages.items() if SUGGESTED.encode() in body}
    assert f"/articles/{article}" in suggested  # the crawl saw the marker where it belongs
    assert {p for p in suggested - own if not p.startswith("/api/v1/articles")} == set()
    visited = set(pages)
    # The crawl really reached the detail pages of every kind.
    assert f"/claims/{world.en}" in visited
    assert f"/outlets/{world.outlet}" in visited
    assert f"/narratives/{world.narrative}" in visited
    assert f"/articles/{world.article}" in visited
    assert f"/figures/{world.figure}" in visited
    assert f"/snapshots/{world.snapshot}" in visited
    assert f"/api/v1/claims/{world.en}" in visited


@pytest.mark.parametrize(
    "which", ["draft", "in_review", "returned", "retracted_unpublished", "deleted"]
)
def test_private_claims_are_not_found_on_the_page_or_the_api(client, world, which):
    claim_id = world.private_claims[which]
    assert client.get(f"/claims/{claim_id}").status_code == 404
    response = client.get(f"/api/v1/claims/{claim_id}")
    assert response.status_code == 404
    assert response.get_json()["error"] == "Not Found"


def test_private_related_records_are_not_found(client, world):
    assert client.get(f"/outlets/{world.private_outlet}").status_code == 404
    assert client.get(f"/api/v1/outlets/{world.private_outlet}").status_code == 404
    assert client.get(f"/articles/{world.private_article}").status_code == 404
    assert client.get(f"/api/v1/articles/{world.private_article}").status_code == 404
    assert client.get(f"/figures/{world.private_figure}").status_code == 404
    assert client.get(f"/api/v1/figures/{world.private_figure}").status_code == 404
    assert client.get(f"/narratives/{world.private_narrative}").status_code == 404
    assert client.get(f"/snapshots/{world.private_snapshot}").status_code == 404


def test_only_confirmed_links_show_on_the_claim(client, world):
    data = client.get(f"/api/v1/claims/{world.en}").get_json()
    assert [a["id"] for a in data["articles"]] == [world.article]
    assert [f["figure"]["id"] for f in data["figures"]] == [world.figure]
    assert [r["id"] for r in data["related"]] == [world.ru]


def test_proposed_verdicts_never_appear_in_the_history(client, world):
    data = client.get(f"/api/v1/claims/{world.updated}").get_json()
    assert [event["event"] for event in data["history"]] == ["published", "updated"]


def test_retracted_claim_is_public_with_its_correction_note(client, world):
    page = client.get(f"/claims/{world.retracted}").get_data(as_text=True)
    assert "This fact check was retracted" in page
    assert "could not confirm the origin of the video" in page
    data = client.get(f"/api/v1/claims/{world.retracted}").get_json()
    assert data["status"] == "retracted"
    assert data["correction_note"].startswith("We could not confirm")


def test_outlet_counts_only_public_claims(client, world):
    data = client.get(f"/api/v1/outlets/{world.outlet}").get_json()
    # en, ru and the retracted claim; the deleted one is not counted.
    assert data["claims"] == 3
