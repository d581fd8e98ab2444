"""Public search: relevance in three languages, filters, facets, order, pages, hostile input."""

from __future__ import annotations

import pytest

from tests.factories import make_claim
from tests.public_support import build_world
from tracker.models import ClaimStatus, Rating
from tracker.services.indexing import reindex_claims


@pytest.fixture
def world(db):
    return build_world(db)


def _ids(client, query: str) -> list[int]:
    response = client.get(f"/api/v1/search?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["id"] for item in response.get_json()["items"]]


def _publish_extra(db, text: str, language: str) -> int:
    from datetime import UTC, datetime

    claim = make_claim(
        db,
        text,
        language=language,
        status=ClaimStatus.PUBLISHED,
        rating=Rating.FALSE,
        published_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    reindex_claims(db, [claim.id])
    db.commit()
    return claim.id


def test_a_russian_query_finds_the_russian_claim(client, world):
    assert _ids(client, "q=взрывы в Виннице") == [world.ru]


def test_a_ukrainian_word_with_another_case_ending_finds_its_claim(client, world):
    # The claim says "санкції ... економіку"; the query uses other case forms.
    assert world.uk in _ids(client, "q=санкціями економіки")


def test_dictionary_forms_find_claims_that_use_other_cases(client, db, world):
    uk = _publish_extra(db, "Біженці повертаються до Києва з-за кордону.", "uk")
    ru = _publish_extra(db, "Иностранцев вербуют в Москве.", "ru")
    assert _ids(client, "q=біженець Київ") == [uk]
    assert _ids(client, "q=иностранец") == [ru]


def test_case_does_not_matter(client, world):
    assert _ids(client, "q=DEUTSCHLAND HEIZUNG") == [world.de]


def test_accents_do_not_matter(client, db, world):
    claim_id = _publish_extra(db, "Le café de Kyiv a été fermé par les néonazis.", "fr")
    assert claim_id in _ids(client, "q=cafe neonazis")
    assert claim_id in _ids(client, "q=CAFÉ")


def test_english_stemming_finds_other_forms(client, world):
    assert world.en in _ids(client, "q=recruiting volunteer")


def test_the_english_summary_of_a_foreign_claim_is_searched(client, world):
    assert world.ru in _ids(client, "q=explosions Vinnytsia")


def test_outlet_names_are_searched(client, world):
    assert world.uk in _ids(client, "q=Zvezda")


def test_search_never_returns_private_claims(client, world):
    # The drafts also speak of foreign volunteers in Moscow; only the public claim is found.
    ids = _ids(client, "q=foreign volunteers Moscow")
    assert ids == [world.en]


def test_a_narrow_filter_finds_matches_beyond_the_best_ranked(client, db, world, monkeypatch):
    """With a common word only the best matches are ranked; a filter that none of them pass
    still finds the claims that do."""
    from datetime import UTC, datetime

    from tracker.public import candidates

    monkeypatch.setattr(candidates, "FILTERED_RANK_LIMIT", 1)
    monkeypatch.setattr(candidates, "FILTER_FIRST", 0)  # as if many claims passed the filter
    for n in range(3):
        _publish_extra(db, f"Mercenaries {n}: mercenaries and more mercenaries", "en")
    rare = make_claim(
        db,
        "A claim that mentions mercenaries once among many other words",
        language="en",
        status=ClaimStatus.PUBLISHED,
        rating=Rating.MISLEADING,
        published_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    reindex_claims(db, [rare.id])
    db.commit()
    assert _ids(client, "q=mercenaries&verdict=misleading") == [rare.id]
    page = client.get("/search?q=mercenaries&verdict=misleading").get_data(as_text=True)
    assert "not all could be ranked" in page


def test_a_filter_few_claims_pass_ranks_exactly_those(client, db, world, monkeypatch):
    """When few public claims pass the filters, the index ranks just those: every match
    among them, in order, counted exactly, however common the words."""
    from datetime import UTC, datetime

    from tracker.public import candidates

    monkeypatch.setattr(candidates, "FILTERED_RANK_LIMIT", 1)
    monkeypatch.setattr(candidates, "RANK_LIMIT", 1)
    for n in range(3):
        _publish_extra(db, f"Mercenaries {n}: mercenaries and more mercenaries", "en")
    found = []
    for text in ("Mercenaries, mercenaries: a misleading count", "Mercenaries in one line"):
        claim = make_claim(
            db,
            text,
            language="en",
            status=ClaimStatus.PUBLISHED,
            rating=Rating.MISLEADING,
            published_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
        found.append(claim.id)
    reindex_claims(db, found)
    db.commit()
    assert _ids(client, "q=mercenaries&verdict=misleading") == found
    page = client.get("/search?q=mercenaries&verdict=misleading").get_data(as_text=True)
    assert "not all could be ranked" not in page


def test_a_claim_withdrawn_after_ranking_is_not_shown(db, world):
    """Ranked candidates may be reused for a minute; the rows shown are read fresh."""
    from tracker.models import Claim
    from tracker.public.listing import load_rows

    db.get(Claim, world.en).status = ClaimStatus.DRAFT
    db.commit()
    assert [row.claim.id for row in load_rows(db, [world.en, world.ru])] == [world.ru]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ("q=Moscow&verdict=false", "en"),
        ("q=санкції&language=uk", "uk"),
        # Names are taken as their codes (they were refused as "not a code").
        ("q=санкції&language=Ukrainian", "uk"),
        ("q=санкції&language=українська", "uk"),
        ("q=Vinnytsia&country=UA", "ru"),
        ("q=Vinnytsia&country=Ukraine", "ru"),
        ("q=volunteers&narrative=foreign-legion", "en"),
        ("q=Heizung&from=2022-01-01&to=2022-12-31", "de"),
    ],
)
def test_each_filter_narrows_the_search(client, world, params, expected):
    assert _ids(client, params) == [getattr(world, expected)]


def test_a_retracted_claim_is_found_as_retracted_not_under_its_withdrawn_verdict(client, world):
    # The world's retracted claim was rated false before its verdict was withdrawn.
    def listed(query: str) -> set[int]:
        body = client.get(f"/api/v1/claims?{query}&limit=100").get_json()
        return {item["id"] for item in body["items"]}

    assert world.retracted in listed("")
    assert world.retracted not in listed("verdict=false") and world.en in listed("verdict=false")
    assert listed("verdict=retracted") == {world.retracted}
    assert listed("verdict=false,retracted") == listed("verdict=false") | {world.retracted}
    # "soldiers": the retracted claim's text and the Russian claim's English summary.
    body = client.get("/api/v1/search?q=soldiers").get_json()
    verdicts = {v["value"]: (v["label"], v["count"]) for v in body["facets"]["verdict"]}
    assert verdicts == {"false": ("False", 1), "retracted": ("Retracted", 1)}
    page = client.get("/search?q=soldiers&verdict=retracted").get_data(as_text=True)
    assert "Verdict: Retracted" in page and 'value="retracted" checked' in page
    assert _ids(client, "q=soldiers&verdict=retracted") == [world.retracted]


def test_outlet_filter_narrows_the_search(client, world):
    assert _ids(client, f"q=Moscow&outlet={world.other_outlet}") == [world.en]
    response = client.get("/api/v1/search?q=Heizung&outlet=999999")
    assert response.status_code == 400
    assert "No outlet in the public record has the number 999999." in response.get_json()["message"]


def test_facets_on_the_search_page(client, db, world):
    for text in ("Moscow sends volunteers", "Volunteers leave Moscow"):
        _publish_extra(db, text, "en")
    body = client.get("/api/v1/search?q=Moscow").get_json()
    verdicts = {v["value"]: v["count"] for v in body["facets"]["verdict"]}
    assert verdicts["false"] == body["total"] == 3
    languages = {v["value"]: v["count"] for v in body["facets"]["language"]}
    assert languages == {"en": 3}
    page = client.get("/search?q=Moscow").get_data(as_text=True)
    assert "Refine" in page and 'class="facet-count">3<' in page


def test_newest_first_on_request(client, db, world):
    older = _publish_extra(db, "Soldiers in the Moscow parade", "en")
    ids = _ids(client, "q=Moscow&sort=newest")
    assert ids.index(world.en) < ids.index(older)


def test_snippets_highlight_the_query_words(client, world):
    page = client.get("/search?q=volunteers").get_data(as_text=True)
    assert "<mark>volunteers</mark>" in page


def test_search_pages_by_capped_offsets_and_cursors(client, db, world):
    for n in range(5):
        _publish_extra(db, f"Moscow story number {n}", "en")
    first = client.get("/api/v1/search?q=Moscow&limit=2").get_json()
    seen = [i["id"] for i in first["items"]]
    nxt = first["next"]
    while nxt:
        body = client.get(nxt).get_json()
        seen += [i["id"] for i in body["items"]]
        nxt = body["next"]
    assert len(seen) == len(set(seen)) == 6
    page2 = client.get("/search?q=Moscow&page=2").get_data(as_text=True)
    assert "Page 2" not in page2 or "Previous" in page2


def test_a_claim_found_through_its_rationale_says_so(client, world):
    page = client.get("/search?q=Defence").get_data(as_text=True)
    assert '<span class="match-where">Verdict rationale:</span>' in page
    assert "<mark>Defence</mark>" in page


def test_a_claim_found_through_a_page_title_says_so(client, db, world):
    from tracker.models import Appearance, Claim

    db.get(Claim, world.uk).appearances.append(
        Appearance(url="https://vestnik-test.example/t", title="Commander interview")
    )
    reindex_claims(db, [world.uk])
    db.commit()
    page = client.get("/search?q=commander").get_data(as_text=True)
    assert '<span class="match-where">Page title:</span> <mark>Commander</mark> interview' in page


def test_a_latin_name_is_marked_in_a_cyrillic_text(client, db, world):
    claim_id = _publish_extra(db, "Митинг в Москве разогнали.", "ru")
    page = client.get("/search?q=Moscow&language=ru").get_data(as_text=True)
    assert f'href="/claims/{claim_id}"' in page and "<mark>Москве</mark>" in page


def test_a_query_over_the_limit_is_cut_between_words(client, world):
    # Cut mid-word ("… Moscow Mo"), the last word matched nothing and so nothing was found.
    page = client.get("/search", query_string={"q": "Moscow " * 80}).get_data(as_text=True)
    assert "The query was cut to its first 500 characters." in page
    assert "Russia has recruited tens of thousands" in page


def test_no_result_for_many_words_points_to_the_check_page(client, world):
    page = client.get("/search?q=a+paragraph+of+words+no+claim+has+together").get_data(as_text=True)
    assert "No claims found" in page and 'href="/check"' in page


def test_a_date_filter_says_that_undated_claims_are_left_out(client, db, world):
    make_claim(db, "An undated public claim.", status=ClaimStatus.PUBLISHED, rating=Rating.FALSE)
    db.commit()
    filtered = client.get("/search?from=2024-01-01").get_data(as_text=True)
    assert "1 public claim has no known date of first appearance" in filtered
    assert "no known date of first appearance" not in client.get("/search").get_data(as_text=True)


def test_countries_and_languages_are_shown_by_name_and_taken_back(client, world):
    # The filter boxes and labels showed "UA" and "ru"; outlet pages "News site · RU".
    import html as html_module

    page = html_module.unescape(client.get("/search?country=UA&language=ru").get_data(as_text=True))
    assert 'value="Ukraine"' in page and 'value="Russian"' in page
    assert "Country: Ukraine" in page
    again = client.get("/search?country=Ukraine&language=Russian")
    assert again.status_code == 200
    assert "Country: Ukraine" in html_module.unescape(again.get_data(as_text=True))
    outlets = html_module.unescape(client.get("/outlets/").get_data(as_text=True))
    assert "<td>Russia</td>" in outlets and "<td>RU</td>" not in outlets
