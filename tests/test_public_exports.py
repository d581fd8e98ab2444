"""Atom feed, CSV and JSONL exports: filters, streaming, formula-injection protection."""

from __future__ import annotations

import csv
import io
import json

import pytest
from lxml import etree

from tests.public_support import build_world

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world(db):
    return build_world(db)


def _body(client, path: str):  # type: ignore[no-untyped-def]
    response = client.get(path)
    body = response.get_data(as_text=True)
    response.close()
    return response, body


def _atom(client, path: str):  # type: ignore[no-untyped-def]
    response, body = _body(client, path)
    assert response.mimetype == "application/atom+xml"
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(body.encode(), parser)


def test_atom_feed_lists_published_and_updated_claims_newest_change_first(client, world):
    feed = _atom(client, "/feeds/claims.atom")
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert ids[0] == f"http://localhost/claims/{world.updated}"
    assert len(ids) == len(world.public_claims)


def test_atom_feed_sends_the_rationale_as_html_not_markdown(client, db):
    from lxml import html

    from tests.factories import make_claim
    from tracker.models import ClaimStatus, Rating

    make_claim(db, "Water is <poisoned> & wells too", status=ClaimStatus.PUBLISHED,
               rating=Rating.FALSE, rationale="The **ministry** found no trace.")  # fmt: skip
    db.commit()
    [entry] = _atom(client, "/feeds/claims.atom").findall(f"{ATOM}entry")
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    shown = html.fragment_fromstring(content.text, create_parent="div")
    assert shown.findtext(".//strong") in ("Verdict:", "ministry")
    assert "The ministry found no trace." in shown.text_content()
    assert "**" not in content.text
    assert "Water is <poisoned> & wells too" in shown.text_content()


def test_atom_feed_stays_well_formed_with_a_stored_control_character(client, db):
    # Stored before input dropped them (or written around the services): XML allows none.
    from tests.factories import make_claim
    from tracker.models import ClaimStatus, Rating

    make_claim(db, "Backspace\x08 in a claim", status=ClaimStatus.PUBLISHED, rating=Rating.FALSE,
               summary_en="Vertical\x0b tab")  # fmt: skip
    db.commit()
    [entry] = _atom(client, "/feeds/claims.atom").findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}summary") == "Backspace in a claim"


def test_atom_feed_labels_a_retraction_note_as_one(client, world):
    feed = _atom(client, "/feeds/claims.atom")
    by_id = {e.findtext(f"{ATOM}id"): e for e in feed.findall(f"{ATOM}entry")}
    retracted = by_id[f"http://localhost/claims/{world.retracted}"].findtext(f"{ATOM}content")
    assert "<strong>Retraction note:</strong> We could not confirm" in retracted
    updated = by_id[f"http://localhost/claims/{world.updated}"].findtext(f"{ATOM}content")
    assert "<strong>Update:</strong>" in updated


def test_atom_feed_takes_the_search_filters(client, world):
    feed = _atom(client, "/feeds/claims.atom?language=uk")
    ids = [e.findtext(f"{ATOM}id") for e in feed.findall(f"{ATOM}entry")]
    assert ids == [f"http://localhost/claims/{world.uk}"]


def test_atom_feed_refuses_an_invalid_filter(client, world):
    response, body = _body(client, "/feeds/claims.atom?verdict=nonsense")
    assert response.status_code == 400
    assert "Unknown verdict" in body
    response, body = _body(client, "/exports/claims.csv?narrative=no-such-narrative")
    assert response.status_code == 400
    assert "No narrative in the record is called" in body


@pytest.mark.parametrize(
    "path",
    ["/feeds/claims.atom?verdict=bogus", "/exports/claims.jsonl?from=2024-02-30",
     "/exports/claims.csv?country=ZZ"],
)  # fmt: skip
def test_programs_get_a_refused_filter_in_the_apis_json_error_shape(client, world, path):
    response = client.get(path)
    assert response.status_code == 400
    assert set(response.get_json()) == {"error", "message"}, "not an HTML page"


def test_csv_export_is_streamed_with_a_header_and_one_row_per_claim(client, world):
    response = client.get("/exports/claims.csv")
    assert response.is_streamed
    assert response.headers["Content-Disposition"] == 'attachment; filename="claims.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    response.close()
    assert sorted(int(r["id"]) for r in rows) == sorted(world.public_claims)


