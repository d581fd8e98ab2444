"""Recording and editing claims in the desk (test client, both databases)."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from tests.desk_support import claim_form, page_text
from tests.factories import (
    make_article,
    make_claim,
    make_figure,
    make_narrative,
    make_outlet,
    put_in_session,
)
from tracker.models import (
    Appearance,
    AuditEvent,
    Claim,
    ClaimArticleLink,
    ClaimFigureLink,
    ClaimStatus,
    LinkStatus,
    Outlet,
    Role,
)


def claims(db) -> list[Claim]:
    db.expire_all()
    return db.scalars(select(Claim).order_by(Claim.id)).all()


def test_the_form_shows_every_part(client, login_as):
    login_as(Role.ANALYST)
    page = page_text(client.get("/desk/claims/new"))
    for label in (
        "The claim, as it was made",
        "Language",
        "English summary",
        "Link",
        "Outlet",
        "Narratives",
        "Countries concerned",
        "Proposed verdict",
        "Rationale",
        "Debunk articles",
        "Figures",
        "Save draft",
        "Save and submit for review",
    ):
        assert label in page


def test_saving_a_draft_records_the_claim_and_its_appearance(client, db, login_as):
    analyst = login_as(Role.ANALYST)
    outlet = make_outlet(db, "Frontline", domain="news.example.org")
    db.commit()
    response = client.post("/desk/claims/new", data=claim_form())
    assert response.status_code == 302
    [claim] = claims(db)
    assert (claim.status, claim.created_by_id, claim.language) == (
        ClaimStatus.DRAFT,
        analyst.id,
        "en",
    )
    [appearance] = claim.appearances
    # The outlet is proposed from the link's domain when none is typed.
    assert appearance.outlet_id == outlet.id
    assert appearance.snapshot is not None  # an archive attempt is always recorded
    assert str(claim.first_seen) == "2024-03-02"
    assert response.headers["Location"].endswith(f"/desk/claims/{claim.id}")


def test_the_language_is_detected_when_left_blank(client, db, login_as):
    login_as(Role.ANALYST)
    client.post(
        "/desk/claims/new",
        data=claim_form(
            "Українська влада приховує, що на фронті воюють тисячі найманців з країн НАТО."
        ),
    )
    assert claims(db)[0].language == "uk"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Версия аналитика", "ru"),
        ("Версія аналітика", "uk"),
        ("OK, noted", "und"),
        # Latin is none of the desk's languages: "la" was stored, and refused when sent back.
        ("Gallia est omnis divisa in partes tres, quarum unam incolunt Belgae", "und"),
        # Hungarian at 0.23, three times English: no telling is better than a wrong language.
        ("Azov is a neo-Nazi battalion", "und"),
        ("Russia recruited 1500 foreigners", "en"),
    ],
)
def test_a_text_too_short_to_detect_is_told_apart_by_its_letters(text, language):
    from tracker.services.claims import detect_language

    assert detect_language(text) == language


def test_save_and_submit_puts_the_claim_in_review(client, db, login_as):
    login_as(Role.ANALYST)
    data = claim_form(rating="false", rationale="No evidence.")
    data.pop("save")
    data["submit_review"] = "Save and submit for review"
    client.post("/desk/claims/new", data=data)
    assert claims(db)[0].status == ClaimStatus.IN_REVIEW


def test_missing_text_is_refused_next_to_the_field_and_nothing_typed_is_lost(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post(
        "/desk/claims/new",
        data=claim_form("", summary_en="Summary kept", rationale="Rationale kept"),
    )
    page = page_text(response)
    assert response.status_code == 400
    assert 'id="text-error"' in page
    assert "Summary kept" in page and "Rationale kept" in page
    assert "https://news.example.org/2024/kharkiv" in page
    assert claims(db) == []


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "A URL cannot contain spaces."),
        ("ftp://files.example.org/x", "Use an http:// or https:// address."),
        ("https://nohost", "The address has no valid host name."),
        ("https://" + "a" * 2100 + ".example", "the limit is 2,048"),
    ],
)
def test_invalid_links_are_refused_with_the_reason(client, db, login_as, url, message):
    login_as(Role.ANALYST)
    response = client.post("/desk/claims/new", data=claim_form(appearances=[{"url": url}]))
    assert response.status_code == 400
    assert message in html.unescape(page_text(response))
    assert claims(db) == []


def test_a_date_in_the_future_is_refused(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post(
        "/desk/claims/new",
        data=claim_form(
            appearances=[{"url": "https://x.example.org/a", "appeared_on": "2999-01-01"}]
        ),
    )
    assert response.status_code == 400
    assert "in the future" in page_text(response)


def test_text_over_the_limit_is_refused_not_cut(client, db, login_as):
    login_as(Role.ANALYST)
    long_text = "word " * 2001  # 10,005 characters
    response = client.post("/desk/claims/new", data=claim_form(long_text))
    page = page_text(response)
    assert response.status_code == 400
    assert "the limit is 10,000. Nothing was cut." in page
    assert long_text.strip() in page
    assert "maxlength" not in page


def test_an_unknown_outlet_must_be_created_deliberately(client, db, login_as):
    login_as(Role.ANALYST)
    row = {"url": "https://new-outlet.example/a", "outlet": "Brand New Outlet"}
    response = client.post("/desk/claims/new", data=claim_form(appearances=[row]))
    assert response.status_code == 400
    assert "No outlet is called “Brand New Outlet”" in page_text(response)
    row["create_outlet"] = "y"
    assert client.post("/desk/claims/new", data=claim_form(appearances=[row])).status_code == 302
    outlet = db.scalar(select(Outlet).where(Outlet.name == "Brand New Outlet"))
    assert outlet.domains == ["new-outlet.example"]
    assert claims(db)[0].appearances[0].outlet_id == outlet.id


def test_a_refused_form_names_every_problem_at_once(client, db, login_as):
    # The outlet, debunk and figure checks ran only once the form's own passed: a user
    # corrected the text, saved, and was then told of the outlet.
    analyst = login_as(Role.ANALYST)
    row = {"url": "https://new-outlet.example/a", "outlet": "Brand New Outlet"}
    form = claim_form(
        "", appearances=[row], article_refs="https://nowhere.example/x", figure_refs="abc"
    )
    form["new_narratives"] = "Typed narrative"
    response = client.post("/desk/claims/new", data=form)
    page = page_text(response)
    assert response.status_code == 400
    assert "No outlet is called “Brand New Outlet”" in page
    assert "No debunk article is recorded with the link https://nowhere.example/x." in page
    assert "“abc” is not a figure number." in page
    assert "Typed narrative" in page  # kept as typed
    # Nothing the checks made was kept: the narrative typed is created only by a save.
    from tracker.models import Narrative

    db.expire_all()
    assert db.scalar(select(Narrative).where(Narrative.name == "Typed narrative")) is None
    claim = make_claim(db, author=analyst)
    db.commit()
    form = claim_form("", appearances=[row], version=str(claim.version))
    response = client.post(f"/desk/claims/{claim.id}/edit", data=form)
    assert response.status_code == 400
    assert "No outlet is called “Brand New Outlet”" in page_text(response)
    # Numbers of records that do not exist are named in the same round, and the summary at
    # the top links to every field at fault, the link's outlet among them.
    form = claim_form("Text.", appearances=[row], article_refs="99999", figure_refs="99999")
    page = html.unescape(client.post("/desk/claims/new", data=form).get_data(as_text=True))
    summary = page.split('class="error-links"')[1].split("</ul>")[0]
    for message in ("There is no debunk article 99999.", "There is no figure 99999.",
                    "No outlet is called “Brand New Outlet”"):  # fmt: skip
        assert message in summary, message


def test_narratives_countries_and_links_are_saved(client, db, login_as):
    login_as(Role.ANALYST)
    narrative = make_narrative(db, "Biolabs")
    article = make_article(db, url="https://factcheck.example/biolabs")
    figure = make_figure(db, 1500, qualifier="more_than")
    db.commit()
    response = client.post(
        "/desk/claims/new",
        data=claim_form(
            "Russia recruited tens of thousands of foreigners in Moscow.",
            narratives=[str(narrative.id)],
            new_narratives="Brand-new storyline",
            country_codes=["UA", "RU"],
            article_refs=article.url,
            figure_refs=str(figure.id),
        ),
    )
    assert response.status_code == 302
    [claim] = claims(db)
    assert sorted(n.name for n in claim.narratives) == ["Biolabs", "Brand-new storyline"]
    assert sorted(c.code for c in claim.countries) == ["RU", "UA"]
    link = db.scalar(select(ClaimArticleLink))
    assert (link.article_id, link.status) == (article.id, LinkStatus.CONFIRMED)
    figure_link = db.scalar(select(ClaimFigureLink))
    assert figure_link.relation.value == "overstates"
    assert "tens of thousands" in figure_link.reason


def test_unknown_article_and_figure_references_are_refused(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post(
        "/desk/claims/new",
        data=claim_form(article_refs="https://nowhere.example/none", figure_refs="abc 999"),
    )
    page = html.unescape(page_text(response))
    assert response.status_code == 400
    assert "No debunk article is recorded with the link https://nowhere.example/none" in page
    assert "“abc” is not a figure number." in page


def test_a_near_identical_claim_is_shown_before_saving(client, db, login_as):
    login_as(Role.ANALYST)
    existing = make_claim(
        db, "NATO troops are secretly fighting in Kharkiv!", status=ClaimStatus.PUBLISHED
    )
    db.commit()
    response = client.post(
        "/desk/claims/new", data=claim_form("nato troops are  secretly fighting in Kharkiv.")
    )
    page = page_text(response)
    assert "This claim is already recorded" in page
    assert f"Claim {existing.id}" in page
    assert len(claims(db)) == 1


def test_the_new_link_can_be_added_to_the_existing_claim_instead(client, db, login_as):
    login_as(Role.ANALYST)
    existing = make_claim(
        db,
        "NATO troops are secretly fighting in Kharkiv.",
        status=ClaimStatus.PUBLISHED,
        url="https://first.example/a",
    )
    db.commit()
    response = client.post(
        f"/desk/claims/{existing.id}/appearances",
        data={
            "appearances-0-url": "https://news.example.org/again",
            "appearances-0-appeared_on": "2024-05-01",
            "appearances-0-outlet": "",
            "appearances-0-platform": "web",
            "appearances-0-snapshot_id": "",
        },
    )
    assert response.status_code == 302
    urls = db.scalars(select(Appearance.url).where(Appearance.claim_id == existing.id)).all()
    assert sorted(urls) == ["https://first.example/a", "https://news.example.org/again"]
    assert len(claims(db)) == 1


def test_a_telegram_link_left_as_a_web_page_is_recorded_as_telegram(client, db, login_as):
    login_as(Role.ANALYST)
    existing = make_claim(
        db, "NATO troops are secretly fighting in Kharkiv.", status=ClaimStatus.PUBLISHED
    )
    db.commit()
    rows = {"https://t.me/somechannel/9": "web", "https://vk.com/wall-1_2": "other"}
    data = {}
    for n, (url, platform) in enumerate(rows.items()):
        data |= {f"appearances-{n}-url": url, f"appearances-{n}-platform": platform,
                 f"appearances-{n}-appeared_on": "", f"appearances-{n}-outlet": "",
                 f"appearances-{n}-snapshot_id": ""}  # fmt: skip
    assert client.post(f"/desk/claims/{existing.id}/appearances", data=data).status_code == 302
    found = dict(db.execute(select(Appearance.url, Appearance.platform)).all())
    assert found["https://t.me/somechannel/9"] == "telegram"
    assert found["https://vk.com/wall-1_2"] == "other"  # the analyst's choice stands


def test_saving_anyway_records_a_second_claim(client, db, login_as):
    login_as(Role.ANALYST)
    make_claim(db, "NATO troops are secretly fighting in Kharkiv.", status=ClaimStatus.PUBLISHED)
    db.commit()
    data = claim_form()
    data.pop("save")
    data["save_anyway"] = "Save as a new claim anyway"
    assert client.post("/desk/claims/new", data=data).status_code == 302
    assert len(claims(db)) == 2


def test_others_drafts_are_invisible_to_an_analyst(client, db, login_as):
    login_as(Role.ANALYST)
    other = make_claim(db, status=ClaimStatus.DRAFT, author=None)
    db.commit()
    assert client.get(f"/desk/claims/{other.id}").status_code == 404
    assert client.get(f"/desk/claims/{other.id}/edit").status_code == 404


def test_an_analyst_cannot_edit_a_claim_in_review(client, db, login_as):
    analyst = login_as(Role.ANALYST)
    claim = make_claim(db, status=ClaimStatus.IN_REVIEW, author=analyst)
    db.commit()
    response = client.get(f"/desk/claims/{claim.id}/edit")
    assert response.status_code == 302
    before = claim.text
    client.post(f"/desk/claims/{claim.id}/edit", data=claim_form("changed", version="1"))
    db.refresh(claim)
    assert claim.text == before


def test_editing_keeps_a_version_counter(client, db, login_as):
    analyst = login_as(Role.ANALYST)
    claim = make_claim(db, "Original wording.", author=analyst)
    db.commit()
    response = client.post(
        f"/desk/claims/{claim.id}/edit",
        data=claim_form("Better wording.", version=str(claim.version)),
    )
    assert response.status_code == 302
    db.refresh(claim)
    assert (claim.text, claim.version) == ("Better wording.", 2)
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "update"))
    assert event.before["text"] == "Original wording." and event.after["text"] == "Better wording."


def test_a_stale_save_is_refused_and_shows_both_versions(app, db, login_as):
    editor = login_as(Role.EDITOR)
    claim = make_claim(db, "Version one.", author=editor)
    db.commit()
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        with c.session_transaction() as session:
            put_in_session(session, editor)
    assert (
        first.post(
            f"/desk/claims/{claim.id}/edit",
            data=claim_form("Saved by the first editor.", version="1"),
        ).status_code
        == 302
    )
    response = second.post(
        f"/desk/claims/{claim.id}/edit", data=claim_form("Typed by the second editor.", version="1")
    )
    page = page_text(response)
    assert response.status_code == 409
    assert "Not saved: someone else changed this claim" in page
    assert "Saved by the first editor." in page and "Typed by the second editor." in page
    db.refresh(claim)
    assert claim.text == "Saved by the first editor."
    # The form now carries the current version: saving again is a deliberate overwrite.
    assert 'name="version" type="hidden" value="2"' in page


def test_a_draft_can_be_deleted_by_its_author_and_restored_by_an_editor(app, client, db, login_as):
    analyst = login_as(Role.ANALYST)
    claim = make_claim(db, author=analyst)
    db.commit()
    assert client.post(f"/desk/claims/{claim.id}/delete").status_code == 302
    db.refresh(claim)
    assert claim.deleted_at is not None
    editor_client = app.test_client()
    editor = make_editor(db)
    with editor_client.session_transaction() as session:
        put_in_session(session, editor)
    editor_client.post(f"/desk/claims/{claim.id}/restore")
    db.refresh(claim)
    assert claim.deleted_at is None
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "claim")).all()
    assert actions[-2:] == ["delete", "restore"]


def make_editor(db):
    from tests.factories import make_user

    editor = make_user(db, Role.EDITOR)
    db.commit()
    return editor


def test_desk_home_lists_my_drafts_returned_claims_with_comments_and_counts(client, db, login_as):
    from tracker.models import Comment

    analyst = login_as(Role.ANALYST)
    make_claim(db, "My draft claim.", author=analyst)
    returned = make_claim(db, "My returned claim.", author=analyst, status=ClaimStatus.RETURNED)
    db.add(
        Comment(claim_id=returned.id, body="Please add **sources**.", workflow_action="returned")
    )
    make_claim(db, "Someone's published claim.", status=ClaimStatus.PUBLISHED)
    db.commit()
    page = page_text(client.get("/desk/"))
    assert "My draft claim." in page and "My returned claim." in page
    assert "Please add <strong>sources</strong>." in page
    assert "Someone&#39;s published claim." in page


def test_desk_filters_ignore_unknown_values_with_a_notice(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.get("/desk/?status=bogus")
    assert response.status_code == 200
    assert "Unknown status “bogus” ignored." in page_text(response)


def test_the_counts_per_status_are_those_of_the_claims_one_may_see(client, db, login_as):
    import re

    analyst = login_as(Role.ANALYST)
    make_claim(db, author=analyst)  # my draft: counted
    make_claim(db, author=None)  # someone else's draft: private, not counted
    for _ in range(2):
        make_claim(db, status=ClaimStatus.PUBLISHED)
    make_claim(db, status=ClaimStatus.IN_REVIEW, author=analyst)
    db.commit()
    page = page_text(client.get("/desk/"))
    counts = dict(
        (label, int(n))
        for n, label in re.findall(r'<span class="count">(\d+)</span> ([^<]+)</a>', page)
    )
    assert counts["Draft"] == 1 and counts["Published"] == 2 and counts["In review"] == 1
    assert counts["Returned"] == 0


def test_desk_text_search_finds_claims_in_any_language_including_drafts(client, db, login_as):
    from tracker.services.indexing import reindex_claims

    analyst = login_as(Role.ANALYST)
    mine = make_claim(
        db, "Біолабораторії США в Україні створюють зброю.", language="uk", author=analyst
    )
    other = make_claim(db, "Weapons are resold on the black market.", status=ClaimStatus.PUBLISHED)
    reindex_claims(db, [mine.id, other.id])
    db.commit()

    def results(query: str) -> str:
        page = page_text(client.get(f"/desk/?{query}"))
        return page[page.index("All claims you can see") :]

    found = results("q=біолабораторіях")
    assert "Біолабораторії США" in found and "black market" not in found
    found = results("q=black+market&status=published")
    assert "black market" in found and "Біолабораторії" not in found


def _saved_draft(client, db, **fields):  # type: ignore[no-untyped-def]
    """A draft made through the form, and the form data that would save it unchanged."""
    data = claim_form(rating="false", rationale="No evidence.", **fields)
    assert client.post("/desk/claims/new", data=data).status_code == 302
    [claim] = claims(db)
    return claim, {**data, "version": str(claim.version)}


def _events(db, claim, action="update"):  # type: ignore[no-untyped-def]
    return list(
        db.scalars(
            select(AuditEvent).where(
                AuditEvent.entity_id == claim.id,
                AuditEvent.entity_type == "claim",
                AuditEvent.action == action,
            )
        )
    )


def test_saving_a_claim_unchanged_makes_no_new_version_and_no_history(client, db, login_as):
    # A new user pressed "Save draft" without changing anything: the version went up and
    # the history showed an "update" with no values.
    login_as(Role.ANALYST)
    claim, unchanged = _saved_draft(client, db)
    version, updated_at = claim.version, claim.updated_at
    assert client.post(f"/desk/claims/{claim.id}/edit", data=unchanged).status_code == 302
    db.expire_all()
    assert (claim.version, claim.updated_at) == (version, updated_at)
    assert _events(db, claim) == []


def test_a_changed_link_date_is_in_the_history(client, db, login_as):
    login_as(Role.ANALYST)
    claim, form = _saved_draft(client, db)
    form["appearances-0-appeared_on"] = "2024-03-05"
    assert client.post(f"/desk/claims/{claim.id}/edit", data=form).status_code == 302
    [event] = _events(db, claim)
    [before], [after] = event.before["appearance_details"], event.after["appearance_details"]
    assert "2024-03-02" in before and "2024-03-05" in after


def test_submitting_is_one_new_version(client, db, login_as):
    login_as(Role.ANALYST)
    claim, form = _saved_draft(client, db)
    version = claim.version
    form.pop("save")
    form["submit_review"] = "Save and submit for review"
    assert client.post(f"/desk/claims/{claim.id}/edit", data=form).status_code == 302
    db.expire_all()
    assert (claim.status, claim.version) == (ClaimStatus.IN_REVIEW, version + 1)
    assert _events(db, claim) == []  # the unchanged edit is not an "update"
    assert len(_events(db, claim, "submit")) == 1


def test_a_rewritten_rationale_shows_in_the_verdict_history(client, db, login_as):
    # Each rationale-only save added a "Proposed · False" entry that looked like the last.
    login_as(Role.ANALYST)
    claim, form = _saved_draft(client, db)
    form["rationale"] = "The ministry's own count is 1,500."
    assert client.post(f"/desk/claims/{claim.id}/edit", data=form).status_code == 302
    page = client.get(f"/desk/claims/{claim.id}").get_data(as_text=True)
    history = page[page.index("Verdict history") : page.index('id="comments"')]
    assert history.count("rationale revised") == 1
    assert "No evidence." in history and "The ministry's own count is 1,500." in history


def test_a_related_claims_reason_says_from_which_claim_it_was_found(client, db, login_as):
    # "semantic match across languages: en → ru" read wrongly on the Ukrainian claim's page.
    from tracker.models import ClaimLink

    login_as(Role.EDITOR)
    ru = make_claim(db, "Российский текст.", language="ru")
    uk = make_claim(db, "Український текст.", language="uk")
    reason = "Semantic match across languages: Ukrainian → Russian (similarity 0.80)"
    db.add(ClaimLink(claim_id=uk.id, other_claim_id=ru.id, method="semantic", reason=reason))
    db.commit()
    on_uk = client.get(f"/desk/claims/{uk.id}").get_data(as_text=True)
    on_ru = client.get(f"/desk/claims/{ru.id}").get_data(as_text=True)
    assert f'<p class="reason">{reason}</p>' in on_uk.replace("&gt;", ">")
    expected = f"Found by matching claim {uk.id} against this one: {reason}"
    assert expected in on_ru.replace("&gt;", ">")


def test_a_link_without_https_is_completed_not_refused(client, db, login_as, app):
    # Links copied from a messenger often lack the scheme: "Use an http:// address" refused them.
    app.config["CAPTURE_INLINE_BUDGET_SECONDS"] = 0.0
    login_as(Role.ANALYST)
    response = client.post(
        "/desk/claims/new", data=claim_form(appearances=[{"url": "t.me/voenkor_news/48213"}])
    )
    assert response.status_code == 302
    claim = db.scalar(select(Claim))
    assert [a.url for a in claim.appearances] == ["https://t.me/voenkor_news/48213"]


def test_a_refused_form_opens_on_a_summary_that_links_to_each_field(client, login_as):
    # The focus stayed at the top of the page, and the summary named no field.
    login_as(Role.ANALYST)
    data = claim_form()
    data |= {"text": "", "appearances-0-url": "ftp://bad.example/a"}
    page = page_text(client.post("/desk/claims/new", data=data))
    summary = page.split(
        'class="flash flash-error error-summary" role="alert" tabindex="-1" autofocus>'
    )[1]
    summary = summary.split("</div>")[0]
    assert '<a href="#text">The claim, as it was made</a>: This field is required.' in summary
    assert '<a href="#appearances-0-url">Link 1</a>: Use an http:// or https:// address.' in summary
    assert 'role="group" aria-label="Link 1"' in page


def test_a_refused_sign_in_says_passwords_are_typed_again(client, db):
    page = page_text(client.post("/login", data={"email": "a@example.org", "password": "x"}))
    assert "everything you typed is kept except passwords, which are typed again" in page
    assert '<a href="#password">Password</a>' in page


def test_a_new_narrative_name_too_long_is_refused_next_to_its_field(client, db, login_as):
    # It came as a banner at the top, naming no field and no name.
    login_as(Role.ANALYST)
    data = claim_form()
    data["new_narratives"] = "Western fatigue; " + "N" * 300
    response = client.post("/desk/claims/new", data=data)
    assert response.status_code == 400
    page = html.unescape(page_text(response))
    error = page.split('id="new_narratives-error">')[1].split("</p>")[0]
    assert (
        error
        == "“"
        + "N" * 60
        + "…”: The name is 300 characters long; the limit is 200. Nothing was cut."
    )
    assert db.scalar(select(Claim)) is None


def test_saving_a_claim_with_a_link_of_another_claim_says_so(client, db, login_as):
    # One broadcast often makes several claims, so it is not refused; but the analyst was
    # told nothing, and the claim may have been recorded before in other words.
    login_as(Role.ANALYST)
    other = make_claim(
        db, "Kyiv shelled its own city.", status=ClaimStatus.PUBLISHED,
        url="https://t.me/vestnik_demo/4411",
    )  # fmt: skip
    db.commit()
    data = claim_form(
        "A quite different sentence about the same post.",
        appearances=[{"url": "https://t.me/vestnik_demo/4411"}],
    )
    response = client.post("/desk/claims/new", data=data, follow_redirects=True)
    assert f"A link of this claim is also a link of claim {other.id}" in page_text(response)
    alone = claim_form("Yet another sentence.", appearances=[{"url": "https://new.example/1"}])
    page = page_text(client.post("/desk/claims/new", data=alone, follow_redirects=True))
    assert "is also a link of" not in page
