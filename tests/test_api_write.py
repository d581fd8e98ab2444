"""Write API v1: tokens, CSRF, validation, workflow and every response against the document."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select

from tests.factories import make_article, make_claim, make_outlet, make_user
from tracker.audit import Actor
from tracker.models import (
    ApiToken,
    Article,
    AuditEvent,
    Claim,
    ClaimStatus,
    Figure,
    Rating,
    Role,
)
from tracker.services import tokens

DOC_URI = "urn:tracker:openapi"
WRITES = [
    ("/api/v1/claims", "post"),
    ("/api/v1/claims/{claim_id}", "patch"),
    ("/api/v1/claims/{claim_id}/appearances", "post"),
    ("/api/v1/articles", "post"),
    ("/api/v1/figures", "post"),
]


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").get_json()


@pytest.fixture(autouse=True)
def no_capture(monkeypatch):
    # Archiving a link is the capture tests' business; here it must not reach the network.
    monkeypatch.setattr("tracker.jobs.dispatch", lambda job_id: "queued")


def _token(db, role=Role.ANALYST, scope="write", user=None):
    user = user or make_user(db, role)
    _record, token = tokens.create_token(db, user, "test", scope, by=Actor(user))
    db.commit()
    return user, {"Authorization": f"Bearer {token}"}


def _validator(spec, path, method, status):
    response = spec["paths"][path][method]["responses"][str(status)]
    schema = response["content"]["application/json"]["schema"]
    registry = Registry().with_resource(
        DOC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    return Draft202012Validator({"$ref": f"{DOC_URI}{schema['$ref']}"}, registry=registry)


def _body_schema(spec, path, method):
    schema = spec["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]
    registry = Registry().with_resource(
        DOC_URI, Resource.from_contents(spec, default_specification=DRAFT202012)
    )
    return Draft202012Validator({"$ref": f"{DOC_URI}{schema['$ref']}"}, registry=registry)


def call(client, spec, method, url, path, status, *, json=None, headers=None, **kw):
    """Send a request and check its status and that the response matches the document."""
    response = getattr(client, method)(url, json=json, headers=headers or {}, **kw)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    errors = list(_validator(spec, path, method, status).iter_errors(body))
    assert errors == [], [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    return body


CLAIM = {
    "text": "Russia has recruited tens of thousands of foreign volunteers in Moscow",
    "language": "en",
    "rating": "false",
    "rationale": "UK MoD says more than 1,500.",
    "claimant": "A Telegram channel",
    "countries": ["RU"],
    "appearances": [{"url": "https://rt.example/news/1", "date": "2024-05-01"}],
}


# --- the document -------------------------------------------------------------------------


def test_document_describes_every_write_route(app, spec):
    routes = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"GET", "HEAD", "OPTIONS"}:
            if rule.rule.startswith("/api/"):
                path = rule.rule.replace("<int:claim_id>", "{claim_id}")
                routes.add((path, method.lower()))
    # The text check is a read that happens to take a body: public, no token.
    public_post = ("/api/v1/xref/check", "post")
    assert routes - {public_post} == set(WRITES)
    assert "security" not in spec["paths"][public_post[0]][public_post[1]]
    for path, method in WRITES:
        assert spec["paths"][path][method]["security"] == [{"token": []}]


def test_example_body_matches_the_documented_input(spec):
    assert list(_body_schema(spec, "/api/v1/claims", "post").iter_errors(CLAIM)) == []


# --- tokens, sessions and CSRF ----------------------------------------------------------------


def test_token_creates_a_draft_claim_with_audit_trail(client, db, spec):
    outlet = make_outlet(db, "RT", "rt.example")
    user, headers = _token(db)
    body = call(client, spec, "post", "/api/v1/claims", "/api/v1/claims", 201,
                json=CLAIM, headers=headers)  # fmt: skip
    assert (body["status"], body["rating"]) == ("draft", "false")
    assert body["appearances"][0]["outlet_id"] == outlet.id
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "create"))
    assert (event.entity_id, event.actor_id) == (body["id"], user.id)
    assert db.get(ApiToken, 1).last_used_at is not None
    # The new record's address is the API's, which the token may read (it was the desk's
    # page, which needs a browser's sign-in).
    response = client.post("/api/v1/claims", json=CLAIM, headers=headers)
    assert response.headers["Location"].endswith(f"/api/v1/claims/{response.get_json()['id']}")
    assert client.get(response.headers["Location"], headers=headers).status_code == 200


def test_control_characters_in_texts_are_dropped_as_the_desk_does(client, db, spec):
    _, headers = _token(db)
    body = dict(CLAIM, text="Control\x0b char\x00 claim", summary="ctl\x08 summary")
    created = call(client, spec, "post", "/api/v1/claims", "/api/v1/claims", 201,
                   json=body, headers=headers)  # fmt: skip
    assert (created["text"], created["summary"]) == ("Control char claim", "ctl summary")


def test_no_token_is_a_401_with_a_challenge(client, spec):
    response = client.post("/api/v1/claims", json=CLAIM)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"] == "Unauthorized"


@pytest.mark.parametrize("header", ["Bearer tdt_nope", "Bearer", "Basic dXNlcjpwYXNz"])
def test_unknown_tokens_are_a_401(client, spec, header):
    call(client, spec, "post", "/api/v1/claims", "/api/v1/claims", 401,
         json=CLAIM, headers={"Authorization": header})  # fmt: skip


def test_a_revoked_token_is_a_401(client, db, spec):
    user, headers = _token(db)
    tokens.revoke_token(db, 1, by=Actor(user))
    db.commit()
    call(client, spec, "post", "/api/v1/claims", "/api/v1/claims", 401,
         json=CLAIM, headers=headers)  # fmt: skip


def test_a_read_token_writing_is_a_403(client, db, spec):
    _user, headers = _token(db, scope="read")
    body = call(client, spec, "post", "/api/v1/claims", "/api/v1/claims", 403,
                json=CLAIM, headers=headers)  # fmt: skip
    assert "only read" in body["message"]
    assert db.scalar(select(Claim)) is None


@pytest.mark.csrf
def test_a_signed_in_browser_session_cannot_write(client, db, login_as, spec):
    login_as(Role.EDITOR)
    body = call(client, spec, "post", "/api/v1/claims", "/api/v1/claims", 403, json=CLAIM)
    assert "browser session" in body["message"]
    assert db.scalar(select(Claim)) is None


@pytest.mark.csrf
def test_token_requests_need_no_csrf_token(client, db, spec):
    _user, headers = _token(db)
    call(client, spec, "post", "/api/v1/claims", "/api/v1/claims", 201,
         json=CLAIM, headers=headers)  # fmt: skip


# --- bad bodies --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "content_type", "message"),
    [
        ('{"text": "x",}', "application/json", "not valid JSON"),
        ("[1, 2]", "application/json", "a JSON object"),
        ("text=x", "application/x-www-form-urlencoded", "as JSON"),
        (b'{"text": "\xff"}', "application/json", "UTF-8"),
        # Valid JSON, but no character: the database refused it with a 500.
        ('{"text": "abc\\ud800"}', "application/json", "unpaired surrogate"),
    ],
)
def test_bodies_that_are_not_json_objects_are_a_400(client, db, spec, data, content_type, message):
    _user, headers = _token(db)
    body = call(client, spec, "post", "/api/v1/claims", "/api/v1/claims", 400,
                data=data, content_type=content_type, headers=headers)  # fmt: skip
    assert message in body["message"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": None}, "text"),
        ({"rating": "wrong"}, "rating"),
        ({"appearances": [{"url": "ftp://x.example/a"}]}, "appearances[0].url"),
        ({"appearances": [{"url": "https://x.example/a", "date": "2024-02-30"}]},
         "appearances[0].date"),
        ({"narratives": ["no-such-narrative"]}, "narratives"),
        ({"countries": ["ZZ"]}, "countries"),
        ({"language": "zz"}, "language"),
        ({"appearances": [{"url": "https://x.example/a", "language": "zz"}]},
         "appearances[0].language"),
        ({"colour": "red"}, "colour"),
        # The desk's name of a field is unknown here, under its own name ("summary" before).
        ({"summary_en": "x"}, "summary_en"),
        ({"article_ids": [999]}, "article_ids"),
        ({"appearances": [{"url": "https://x.example/a", "platform": "Telegram"}]},
         "appearances[0].platform"),
    ],
)  # fmt: skip
def test_invalid_values_are_a_422_with_errors_by_field(client, db, spec, change, field):
    _user, headers = _token(db)
    body = call(client, spec, "post", "/api/v1/claims", "/api/v1/claims", 422,
                json={**CLAIM, **change}, headers=headers)  # fmt: skip
    assert field in body["errors"], body
    assert db.scalar(select(Claim)) is None


def test_body_and_service_problems_come_in_one_422_under_the_documented_names(client, db, spec):
    _user, headers = _token(db)
    bad = {
        **CLAIM,
        "text": "  ",
        "language": "english",
        "summary": "s" * 5000,
        "appearances": [
            {"url": "https://x.example/a", "date": "2024-02-30"},
            {"url": "ftp://x.example/b"},
        ],
    }
    body = call(client, spec, "post", "/api/v1/claims", "/api/v1/claims", 422,
                json=bad, headers=headers)  # fmt: skip
    assert sorted(body["errors"]) == [
        "appearances[0].date",
        "appearances[1].url",
        "language",
        "summary",
        "text",
    ]


# --- PATCH and the workflow --------------------------------------------------------------------


def _create(client, spec, headers, **changes):
    return call(client, spec, "post", "/api/v1/claims", "/api/v1/claims", 201,
                json={**CLAIM, **changes}, headers=headers)  # fmt: skip


def _patch(client, spec, claim_id, expected, headers, **json):
    return call(client, spec, "patch", f"/api/v1/claims/{claim_id}",
                "/api/v1/claims/{claim_id}", expected, json=json, headers=headers)  # fmt: skip


def test_patch_changes_only_what_it_names(client, db, spec):
    _user, headers = _token(db)
    created = _create(client, spec, headers)
    version = created["version"]
    body = _patch(client, spec, created["id"], 200, headers, version=version, summary="Short.")
    assert (body["summary"], body["version"], body["text"]) == (
        "Short.",
        version + 1,
        CLAIM["text"],
    )
    assert [a["url"] for a in body["appearances"]] == ["https://rt.example/news/1"]


def test_a_patch_that_changes_nothing_makes_no_new_version(client, db, spec):
    _user, headers = _token(db)
    created = _create(client, spec, headers)
    same = created["summary"]
    body = _patch(
        client, spec, created["id"], 200, headers, version=created["version"], summary=same
    )
    assert body["version"] == created["version"]
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == created["id"]))
    assert "update" not in set(actions)


def test_patch_from_an_old_version_is_a_409_with_the_current_values(client, db, spec):
    _user, headers = _token(db)
    created = _create(client, spec, headers)
    old = created["version"]
    _patch(client, spec, created["id"], 200, headers, version=old, summary="First.")
    body = _patch(client, spec, created["id"], 409, headers, version=old, summary="Second.")
    assert body["current"]["version"] == old + 1
    assert db.get(Claim, created["id"]).summary_en == "First."


def test_patch_by_one_who_may_not_edit_is_a_403_whatever_the_version(client, db, spec):
    # An analyst may not edit a claim once it is submitted: that comes before the version,
    # which used to answer 409 with the whole current record.
    _author, analyst = _token(db)
    created = _create(client, spec, analyst)
    submitted = _patch(client, spec, created["id"], 200, analyst,
                       version=created["version"], status="in_review")  # fmt: skip
    for version in (created["version"], submitted["version"]):
        body = _patch(client, spec, created["id"], 403, analyst, version=version, summary="x")
        assert "current" not in body


def test_patch_without_a_version_is_a_422(client, db, spec):
    _user, headers = _token(db)
    created = _create(client, spec, headers)
    body = _patch(client, spec, created["id"], 422, headers, summary="x")
    assert "version" in body["errors"]


def test_patch_with_a_version_that_cannot_be_is_a_422_not_a_conflict(client, db, spec):
    _user, headers = _token(db)
    created = _create(client, spec, headers)
    body = _patch(client, spec, created["id"], 422, headers, version=-5, summary="x")
    assert body["errors"]["version"] == ["Expected a whole number of at least 1."]


def test_submit_then_publish_follow_the_workflow(client, db, spec):
    _author, analyst = _token(db)
    make_user(db, Role.EDITOR)  # a second editor: four eyes apply to the first
    _editor, editor = _token(db, Role.EDITOR)
    created = _create(client, spec, analyst)
    submitted = _patch(
        client, spec, created["id"], 200, analyst, version=created["version"], status="in_review"
    )
    assert (submitted["status"], submitted["version"]) == ("in_review", created["version"] + 1)
    _patch(client, spec, created["id"], 403, analyst,
           version=submitted["version"], status="published")  # fmt: skip
    published = _patch(client, spec, created["id"], 200, editor,
                       version=submitted["version"], status="published")  # fmt: skip
    assert published["status"] == "published"
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == created["id"]))
    assert {"create", "submit", "publish"} <= set(actions)


def test_a_step_that_is_not_possible_is_a_409(client, db, spec):
    _user, headers = _token(db, Role.EDITOR)
    created = _create(client, spec, headers)
    body = _patch(
        client, spec, created["id"], 409, headers, version=created["version"], status="retracted"
    )
    assert "cannot become retracted" in body["message"]


def test_returning_needs_a_comment(client, db, spec):
    _a, analyst = _token(db)
    _e, editor = _token(db, Role.EDITOR)
    created = _create(client, spec, analyst)
    sent = _patch(
        client, spec, created["id"], 200, analyst, version=created["version"], status="in_review"
    )
    body = _patch(client, spec, created["id"], 422, editor,
                  version=sent["version"], status="returned")  # fmt: skip
    assert "comment" in body["errors"]


def test_someone_elses_draft_is_not_found(client, db, spec):
    _a, first = _token(db)
    _b, second = _token(db)
    created = _create(client, spec, first)
    _patch(client, spec, created["id"], 404, second, version=created["version"], summary="Mine")


def test_a_published_verdict_changes_by_a_dated_update_with_a_note(client, db, spec):
    _e, editor = _token(db, Role.EDITOR)
    claim = make_claim(db, status=ClaimStatus.PUBLISHED, rating=Rating.FALSE, rationale="No.")
    db.commit()
    body = _patch(client, spec, claim.id, 422, editor, version=claim.version, rating="misleading")
    assert "note" in body["errors"]
    updated = _patch(client, spec, claim.id, 200, editor, version=claim.version,
                     rating="misleading", rationale="Partly.", note="New data.")  # fmt: skip
    assert (updated["rating"], updated["status"]) == ("misleading", "published")


# --- appearances, articles, figures -----------------------------------------------------------


def test_adding_an_appearance_twice_creates_it_once(client, db, spec):
    _user, headers = _token(db)
    created = _create(client, spec, headers)
    url, path = (
        f"/api/v1/claims/{created['id']}/appearances",
        "/api/v1/claims/{claim_id}/appearances",
    )
    item = {"url": "https://mirror.example/2", "date": "2024-05-04"}
    first = call(client, spec, "post", url, path, 201, json=item, headers=headers)
    again = call(client, spec, "post", url, path, 200, json=item, headers=headers)
    assert (first["created"], again["created"], again["id"]) == (True, False, first["id"])
    assert len(db.get(Claim, created["id"]).appearances) == 2


def test_an_invalid_appearance_is_a_422_and_an_unknown_claim_a_404(client, db, spec):
    _user, headers = _token(db)
    created = _create(client, spec, headers)
    path = "/api/v1/claims/{claim_id}/appearances"
    body = call(client, spec, "post", f"/api/v1/claims/{created['id']}/appearances", path, 422,
                json={"url": "not a url"}, headers=headers)  # fmt: skip
    assert "url" in body["errors"]
    call(client, spec, "post", "/api/v1/claims/999999/appearances", path, 404,
         json={"url": "https://a.example/"}, headers=headers)  # fmt: skip


@pytest.mark.parametrize(
    ("item", "field", "words"),
    [
        ({"date": "2999-01-01"}, "date", "in the future"),
        ({"date": "0045-10-28"}, "date", "before 1900"),
        ({"outlet_id": 424242}, "outlet_id", "There is no outlet 424242"),
        ({"outlet_id": -1}, "outlet_id", "from 1 to"),
        ({"outlet_id": 99999999999999999999}, "outlet_id", "from 1 to"),
    ],
)
def test_a_new_appearance_is_refused_under_the_field_at_fault(client, db, spec, item, field, words):
    _user, headers = _token(db)
    created = _create(client, spec, headers)
    path = "/api/v1/claims/{claim_id}/appearances"
    body = call(client, spec, "post", f"/api/v1/claims/{created['id']}/appearances", path, 422,
                json={"url": "https://a.example/new", **item}, headers=headers)  # fmt: skip
    assert list(body["errors"]) == [field]
    assert words in body["errors"][field][0]


def test_more_links_than_one_save_takes_are_a_422(client, db, spec):
    # The desk's form takes 50; 5,000 in one request took 15 s to save.
    _user, headers = _token(db)
    links = [{"url": f"https://a.example/{n}"} for n in range(51)]
    body = call(client, spec, "post", "/api/v1/claims", "/api/v1/claims", 422,
                json={**CLAIM, "appearances": links}, headers=headers)  # fmt: skip
    assert "at most 50" in body["errors"]["appearances"][0]


@pytest.mark.parametrize(
    "change",
    [
        {"article_ids": [99999999999999999999999999]},
        {"figure_ids": [9223372036854775808]},
        {"appearances": [{"url": "https://a.example/x", "outlet_id": 99999999999999999999}]},
    ],
)
def test_ids_too_large_for_the_database_are_a_422(client, db, spec, change):
    _user, headers = _token(db)
    body = call(client, spec, "post", "/api/v1/claims", "/api/v1/claims", 422,
                json={**CLAIM, **change}, headers=headers)  # fmt: skip
    assert "from 1 to" in str(body["errors"])


def test_articles_are_created_and_a_second_with_the_same_url_refused(client, db, spec):
    _user, headers = _token(db)
    article = {
        "title": "No, it did not happen",
        "url": "https://checks.example/1",
        "rating": "false",
        "rating_text": "Pants on fire",
        "published_on": "2024-01-02",
    }
    body = call(client, spec, "post", "/api/v1/articles", "/api/v1/articles", 201,
                json=article, headers=headers)  # fmt: skip
    assert (body["rating"], body["rating_text"]) == ("false", "Pants on fire")
    again = call(client, spec, "post", "/api/v1/articles", "/api/v1/articles", 422,
                 json=article, headers=headers)  # fmt: skip
    assert "url" in again["errors"]
    assert len(db.scalars(select(Article)).all()) == 1


def test_figures_are_created_with_their_parts(client, db, spec):
    _user, headers = _token(db)
    article = make_article(db)
    db.commit()
    figure = {
        "subject": "foreign citizens recruited in Moscow",
        "value": 1500,
        "qualifier": "more_than",
        "article_id": article.id,
        "parts": [{"label": "South and East Asia", "value": 771}, {"label": "Africa", "value": 72}],
    }
    body = call(client, spec, "post", "/api/v1/figures", "/api/v1/figures", 201,
                json=figure, headers=headers)  # fmt: skip
    assert (body["parts_total"], body["remainder"]) == (843, 657)
    assert len(db.scalars(select(Figure)).all()) == 3


def test_an_invalid_figure_is_a_422_naming_the_fields(client, db, spec):
    _user, headers = _token(db)
    figure = {"subject": "x", "value": 5, "lower_bound": 9, "upper_bound": 1,
              "parts": [{"label": "a"}]}  # fmt: skip
    body = call(client, spec, "post", "/api/v1/figures", "/api/v1/figures", 422,
                json=figure, headers=headers)  # fmt: skip
    assert "parts[0].value" in body["errors"]


def test_a_body_over_the_limit_is_refused_as_too_large_before_it_is_read(client, db):
    from tracker.api.bodies import MAX_BODY

    _, headers = _token(db)
    response = client.post(
        "/api/v1/claims", data=b" " * (MAX_BODY + 1), content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert response.status_code == 413
    assert response.get_json()["error"] == "Content Too Large"


def test_a_wrong_method_names_the_allowed_ones(client):
    response = client.delete("/api/v1/claims")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    assert response.get_json()["error"] == "Method Not Allowed"


def test_a_bare_link_is_completed_as_the_desk_completes_it(client, db, spec):
    _user, headers = _token(db)
    created = _create(client, spec, headers)
    path = "/api/v1/claims/{claim_id}/appearances"
    body = call(client, spec, "post", f"/api/v1/claims/{created['id']}/appearances", path, 201,
                json={"url": "t.me/somechannel/9"}, headers=headers)  # fmt: skip
    assert body["url"] == "https://t.me/somechannel/9"


def test_a_links_platform_is_found_from_its_domain_when_left_out(client, db, spec):
    _user, headers = _token(db)
    created = _create(client, spec, headers)
    path = "/api/v1/claims/{claim_id}/appearances"
    url = f"/api/v1/claims/{created['id']}/appearances"
    post = call(client, spec, "post", url, path, 201,
                json={"url": "https://t.me/s/somechannel/9"}, headers=headers)  # fmt: skip
    tv = {"url": "https://youtu.be/abc", "platform": "tv"}
    clip = call(client, spec, "post", url, path, 201, json=tv, headers=headers)
    page = call(client, spec, "post", url, path, 201,
                json={"url": "https://news.example/a"}, headers=headers)  # fmt: skip
    # A page of no platform's domain is a web page, as the desk's form says ("null" before).
    assert (post["platform"], clip["platform"], page["platform"]) == ("telegram", "tv", "web")


def test_a_link_differing_only_in_case_or_after_the_hash_is_the_same_link(client, db, spec):
    _user, headers = _token(db)
    created = _create(client, spec, headers)
    path = "/api/v1/claims/{claim_id}/appearances"
    url = f"/api/v1/claims/{created['id']}/appearances"
    first = call(client, spec, "post", url, path, 201,
                 json={"url": "https://rt.example/news/1234"}, headers=headers)  # fmt: skip
    again = call(client, spec, "post", url, path, 200,
                 json={"url": "HTTPS://RT.EXAMPLE/news/1234#frag"}, headers=headers)  # fmt: skip
    assert again["id"] == first["id"] and again["created"] is False
