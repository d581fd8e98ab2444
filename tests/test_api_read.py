"""Read API v1: the OpenAPI document is valid and every response matches it."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_spec
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.public_support import build_world

DOC_URI = "urn:tracker:openapi"


@pytest.fixture
def world(db):
    return build_world(db)


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").get_json()


def _validator(spec: dict, path: str, status: str = "200") -> Draft202012Validator:
    operation = spec["paths"][path]["get"]
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    registry = Registry().with_resource(
        DOC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    pointer = schema["$ref"].lstrip("#")
    return Draft202012Validator({"$ref": f"{DOC_URI}#{pointer}"}, registry=registry)


def _check(client, spec: dict, url: str, path: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    errors = list(_validator(spec, path, str(status)).iter_errors(body))
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    return body


def test_openapi_document_is_valid(spec):
    validate_spec(spec)


def test_openapi_describes_every_api_route(app, spec):
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = rule.rule
            for argument in rule.arguments:
                path = path.replace(f"<int:{argument}>", f"{{{argument}}}")
            routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert routes <= documented


LIST_CASES = [
    ("/api/v1/claims", "/api/v1/claims"),
    ("/api/v1/claims?verdict=false&language=ru", "/api/v1/claims"),
    ("/api/v1/claims?limit=2", "/api/v1/claims"),
    ("/api/v1/claims?q=foreign", "/api/v1/claims"),
    ("/api/v1/search?q=Moscow", "/api/v1/search"),
    ("/api/v1/outlets", "/api/v1/outlets"),
    ("/api/v1/outlets?sort=name&limit=1", "/api/v1/outlets"),
    ("/api/v1/articles", "/api/v1/articles"),
    ("/api/v1/figures?limit=2", "/api/v1/figures"),
]


@pytest.mark.parametrize(("url", "path"), LIST_CASES)
def test_list_responses_match_the_document(client, world, spec, url, path):
    _check(client, spec, url, path)


def test_detail_responses_match_the_document(client, world, spec):
    for claim_id in world.public_claims:
        _check(client, spec, f"/api/v1/claims/{claim_id}", "/api/v1/claims/{claim_id}")
    _check(client, spec, f"/api/v1/outlets/{world.outlet}", "/api/v1/outlets/{outlet_id}")
    _check(client, spec, f"/api/v1/articles/{world.article}", "/api/v1/articles/{article_id}")
    _check(client, spec, f"/api/v1/figures/{world.figure}", "/api/v1/figures/{figure_id}")


def _cursor(**data):
    from tracker.api.pagination import encode_cursor

    return encode_cursor(data)


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/api/v1/claims?verdict=bogus", "/api/v1/claims"),
        ("/api/v1/claims?narrative=no-such-narrative", "/api/v1/claims"),
        ("/api/v1/search?q=war&narrative=no-such-narrative", "/api/v1/search"),
        ("/api/v1/claims?outlet=999999", "/api/v1/claims"),
        ("/api/v1/claims?language=zz", "/api/v1/claims"),
        ("/api/v1/claims?from=2024-02-30", "/api/v1/claims"),
        ("/api/v1/claims?limit=0", "/api/v1/claims"),
        ("/api/v1/claims?limit=-5", "/api/v1/claims"),
        ("/api/v1/claims?limit=", "/api/v1/claims"),
        ("/api/v1/claims?cursor=not-a-cursor", "/api/v1/claims"),
        # Hand-edited cursors: an id too large for the database was a 500.
        (f"/api/v1/claims?cursor={_cursor(k='claims', f=None, i=10**30)}", "/api/v1/claims"),
        (f"/api/v1/articles?cursor={_cursor(k='articles', i=10**30)}", "/api/v1/articles"),
        (f"/api/v1/figures?cursor={_cursor(k='figures', i=-1)}", "/api/v1/figures"),
        (f"/api/v1/outlets?cursor={_cursor(k='outlets', o='x')}", "/api/v1/outlets"),
        (f"/api/v1/search?q=war&cursor={_cursor(k='search', o=1.5)}", "/api/v1/search"),
        ("/api/v1/claims?page=2", "/api/v1/claims"),
        ("/api/v1/search", "/api/v1/search"),
        ("/api/v1/outlets?sort=size", "/api/v1/outlets"),
    ],
)
def test_invalid_parameters_are_a_400_with_the_error_shape(client, world, spec, url, path):
    body = _check(client, spec, url, path, status=400)
    assert body["error"] == "Bad Request"
    assert body["message"]


@pytest.mark.parametrize("path", ["claims", "outlets", "articles", "figures"])
def test_a_cursor_nested_too_deeply_is_a_400(client, world, path):
    # A thousand nested brackets, base64-encoded, was a 500 (RecursionError).
    import base64

    cursor = base64.urlsafe_b64encode(("[" * 1000 + "]" * 1000).encode()).decode()
    response = client.get(f"/api/v1/{path}?cursor={cursor}")
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("The cursor is not valid")


def test_unknown_ids_are_a_404_with_the_error_shape(client, world, spec):
    body = _check(client, spec, "/api/v1/claims/999999", "/api/v1/claims/{claim_id}", 404)
    assert body["error"] == "Not Found"
    assert "999999" in body["message"]


def test_claim_list_pages_by_cursor_through_every_public_claim(client, world):
    seen, url = [], "/api/v1/claims?limit=2"
    while url:
        body = client.get(url).get_json()
        seen.extend(item["id"] for item in body["items"])
        url = body["next"]
    assert sorted(seen) == sorted(world.public_claims)
    assert len(seen) == len(set(seen))


def test_claim_list_is_newest_first(client, world):
    ids = [item["id"] for item in client.get("/api/v1/claims").get_json()["items"]]
    assert ids[0] == world.en


def test_claim_list_filters_by_narrative_and_dates(client, world):
    body = client.get(
        f"/api/v1/claims?narrative={world.narrative}&from=2024-01-01&to=2024-12-31"
    ).get_json()
    assert [item["id"] for item in body["items"]] == [world.en]
    # By its name as the site shows it, in any case, as country and language are taken.
    for name in ("Foreign legion narrative", "foreign LEGION narrative"):
        by_name = client.get(f"/api/v1/claims?narrative={name}&from=2024-01-01&to=2024-12-31")
        assert by_name.status_code == 200, by_name.get_json()
        assert [item["id"] for item in by_name.get_json()["items"]] == [world.en]
    csv_by_name = client.get("/exports/claims.csv?narrative=Foreign legion narrative")
    assert csv_by_name.status_code == 200
    csv_by_name.get_data()
    # A deleted narrative is no more found by its name than by its slug.
    from tests.public_support import MARKER

    hidden = client.get("/api/v1/claims", query_string={"narrative": f"{MARKER} deleted narrative"})
    assert hidden.status_code == 400


def test_detail_has_etag_and_last_modified_and_answers_304(client, world):
    first = client.get(f"/api/v1/claims/{world.en}")
    assert first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = client.get(
        f"/api/v1/claims/{world.en}", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    since = client.get(
        f"/api/v1/claims/{world.en}",
        headers={"If-Modified-Since": first.headers["Last-Modified"]},
    )
    assert since.status_code == 304


def test_etag_changes_when_the_claim_changes(client, db, world):
    from tracker.models import Claim

    before = client.get(f"/api/v1/claims/{world.en}").headers["ETag"]
    db.get(Claim, world.en).summary_en = "Changed summary."
    db.commit()
    assert client.get(f"/api/v1/claims/{world.en}").headers["ETag"] != before


def test_claim_detail_carries_the_comparison_in_words_and_numbers(client, world):
    data = client.get(f"/api/v1/claims/{world.en}").get_json()
    (check,) = data["figures"]
    assert check["stated_value"] == 10_000
    assert check["relation"] == "overstates"
    assert "more than 1,500 people" in check["comparison"]


def test_figure_detail_has_parts_total_and_remainder(client, world):
    data = client.get(f"/api/v1/figures/{world.figure}").get_json()
    assert data["parts_total"] == 1366
    assert data["remainder"] == 134
    assert [p["label"] for p in data["parts"]] == [
        "South and East Asia",
        "Former Soviet republics",
        "Africa",
    ]


def test_other_sites_may_read_the_open_data_but_not_the_desk(client, world):
    # A newsroom's browser tool on another origin could not use the API: no CORS headers.
    origin = {"Origin": "https://newsroom.example"}
    for url in ("/api/v1/claims", "/api/openapi.json", "/claimreview.json",
                "/exports/claims.csv", "/api/v1/claims/999999"):  # fmt: skip
        response = client.get(url, headers=origin)
        response.get_data()  # the export is streamed: read it to the end
        assert response.headers["Access-Control-Allow-Origin"] == "*", url
        assert "Access-Control-Allow-Credentials" not in response.headers
    preflight = client.options(
        "/api/v1/xref/check",
        headers={**origin, "Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "content-type"},
    )  # fmt: skip
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight.headers["Access-Control-Allow-Headers"]
    for url in ("/desk/", "/auth/login", "/"):
        assert "Access-Control-Allow-Origin" not in client.get(url, headers=origin).headers