def test_csv_export_protects_against_formula_injection(client, world):
    _, body = _body(client, "/exports/claims.csv?language=de")
    (row,) = csv.DictReader(io.StringIO(body))
    assert row["rationale"].startswith("'=HYPERLINK")


def test_csv_export_applies_filters(client, world):
    _, body = _body(client, f"/exports/claims.csv?outlet={world.outlet}&verdict=false")
    ids = sorted(int(r["id"]) for r in csv.DictReader(io.StringIO(body)))
    assert ids == sorted([world.en, world.ru])  # the retracted one's "false" was withdrawn
    _, body = _body(client, f"/exports/claims.csv?outlet={world.outlet}&verdict=retracted")
    assert [int(r["id"]) for r in csv.DictReader(io.StringIO(body))] == [world.retracted]


def test_an_outlet_is_named_in_a_feed_export_or_api_filter_as_in_a_search(client, world):
    # /search took "RIA Novosti"; the same link to an export, a feed or the API was a 400.
    by_number = _body(client, f"/exports/claims.csv?outlet={world.outlet}")[1]
    assert _body(client, "/exports/claims.csv?outlet=zarya test tv")[1] == by_number
    assert client.get("/feeds/claims.atom?outlet=Zarya Test TV").status_code == 200
    listed = client.get("/api/v1/claims?outlet=Zarya Test TV").get_json()
    numbered = client.get(f"/api/v1/claims?outlet={world.outlet}").get_json()
    assert listed["items"] and listed["items"] == numbered["items"]
    missing = client.get("/api/v1/claims?outlet=No Such Outlet")
    assert (
        missing.status_code == 400 and "is called “No Such Outlet”" in missing.get_json()["message"]
    )
    several = client.get("/api/v1/claims?outlet=Test")  # both Zarya Test TV and Zvezda Test
    assert "Several outlets match" in several.get_json()["message"]


def test_jsonl_export_has_one_public_record_per_line(client, world):
    response, body = _body(client, "/exports/claims.jsonl?country=UA")
    assert response.mimetype == "application/x-ndjson"
    records = [json.loads(line) for line in body.splitlines()]
    assert sorted(r["id"] for r in records) == sorted([world.ru, world.uk])
    assert all(r["status"] in ("published", "retracted") for r in records)


def test_retracted_claim_is_exported_with_its_correction_note(client, world):
    _, body = _body(client, "/exports/claims.jsonl")
    records = {r["id"]: r for r in map(json.loads, body.splitlines())}
    assert records[world.retracted]["correction_note"].startswith("We could not confirm")


def test_export_refuses_an_invalid_date(client, world):
    response, _ = _body(client, "/exports/claims.csv?from=2024-13-45")
    assert response.status_code == 400


def test_export_reads_in_batches_by_key(client, world, monkeypatch):
    from tracker.public import exports

    monkeypatch.setattr(exports, "BATCH", 2)
    _, body = _body(client, "/exports/claims.jsonl")
    assert len(body.splitlines()) == len(world.public_claims)


def test_exports_give_every_link_the_narratives_names_and_the_public_debunks(client, world, db):
    # A researcher had the first link only, narratives by slug and no debunks at all.
    from tracker.models import Article, Claim

    claim = db.get(Claim, world.en)
    article = db.get(Article, world.article)
    links = [a.url for a in claim.appearances]
    assert len(links) == 2
    _, body = _body(client, "/exports/claims.jsonl")
    record = {r["id"]: r for r in map(json.loads, body.splitlines())}[world.en]
    assert record["appearance_urls"] == links
    assert record["narrative_names"] == ["Foreign legion narrative"]  # the deleted one left out
    # Confirmed and public only: not the hidden article, not the one merely suggested.
    assert record["debunk_urls"] == [article.url]
    _, body = _body(client, "/exports/claims.csv")
    row = {int(r["id"]): r for r in csv.DictReader(io.StringIO(body))}[world.en]
    assert row["appearance_urls"].split(" ") == links
    assert row["debunk_urls"] == article.url
    assert row["narrative_names"] == "Foreign legion narrative"
