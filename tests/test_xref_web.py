"""/check, POST /api/v1/xref/check, desk suggestions while typing, and `tracker xref`."""

from __future__ import annotations

import json

import pytest

from tests.factories import make_user
from tests.xref_app_support import RUSSIAN_CLAIM, engine_with_vectors, seed
from tracker.extensions import db as database
from tracker.models import Rating, Role


@pytest.fixture
def records(app, db):
    found = seed(db)
    engine_with_vectors(db)
    db.commit()
    app.config["XREF_REFRESH_SECONDS"] = 0
    return found


def test_check_page_finds_the_debunk_and_the_figure_for_a_russian_text(client, records):
    page = client.post("/check", data={"text": RUSSIAN_CLAIM, "language": ""}).get_data(
        as_text=True
    )
    assert "Foreign recruitment in Moscow" in page
    assert "at least 6.7x lower" in page
    assert "across languages: Russian → English" in page


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # py3langid calls these Bulgarian or Macedonian, unsure, and they had no language.
        ("В Москве завербовали 50 000 иностранцев за год", "ru"),
        ("Москва завербовала 50000 иностранцев", "ru"),
        ("Russia recruited 50000 foreigners in Moscow", "en"),  # English at 0.43
    ],
)
def test_a_short_text_gets_its_language_and_its_numbers_checked(client, records, text, language):
    body = client.post("/api/v1/xref/check", json={"text": text}).get_json()
    assert body["language"] == language
    assert body["figure_checks"][0]["relation"] == "overstates"


def test_check_never_shows_drafts(client, records):
    text = "Secret laboratories of the Pentagon in Ukraine produce bioweapons"
    page = client.post("/check", data={"text": text}).get_data(as_text=True)
    assert "Laboratories financed by the Pentagon" in page
    assert "a draft" not in page


def test_check_shows_a_retracted_claim_as_retracted_not_under_its_old_verdict(client, db, records):
    from tracker.audit import Actor
    from tracker.services import workflow

    editor = records["editor"]
    workflow.apply(
        db, records["published"], workflow.Action.RETRACT, by=Actor(editor),
        note="The lab story was checked again.",
    )  # fmt: skip
    db.commit()
    text = "Secret laboratories of the Pentagon in Ukraine produce bioweapons"
    page = client.post("/check", data={"text": text}).get_data(as_text=True)
    assert "Laboratories financed by the Pentagon" in page
    assert '<span class="badge status-retracted">Retracted</span>' in page
    assert "<s>False</s>" in page
    found = client.post("/api/v1/xref/check", json={"text": text}).get_json()["claims"]
    mine = next(c for c in found if c["id"] == records["published"].id)
    assert (mine["rating"], mine["status"]) == ("false", "retracted")


def test_check_shows_a_claims_english_summary_beside_its_own_words(client, db, records):
    # Russian and Ukrainian claims showed in their own words only, as /search does not.
    from tracker.audit import Actor
    from tracker.services import claims, workflow

    claim = claims.create_claim(
        db,
        claims.ClaimInput(
            text="В Москве завербовали более 25 000 иностранных наёмников.",
            language="ru",
            summary_en="More than 25,000 foreign mercenaries were recruited in Moscow.",
            rating=Rating.FALSE,
            rationale="The published count is 1,500.",
        ),
        by=Actor(records["editor"]),
    )
    workflow.apply(db, claim, workflow.Action.SUBMIT, by=Actor(records["editor"]))
    editor = make_user(db, Role.EDITOR)
    workflow.apply(db, claim, workflow.Action.PUBLISH, by=Actor(editor))
    db.commit()
    page = client.post("/check", data={"text": claim.text}).get_data(as_text=True)
    assert f'href="/claims/{claim.id}"' in page
    assert (
        '<span class="claim-card-summary" lang="en">'
        "More than 25,000 foreign mercenaries were recruited in Moscow.</span>"
    ) in page


