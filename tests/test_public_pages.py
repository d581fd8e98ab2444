"""The public HTML pages: what each shows, and how they answer bad input."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.public_support import build_world


@pytest.fixture
def world(db):
    return build_world(db)


def _html(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def test_home_shows_search_box_latest_claims_narratives_and_counts(client, world):
    page = _html(client, "/")
    assert 'role="search"' in page and 'name="q"' in page
    assert "Russia has recruited tens of thousands" in page
    assert "Foreign legion narrative" in page
    assert re.search(r'class="count">6</span> claims on record', page)  # retracted ones too


def test_home_does_not_say_nothing_was_published_lately_when_claims_were(client, db, world):
    # "No claims were published in the last 30 days" stood beside claims published today
    # that named no narrative.
    assert "No claims were published in the last 30 days" in _html(client, "/")
    from tests.factories import make_claim
    from tracker.models import ClaimStatus, Rating

    make_claim(db, "Published today, no narrative.", status=ClaimStatus.PUBLISHED,
               rating=Rating.FALSE, rationale="No.", published_at=datetime.now(UTC))  # fmt: skip
    db.commit()
    page = _html(client, "/")
    assert "No claim published in the last 30 days names a narrative" in page


def test_every_page_leads_to_the_check_page(client, world):
    # A new user found no way to /check from the site: the menu and the home page link it.
    for path in ("/", "/search", f"/claims/{world.en}"):
        assert 'href="/check">Check a text</a>' in _html(client, path), path
    assert "Check it against the record" in _html(client, "/")


def test_claim_page_shows_text_language_summary_verdict_and_rationale(client, world):
    page = _html(client, f"/claims/{world.ru}")
    assert 'lang="ru"' in page
    assert "Украинские военные сами организовали" in page
    assert "Ukrainian soldiers organised the explosions" in page
    assert "Verdict: False" in page
    assert "No evidence supports this." in page


def test_claim_page_marks_the_first_appearance_and_links_the_archive(client, world):
    page = _html(client, f"/claims/{world.en}")
    first = page.index("First appearance")
    assert page.index('class="original-link" href="https://zarya-test.example/news/1"') > first
    assert f'href="/snapshots/{world.snapshot}"' in page
    assert 'href="https://t.me/zarya_test/2"' in page


def test_claim_page_states_the_figure_comparison_in_words_and_numbers(client, world):
    page = _html(client, f"/claims/{world.en}")
    assert "The claim says tens of thousands" in page
    assert "UK Ministry of Defence, citing iStories says more than 1,500 people" in page
    assert "about 6.7× higher" in page
    # The figure's own qualifier stays with its number in the line under the sentence.
    assert re.search(r"</a> — more than 1,500; the claim's number: 10,000", page)


def test_claim_page_lists_confirmed_debunks_and_related_claims(client, world):
    page = _html(client, f"/claims/{world.en}")
    assert "Foreign recruitment in Moscow: what the numbers say" in page
    assert f'href="/claims/{world.ru}"' in page


def test_claim_page_shows_verdict_updates_with_their_date(client, world):
    page = _html(client, f"/claims/{world.updated}")
    assert "Updates and corrections" in page
    assert "19 June 2024" in page
    assert "New satellite images did not settle the question." in page


def test_claim_page_has_canonical_url_open_graph_and_twitter_tags(client, world):
    page = _html(client, f"/claims/{world.en}")
    assert f'<link rel="canonical" href="http://localhost/claims/{world.en}">' in page
    assert '<meta property="og:title" content="False: Tens of thousands' in page
    assert f'<meta property="og:url" content="http://localhost/claims/{world.en}">' in page
    assert '<meta name="twitter:card" content="summary">' in page


def test_claim_page_escapes_script_in_the_json_ld(client, db, world):
    from tracker.models import Claim

    claim = db.get(Claim, world.en)
    claim.text = "</script><script>alert(1)</script>"
    db.commit()
    page = _html(client, f"/claims/{world.en}")
    assert "<script>alert(1)" not in page


def test_outlet_page_shows_verdicts_chart_narratives_handles_and_dates(client, world):
    page = _html(client, f"/outlets/{world.outlet}")
    assert "Zarya Test TV" in page
    assert "zarya-test.example" in page
    assert 'class="chart' in page and "<svg" in page
    assert "Foreign legion narrative" in page
    assert "First appearance" in page and "Latest appearance" in page
    assert re.search(r'class="count">3</span> claims on record', page)
    assert "TV channel" in page  # the kind's label, not "Tv channel"


def test_outlet_page_counts_a_retracted_claim_as_retracted_not_under_its_old_verdict(client, world):
    # The outlet's three claims: two rated false, and one whose false verdict was withdrawn.
    page = _html(client, f"/outlets/{world.outlet}")
    assert ">False: 2</a>" in page
    assert "<li>Retracted: 1</li>" in page
    assert re.search(r'class="share-bar bar-retracted"[^>]*value="1"', page)
    api = client.get(f"/api/v1/outlets/{world.outlet}").get_json()
    assert api["claims_by_verdict"] == {"false": 2, "retracted": 1}


def test_outlet_page_links_its_claims_in_search_without_a_count_when_all_are_shown(client, world):
    page = _html(client, f"/outlets/{world.outlet}")
    assert "Search the claims by Zarya Test TV" in page
    assert "All 3 claims by" not in page


def test_outlets_index_is_sorted_by_claims_or_name(client, world):
    by_claims = _html(client, "/outlets/")
    # Zvezda has four public claims, Zarya three.
    assert by_claims.index("Zvezda Test") < by_claims.index("Zarya Test TV")
    by_name = _html(client, "/outlets/?sort=name")
    assert by_name.index("Zarya Test TV") < by_name.index("Zvezda Test")


def test_outlets_index_ignores_an_unknown_sort_with_a_notice(client, world):
    page = _html(client, "/outlets/?sort=%27;drop")
    assert "showing by claims" in page


def test_narrative_page_shows_claims_outlets_and_timeline(client, world):
    page = _html(client, f"/narratives/{world.narrative}")
    assert "Foreign legion narrative" in page
    assert "Russia has recruited tens of thousands" in page
    assert "Zarya Test TV" in page
    assert "<svg" in page


def test_article_page_shows_the_claims_it_addresses(client, world):
    page = _html(client, f"/articles/{world.article}")
    assert "Russia recruited tens of thousands of foreigners in Moscow." in page
    assert f'href="/claims/{world.en}"' in page
    assert "</a>: more than 1,500</li>" in page  # the figure's qualifier (it said a bare 1,500)


def test_figure_page_shows_parts_sum_and_remainder_and_source_chain(client, world):
    page = _html(client, f"/figures/{world.figure}")
    assert "more than 1,500 people" in page
    assert "South and East Asia" in page
    assert "1,366" in page  # accounted for by the parts
    # Not broken down: the total's "more than" carries over (it said a bare 134 and 1,500).
    assert '<td class="num">at least 134</td>' in page
    assert '<th scope="row">Total</th><td class="num">more than 1,500 people</td>' in page
    assert "citing <strong>iStories</strong>" in page
    assert "Apr 2023 – May 2024" in page
    assert f'href="/claims/{world.en}"' in page


def test_snapshot_page_shows_the_archived_text_next_to_the_original(client, world):
    page = _html(client, f"/snapshots/{world.snapshot}")
    assert "Archived page text." in page
    assert 'href="https://zarya-test.example/news/1"' in page


@pytest.mark.parametrize(
    "path",
    [
        "/claims/999999",
        "/outlets/999999",
        "/articles/999999",
        "/figures/999999",
        "/narratives/no-such-thing",
        "/snapshots/999999",
        "/claims/abc",
    ],
)
def test_unknown_ids_and_slugs_are_a_404_page(client, world, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_search_page_ignores_invalid_filters_with_a_notice(client, world):
    response = client.get("/search?verdict=bogus&from=yesterday&page=-2")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Unknown verdict" in page
    assert "is not a date" in page
    assert "positive number" in page


def test_a_country_code_given_as_the_language_is_explained(client, world):
    page = _html(client, "/search?language=ua")
    assert "“ua” is a country code; the language code is “uk”." in page
    assert client.get("/api/v1/claims?language=ua").status_code == 400
    assert "The country code of the United Kingdom is “GB”" in _html(client, "/search?country=uk")
    assert "“ZZ” is not a country code" in _html(client, "/search?country=zz")
    response = client.get("/api/v1/claims?country=ZZ")
    assert response.status_code == 400 and "not a country code" in response.get_json()["message"]


def test_an_unknown_narrative_is_ignored_with_a_notice_not_an_empty_result(client, world):
    page = _html(client, "/search?narrative=no-such-narrative")
    assert "No narrative in the record is called “no-such-narrative”." in page
    assert "No claims found" not in page


@pytest.mark.parametrize(
    ("query", "notice"),
    [
        ("outlet=999999", "No outlet in the public record has the number 999999."),
        ("language=zz", "No claim in the public record is in a language with the code “zz”."),
    ],
)
def test_an_unknown_outlet_or_language_is_ignored_with_a_notice(client, world, query, notice):
    page = _html(client, f"/search?{query}")
    assert notice in page
    assert "No claims found" not in page


def test_a_language_outside_the_usual_list_is_kept_when_claims_have_it(client, db, world):
    from tracker.models import Claim

    db.get(Claim, world.de).language = "lb"  # Luxembourgish, say, from an import
    db.commit()
    page = _html(client, "/search?language=lb")
    assert "No claim in the public record is in a language" not in page
    assert "Language: lb" in page


def test_search_page_without_query_lists_claims_newest_first(client, world):
    page = _html(client, "/search")
    assert page.index("Russia has recruited") < page.index("Західні санкції")


def test_pages_have_one_h1_and_no_inline_script_or_style(client, world):
    for path in [
        "/",
        "/search",
        f"/claims/{world.en}",
        f"/outlets/{world.outlet}",
        "/outlets/",
        f"/narratives/{world.narrative}",
        f"/articles/{world.article}",
        f"/figures/{world.figure}",
    ]:
        page = _html(client, path)
        assert page.count("<h1") == 1, path
        assert "style=" not in page, path
        scripts = re.findall(r"<script([^>]*)>", page)
        assert all('type="application/ld+json"' in attrs for attrs in scripts), path


def test_a_page_past_the_end_shows_the_last_page(client, world):
    page = _html(client, "/search?page=3")
    assert "fewer results than that page needs" in page
    assert 'class="claim-card' in page and 'rel="prev"' not in page


def test_meta_descriptions_are_plain_text_not_markdown(client, db, world):
    from tracker.models import Claim

    db.get(Claim, world.en).rationale = "**Wrong**: see [the MoD figures](https://mod.example/x)."
    db.commit()
    page = _html(client, f"/claims/{world.en}")
    expected = "False: Wrong: see the MoD figures."
    for name in ('name="description"', 'property="og:description"', 'name="twitter:description"'):
        assert f'<meta {name} content="{expected}">' in page


def test_a_retracted_claim_keeps_its_title_before_the_retraction_notice(client, world):
    page = _html(client, f"/claims/{world.retracted}")
    assert page.index("<h1") < page.index("This fact check was retracted")


def test_a_retracted_claim_shows_its_verdict_as_withdrawn(client, world):
    # A new user read "False" on a retracted fact check as our standing verdict.
    for path in (f"/claims/{world.retracted}", "/search?q=&sort=newest"):
        page = _html(client, path)
        assert re.search(r'Retracted</span>\s*<span class="badge verdict-withdrawn"', page), path
    page = _html(client, f"/claims/{world.retracted}")
    assert "Withdrawn verdict:" in page and "on a scale from 1" not in page
    assert not re.search(r'<span class="badge verdict-(false|misleading|accurate)', page)
    assert '<meta property="og:title" content="Retracted: ' in page
    assert '<meta name="description" content="Retracted: ' in page


def test_verdict_shares_are_html_bars_that_do_not_shrink_with_the_screen(client, world):
    page = _html(client, f"/outlets/{world.outlet}")
    assert re.search(r'<meter class="share-bar bar-false" min="0" max="\d+" value="\d+">', page)


def test_search_form_offers_outlet_and_narrative_filters(client, world):
    page = _html(client, f"/search?outlet={world.other_outlet}&narrative={world.narrative}")
    assert re.search(r'<input id="outlet" name="outlet" [^>]*value="Zvezda Test"', page)
    assert f'<option value="{world.narrative}" selected>Foreign legion narrative' in page
    assert "Outlet: Zvezda Test" in page


def test_an_outlet_can_be_chosen_by_typing_its_name(client, world):
    page = _html(client, "/search?outlet=zvezda")
    assert "Outlet: Zvezda Test" in page and "Western sanctions ruined" in page
    assert "Russia has recruited" in page  # en appeared in Zvezda Test too
    assert "Ukrainian soldiers organised" not in page  # ru only in Zarya Test TV


def test_an_ambiguous_outlet_name_asks_to_choose(client, world):
    page = _html(client, "/search?outlet=test")
    assert "Several outlets match “test” (Zarya Test TV, Zvezda Test); choose one." in page


def test_outlets_index_pages_through_every_outlet(client, world, monkeypatch):
    from tracker.public import views

    monkeypatch.setattr(views, "PER_PAGE", 1)
    first, second = (
        _html(client, "/outlets/?sort=name"),
        _html(client, "/outlets/?sort=name&page=2"),
    )
    assert "Page 1 of 2" in first and "Zarya Test TV" in first and "Zvezda Test" not in first
    assert "Zvezda Test" in second and 'rel="prev"' in second


def test_outlets_index_answers_a_page_past_the_end_with_the_first(client, world):
    page = _html(client, "/outlets/?page=99")
    assert "showing the first" in page and "Zarya Test TV" in page


def test_our_own_article_shows_our_verdict_without_a_mapping(client, world, db):
    from tests.factories import make_article
    from tracker.models import Rating

    ours = make_article(
        db, "Our own check", publisher="Test Fact Check", is_ours=True, rating=Rating.FALSE
    )
    db.commit()
    page = _html(client, f"/articles/{ours.id}")
    assert re.search(
        r'<dt>Our rating</dt>\s*<dd class="rating-as-written">\s*<span class="badge verdict-false"',
        page,
    )
    assert "not given in words" not in page and "On our scale" not in page
    assert "(our own fact check)" in page


def test_a_merged_outlets_old_address_leads_to_the_outlet_it_was_merged_into(client, db, world):
    # It answered 404, although the merge page says the old outlet stays as a pointer.
    from tests.factories import make_user
    from tracker.audit import Actor
    from tracker.models import Outlet, Role
    from tracker.services import outlets

    editor = make_user(db, Role.EDITOR)
    source, target = db.get(Outlet, world.other_outlet), db.get(Outlet, world.outlet)
    outlets.merge_outlets(db, source, target, by=Actor(editor))
    db.commit()
    for path, expected in (
        (f"/outlets/{world.other_outlet}", f"/outlets/{world.outlet}"),
        (f"/api/v1/outlets/{world.other_outlet}", f"/api/v1/outlets/{world.outlet}"),
    ):
        response = client.get(path)
        assert response.status_code == 301 and response.location.endswith(expected), path
    assert client.get("/outlets/999999").status_code == 404
    # A search by the old outlet is a search by the one it became (it showed every claim).
    by_old = client.get(f"/api/v1/claims?outlet={world.other_outlet}")
    by_new = client.get(f"/api/v1/claims?outlet={world.outlet}")
    assert by_old.status_code == 200
    assert by_old.get_json()["items"] == by_new.get_json()["items"]
    page = _html(client, f"/search?outlet={world.other_outlet}")
    assert "No outlet in the public record" not in page
    # Merged again, the first outlet's address leads to the last one, in one step.
    from tests.factories import make_claim, make_outlet

    last = make_outlet(db, name="Outlet it all became")
    make_claim(db, outlet=last, status="published")
    outlets.merge_outlets(db, target, last, by=Actor(editor))
    db.commit()
    response = client.get(f"/outlets/{world.other_outlet}")
    assert response.status_code == 301 and response.location.endswith(f"/outlets/{last.id}")


def test_a_narrative_only_drafts_tell_is_not_public(client, db, world):
    # Narratives typed while trying the claim form were public at once, with no claim.
    from tests.factories import make_claim, make_user
    from tracker.audit import Actor
    from tracker.models import Role
    from tracker.services import narratives

    by = Actor(make_user(db, Role.ANALYST))
    draft_only = narratives.create_narrative(db, "Харків — база НАТО", by=by)
    draft = make_claim(db, "A draft telling it.")
    draft.narratives.append(draft_only)
    db.commit()
    assert draft_only.slug == "harkiv-baza-nato"  # it was "narrative-2"
    assert client.get(f"/narratives/{draft_only.slug}").status_code == 404
    assert "Харків — база НАТО" not in _html(client, "/search")
    assert "Foreign legion narrative" in _html(client, "/search")


def test_an_undated_link_is_listed_after_the_dated_ones(client, db, world):
    # SQLite sorts a missing date first: "date unknown" headed the list, above the first
    # appearance.
    from tracker.audit import SYSTEM
    from tracker.models import Claim
    from tracker.services import claims

    claim = db.get(Claim, world.en)
    item = claims.AppearanceInput(url="https://mirror.example/undated")
    claims.add_appearance(db, claim, item, by=SYSTEM)
    db.commit()
    page = _html(client, f"/claims/{world.en}")
    assert page.index("First appearance") < page.index("date unknown")


def test_the_narratives_page_lists_the_public_ones_with_their_claims(client, world):
    # The home page counted "401 narratives", and /narratives/ was a 404.
    page = _html(client, "/narratives/")
    assert "Foreign legion narrative" in page
    assert "deleted narrative" not in page
    assert f'href="/narratives/{world.narrative}"' in page
    assert 'href="/narratives/"' in _html(client, "/")
    assert "There are 1 pages" in _html(client, "/narratives/?page=9")


def test_a_claim_page_says_how_to_cite_it(client, world):
    page = _html(client, f"/claims/{world.en}")
    assert "Cite this fact check" in page
    assert f"(claim {world.en}), checked" in page
    assert f"http://localhost/claims/{world.en}</p>" in page