def test_api_check_names_a_claims_summary_as_the_claims_api_does(client, db, records):
    claim = records["published"]
    claim.summary_en = "Pentagon laboratories in Ukraine."
    db.commit()
    text = "Secret laboratories of the Pentagon in Ukraine produce bioweapons"
    found = client.post("/api/v1/xref/check", json={"text": text}).get_json()["claims"]
    mine = next(c for c in found if c["id"] == claim.id)
    public = client.get(f"/api/v1/claims/{claim.id}").get_json()
    assert mine["summary"] == public["summary"] == "Pentagon laboratories in Ukraine."
    assert mine["summary_en"] == mine["summary"]  # the old name, kept for existing clients


def test_check_refuses_an_empty_text_and_keeps_the_form(client, records):
    response = client.post("/check", data={"text": "   "})
    assert response.status_code == 400
    assert "Paste a claim, a post or an article first." in response.get_data(as_text=True)


def test_api_check_returns_matches_with_reasons(client, records):
    response = client.post("/api/v1/xref/check", json={"text": RUSSIAN_CLAIM})
    body = response.get_json()
    assert response.status_code == 200
    assert body["language"] == "ru"
    assert body["debunks"][0]["id"] == records["debunk"].id
    assert body["figure_checks"][0]["relation"] == "overstates"
    assert all(c["id"] != records["draft"].id for c in body["claims"])


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"text": ""}, "The text is empty"),
        ({"text": "x" * 100_001}, "the limit is 100,000"),
        ({"text": "hello", "language": "klingon"}, "is not one we know"),
        ({"text": "hello", "language": "zz"}, "is not one we know"),
        ({"text": "hello", "language": 7}, "`language` must be a string"),
        ({"text": 5}, "`text` must be a string, not a number"),
        ({"text": ["a"]}, "`text` must be a string, not a list"),
        ({}, "Send the claim or passage to check as `text`"),
        ({"text": "\x00 \x01"}, "The text is empty"),
        ({"text": "hello", "extra": 1}, "Unknown field(s): extra"),
        (["not", "an", "object"], "Send a JSON object"),
    ],
)
def test_api_check_refuses_bad_bodies_in_the_error_shape(client, records, body, message):
    response = client.post("/api/v1/xref/check", json=body)
    assert response.status_code == 400
    payload = response.get_json()
    assert payload["error"] == "Bad Request" and message in payload["message"]


def test_api_check_takes_a_language_code_in_any_case(client, records):
    body = client.post("/api/v1/xref/check", json={"text": RUSSIAN_CLAIM, "language": "RU"})
    assert body.status_code == 200
    assert body.get_json()["language"] == "ru"


def test_api_check_refuses_json_nested_too_deeply_for_the_decoder(client, records):
    # A body of 100,000 nested lists was a 500 (RecursionError in the decoder).
    deep = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = client.post("/api/v1/xref/check", data=deep, content_type="application/json")
    assert response.status_code == 400
    assert "Send a JSON object" in response.get_json()["message"]


def test_api_check_survives_a_lone_surrogate(client, records):
    # Valid JSON, but not encodable as UTF-8: the encoder used to fail with a 500.
    text = "\ud800 " + RUSSIAN_CLAIM
    response = client.post(
        "/api/v1/xref/check",
        data=json.dumps({"text": text}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.get_json()["debunks"][0]["id"] == records["debunk"].id


def test_api_check_reads_past_a_nul_character(client, records):
    text = "\x00Russia has recruited tens of thousands of foreign volunteers in Moscow."
    body = client.post("/api/v1/xref/check", json={"text": text}).get_json()
    assert body["debunks"][0]["id"] == records["debunk"].id


def test_api_check_of_emoji_only_is_an_empty_result(client, records):
    body = client.post("/api/v1/xref/check", json={"text": "🙂🙂🙂"}).get_json()
    assert (body["debunks"], body["claims"], body["figure_checks"]) == ([], [], [])
    assert "only numbers or symbols" in body["notices"][0]


def test_api_check_is_rate_limited(app, client, records):
    app.config["CHECK_RATE_LIMIT"] = "2 per minute"
    codes = [
        client.post("/api/v1/xref/check", json={"text": "Moscow recruits"}).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]
    answered = client.post("/api/v1/xref/check", json={"text": "Moscow"})
    # Retry-After belongs to the refusal, not to every answer (it was on each 200).
    assert "Retry-After" in answered.headers and answered.status_code == 429
    app.config["CHECK_RATE_LIMIT"] = "100 per minute"
    assert "Retry-After" not in client.post("/api/v1/xref/check", json={"text": "x"}).headers
    app.config["CHECK_RATE_LIMIT"] = "2 per minute"
    refused = client.post("/api/v1/xref/check", json={"text": "x"}).get_json()
    assert refused["error"] == "Too Many Requests"
    # A sentence, not the limiter's bare "2 per 1 minute".
    assert refused["message"].startswith("Too many requests: the limit is 2 per 1 minute.")


def test_desk_suggestions_show_own_drafts_but_not_other_peoples(client, db, login_as, records):
    login_as(Role.ANALYST)
    body = client.post(
        "/desk/xref/suggest",
        data={"text": "Secret laboratories of the Pentagon in Ukraine produce bioweapons"},
    ).get_json()
    ids = {c["id"] for c in body["claims"]}
    assert records["published"].id in ids and records["draft"].id not in ids
    assert body["claims"][0]["desk_url"].startswith("/desk/claims/")


def test_saving_a_claim_in_the_desk_stores_suggestions(client, db, login_as, records):
    from sqlalchemy import select

    from tracker.models import Claim, ClaimArticleLink, ClaimFigureLink

    login_as(Role.ANALYST)
    response = client.post(
        "/desk/claims/new",
        data={
            "text": RUSSIAN_CLAIM,
            "language": "ru",
            "appearances-0-url": "",
            "save": "Save draft",
        },
    )
    assert response.status_code == 302
    claim = db.scalar(select(Claim).where(Claim.text == RUSSIAN_CLAIM))
    assert db.scalar(select(ClaimArticleLink).where(ClaimArticleLink.claim_id == claim.id))
    assert db.scalar(select(ClaimFigureLink).where(ClaimFigureLink.claim_id == claim.id))
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    assert "suggested" in page and "Confirm" in page and "6.7x" in page
    assert ">more than 1,500 foreign citizens recruited" in page


def test_the_commands_print_json(app, records):
    runner = app.test_cli_runner()
    quantities = json.loads(
        runner.invoke(args=["xref", "quantities", "более 1 500 иностранцев"]).output
    )
    assert quantities["quantities"][0]["value"] == 1500.0
    assert quantities["quantities"][0]["qualifier"] == "more_than"
    checked = json.loads(runner.invoke(args=["xref", "check", RUSSIAN_CLAIM]).output)
    assert checked["debunks"][0]["id"] == records["debunk"].id
    rebuilt = runner.invoke(args=["xref", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "Encoded 0 articles, 0 figures and 0 claims" in rebuilt.output
    # Without a terminal, lines say how far it is (a bar drew nothing there for minutes).
    assert "Vectors and suggestions: " in rebuilt.output and "(100%)" in rebuilt.output


def test_the_commands_refuse_a_language_we_do_not_record(app):
    runner = app.test_cli_runner()
    for command in ("check", "quantities"):
        result = runner.invoke(args=["xref", command, "some text", "--lang", "klingon"])
        assert result.exit_code == 2, result.output
        assert "'klingon' is not a language we record" in result.output


def test_check_page_is_public(app, records):
    with app.app_context():
        make_user(database.session, Role.ANALYST)
    assert app.test_client().get("/check").status_code == 200
