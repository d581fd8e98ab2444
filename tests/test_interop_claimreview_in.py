"""Reading ClaimReview: the 32 real items, messy markup, files, pages, folders."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.interop_support import (
    CLAIMREVIEW_DIR,
    DATA,
    fixture_id,
    real_claimreview_fixtures,
    require,
)
from tracker.interop.claimreview_in import (
    ParsedReview,
    RejectedItem,
    parse_claimreview,
    read_claimreviews,
)
from tracker.interop.errors import InteropError

REAL = real_claimreview_fixtures()
REAL_IDS = [fixture_id(f) for f in REAL]


def _ok(item: object) -> ParsedReview:
    assert isinstance(item, ParsedReview), getattr(item, "reason", item)
    return item


def _minimal(**changes: object) -> dict[str, object]:
    review: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://checks.example.org/review/1",
        "claimReviewed": "The bridge was built in 1990",
        "datePublished": "2022-03-01",
        "inLanguage": "en",
        "author": {"@type": "Organization", "name": "Example Checks"},
        "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A. Blogger"}},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": "False",
        },
    }
    review.update(changes)
    return review


# --- the 32 real items -------------------------------------------------------------


def test_real_fixtures_are_all_there():
    require(CLAIMREVIEW_DIR)
    assert len(REAL) == 32


@pytest.mark.parametrize("fixture", REAL, ids=REAL_IDS)
def test_real_object_parses(fixture):
    review = _ok(parse_claimreview(fixture["claimreview"], base_url=fixture["page_url"]))
    assert review.url.startswith("https://")
    assert review.claim_reviewed


@pytest.mark.parametrize("fixture", REAL, ids=REAL_IDS)
def test_real_page_gives_the_same_review_as_its_object(fixture):
    page = require(CLAIMREVIEW_DIR / fixture["page_file"])
    expected = _ok(parse_claimreview(fixture["claimreview"], base_url=fixture["page_url"]))
    found = [r for r in read_claimreviews(page, base_url=fixture["page_url"])]
    parsed = [r for r in found if isinstance(r, ParsedReview)]
    match = [r for r in parsed if r.external_id == expected.external_id]
    assert len(match) == 1
    assert match[0].claim_reviewed == expected.claim_reviewed
    assert match[0].rating == expected.rating


EXPECTED_RATINGS = {
    "afp_factual_raw_0": "misleading",
    "afp_fact_check_hindi_raw_0": "false",
    "aos_fatos_raw_0": "missing_context",
    "comprova_raw_0": "false",
    "fact_check_cite_raw_0": None,
    "india_today_mixed_ld_json_types_0": "missing_context",
    "india_today_raw_0": "misleading",
    "tfc_taiwan_missing_page_0": "unproven",
    "tfc_taiwan_raw_0": "false",
    "fatabyyano_raw_0": "false",
    "twenty_minutes_claim_review_page_0": "false",
}


@pytest.mark.parametrize("name", sorted(EXPECTED_RATINGS))
def test_real_rating_is_mapped_as_documented(name):
    fixture = next((f for f in REAL if fixture_id(f) == name), None)
    if fixture is None:
        pytest.skip("shared data not available")
    review = _ok(parse_claimreview(fixture["claimreview"], base_url=fixture["page_url"]))
    assert review.mapping.rating == EXPECTED_RATINGS[name]


def test_real_relative_review_url_is_resolved_against_the_page():
    fixture = next((f for f in REAL if fixture_id(f) == "estadao_raw_0"), None)
    if fixture is None:
        pytest.skip("shared data not available")
    review = _ok(parse_claimreview(fixture["claimreview"], base_url=fixture["page_url"]))
    assert review.url == (
        "https://www.estadao.com.br/estadao-verifica/"
        "yanomamis-desnutricao-venezuelanos-brasileiros-maduro-lula/"
    )


# --- messy markup, one form per test -----------------------------------------------


def test_missing_context_is_assumed_and_reported():
    obj = _minimal()
    del obj["@context"]
    review = _ok(parse_claimreview(obj))
    assert "no @context: schema.org assumed" in review.warnings


@pytest.mark.parametrize(
    "raw_type",
    [
        ["Review", "ClaimReview"],
        "schema:ClaimReview",
        "http://schema.org/ClaimReview",
        "claimreview",
    ],
)
def test_type_variants_are_read_as_claimreview(raw_type):
    review = _ok(parse_claimreview(_minimal(**{"@type": raw_type})))
    assert review.claim_reviewed == "The bridge was built in 1990"


def test_other_types_are_rejected():
    item = parse_claimreview(_minimal(**{"@type": "NewsArticle"}))
    assert isinstance(item, RejectedItem)
    assert item.reason == "not a ClaimReview (@type NewsArticle)"


def test_graph_wrapper_with_id_reference_resolves_the_publisher():
    (review,) = read_claimreviews(DATA / "graph.json")
    assert _ok(review).publisher.name == "Example Checks"


def test_nested_arrays_are_searched():
    from tracker.interop.claimreview_in import read_document

    (review,) = read_document([[[_minimal()]]], origin="inline")
    assert _ok(review).external_id == "https://checks.example.org/review/1"


def test_creativework_item_reviewed_is_read_as_the_claim():
    item = {"@type": "CreativeWork", "url": "https://social.example.com/post/9"}
    review = _ok(parse_claimreview(_minimal(itemReviewed=item)))
    assert review.claim.appearances == ("https://social.example.com/post/9",)
    assert "itemReviewed is CreativeWork, not a Claim: read as the claim" in review.warnings


def test_lowercase_keys_are_read():
    obj = {
        "@type": "ClaimReview",
        "url": "https://checks.example.org/r",
        "claimreviewed": "Lower-case keys",
        "datepublished": "2021-01-02",
        "reviewrating": {"alternatename": "False"},
    }
    review = _ok(parse_claimreview(obj))
    assert (review.claim_reviewed, review.date_published) == ("Lower-case keys", date(2021, 1, 2))
    assert "key 'claimreviewed' read as 'claimReviewed'" in review.warnings


def test_misspelt_key_is_read():
    obj = _minimal(reviewRating={"@type": "Rating", "alternativeName": "Misleading"})
    assert _ok(parse_claimreview(obj)).rating.alternate_name == "Misleading"


def test_rating_whitespace_is_trimmed_and_reported():
    obj = _minimal(reviewRating={"alternateName": "Incorrect \r"})
    review = _ok(parse_claimreview(obj))
    assert review.rating.alternate_name == "Incorrect"
    assert "reviewRating.alternateName: surrounding whitespace trimmed" in review.warnings


def test_sentence_rating_is_kept_whole_and_mapped_by_its_first_word():
    sentence = "FALSO: As imagens foram retiradas do canal de um corretor."
    review = _ok(parse_claimreview(_minimal(reviewRating={"alternateName": sentence})))
    assert review.rating.alternate_name == sentence
    assert review.mapping.rating == "false"


def test_numbers_as_strings_are_read():
    rating = {"ratingValue": "2", "bestRating": "5", "worstRating": "1", "alternateName": "x"}
    review = _ok(parse_claimreview(_minimal(reviewRating=rating)))
    assert (review.rating.value, review.rating.best, review.rating.worst) == (2.0, 5.0, 1.0)


def test_relative_url_is_resolved_against_the_base():
    review = _ok(parse_claimreview(_minimal(url="/checks/7"), base_url="https://site.example/a/b"))
    assert review.url == "https://site.example/checks/7"


def test_schemeless_url_gets_https():
    review = _ok(parse_claimreview(_minimal(url="aosfatos.org/noticias/x/")))
    assert review.url == "https://aosfatos.org/noticias/x/"


def test_relative_url_without_base_is_rejected():
    item = parse_claimreview(_minimal(url="/checks/7"))
    assert isinstance(item, RejectedItem)
    assert item.reason == "no usable review URL (url missing or relative)"


def test_html_entities_are_decoded():
    review = _ok(parse_claimreview(_minimal(claimReviewed="Singh&#039;s economy &amp; ideas")))
    assert review.claim_reviewed == "Singh's economy & ideas"


def test_external_id_is_the_normalised_url():
    url = "HTTPS://Checks.Example.org/review/1/?utm_source=x&itm_medium=y#top"
    review = _ok(parse_claimreview(_minimal(url=url)))
    assert review.external_id == "https://checks.example.org/review/1"


def test_appearances_and_first_appearance():
    item = {
        "@type": "Claim",
        "firstAppearance": {"@type": "CreativeWork", "url": "https://a.example/1"},
        "appearance": [{"url": "https://a.example/2"}, "https://a.example/3"],
        "sameAs": "https://a.example/4",
    }
    review = _ok(parse_claimreview(_minimal(itemReviewed=item)))
    assert review.claim.first_appearance == "https://a.example/1"
    assert review.claim.appearances == tuple(f"https://a.example/{n}" for n in (1, 2, 3, 4))


def test_author_same_as_that_is_a_profile_is_not_an_appearance():
    item = {
        "@type": "Claim",
        "url": "https://youtu.be/jA8iEODBe5Q",
        "datePublished": "2020-03-18",
        "author": {
            "@type": "Person",
            "name": "Mzwandile Masina",
            "sameAs": ["https://en.wikipedia.org/wiki/Mzwandile_Masina"],
        },
    }
    claim = _ok(parse_claimreview(_minimal(itemReviewed=item))).claim
    assert claim.appearances == ()
    assert claim.claimant.url == "https://en.wikipedia.org/wiki/Mzwandile_Masina"


def test_the_claim_date_belongs_to_the_items_own_url_not_to_the_profile():
    item = {
        "@type": "CreativeWork",
        "url": "https://youtu.be/jA8iEODBe5Q",
        "datePublished": "2020-03-18",
        "author": {"name": "M. Masina", "sameAs": "https://en.wikipedia.org/wiki/M"},
    }
    claim = _ok(parse_claimreview(_minimal(itemReviewed=item))).claim
    assert claim.appearances == ("https://youtu.be/jA8iEODBe5Q",)
    assert claim.dated_by_claim == ("https://youtu.be/jA8iEODBe5Q",)


def test_author_same_as_that_is_a_post_is_an_appearance_as_in_googles_example():
    author = {"name": "A user", "sameAs": "https://www.facebook.com/someone/posts/3628"}
    claim = _ok(
        parse_claimreview(_minimal(itemReviewed={"@type": "Claim", "author": author}))
    ).claim
    assert claim.appearances == ("https://www.facebook.com/someone/posts/3628",)
    assert claim.dated_by_claim == claim.appearances


def test_the_whole_rationale_is_read_from_review_body_as_written():
    body = "## Why\n\n- one\n  - nested, *kept*\n\n" + "Long text. " * 120
    review = _ok(parse_claimreview(_minimal(reviewBody=body)))
    assert review.body == body.strip()


def test_an_undetermined_claim_language_is_kept():
    item = {"@type": "Claim", "inLanguage": "und"}
    assert _ok(parse_claimreview(_minimal(itemReviewed=item))).claim.language == "und"


def test_person_author_and_publisher_organisation():
    obj = _minimal(
        author=[{"@type": "Person", "name": "R. Reporter"}],
        publisher={"@type": "NewsMediaOrganization", "name": "Daily", "url": "https://d.example/"},
    )
    review = _ok(parse_claimreview(obj))
    assert review.authors == ("R. Reporter",)
    assert review.publisher.name == "Daily"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020-07-05", date(2020, 7, 5)),
        ("2020-07-05T23:30:00Z", date(2020, 7, 5)),
        ("2020-07-05T01:00:00+05:30", date(2020, 7, 5)),
        ("2020-03-27T10:46:13+0200", date(2020, 3, 27)),
        ("2020-08-31 17:22:16", date(2020, 8, 31)),
        ("July 5, 2020", date(2020, 7, 5)),
        ("5 Jul 2020", date(2020, 7, 5)),
        ("25/07/2020", date(2020, 7, 25)),
        ("07/25/2020", date(2020, 7, 25)),
        ("03.10.2017", date(2017, 10, 3)),
    ],
)
def test_date_published_formats(raw, expected):
    assert _ok(parse_claimreview(_minimal(datePublished=raw))).date_published == expected


def test_ambiguous_date_is_left_empty_with_a_warning():
    review = _ok(parse_claimreview(_minimal(datePublished="05/07/2020")))
    assert review.date_published is None
    assert any("ambiguous date '05/07/2020'" in w for w in review.warnings)


def test_language_from_in_language():
    review = _ok(parse_claimreview(_minimal(inLanguage="pt-BR")))
    assert (review.language, review.language_source) == ("pt", "inLanguage")


def test_language_is_detected_when_not_declared():
    obj = _minimal(claimReviewed="Взрывы в Виннице организовали украинские военные")
    del obj["inLanguage"]
    review = _ok(parse_claimreview(obj))
    assert (review.language, review.language_source) == ("ru", "detected")


# --- files, pages, folders ----------------------------------------------------------


def test_datafeed_items_are_all_read():
    reviews = [_ok(r) for r in read_claimreviews(DATA / "datafeed.json")]
    assert [r.mapping.rating for r in reviews] == ["misleading", "satire", "unproven"]


def test_factcheck_api_response_is_read():
    items = list(read_claimreviews(DATA / "factcheck_api.json"))
    first = _ok(items[0])
    assert (first.publisher.name, first.publisher.url) == ("StopFake", "https://stopfake.org/")
    assert (first.claim.claimant.name, first.claim.date) == ("TV Zvezda", date(2017, 10, 3))
    assert (first.language, first.language_source, first.mapping.rating) == (
        "uk",
        "languageCode",
        "false",
    )


def test_factcheck_api_claim_without_review_is_rejected():
    items = list(read_claimreviews(DATA / "factcheck_api.json"))
    assert isinstance(items[-1], RejectedItem)
    assert items[-1].reason == "claim without claimReview"


def test_html_page_jsonld_survives_a_broken_block():
    (review,) = read_claimreviews(DATA / "page_jsonld.html")
    review = _ok(review)
    assert review.url == "https://checks.example.org/de/bruecke/"
    assert any(w.startswith("JSON-LD block 1 could not be read") for w in review.warnings)


def test_html_page_uses_html_lang_and_article_date():
    (review,) = read_claimreviews(DATA / "page_jsonld.html")
    review = _ok(review)
    assert (review.language, review.language_source) == ("de", "html lang")
    assert review.date_published == date(2022, 3, 2)


def test_html_microdata_is_read():
    (review,) = read_claimreviews(DATA / "page_microdata.html")
    review = _ok(review)
    assert review.claim.first_appearance == "https://tvzvezda.ru/news/201710030853-nx7c.htm"
    assert review.mapping.rating == "false"


def test_html_page_without_markup_is_rejected(tmp_path):
    page = tmp_path / "plain.html"
    page.write_text("<html><body><p>nothing</p></body></html>", encoding="utf-8")
    (item,) = read_claimreviews(page)
    assert isinstance(item, RejectedItem)
    assert item.reason == "no ClaimReview markup in the page"


def test_jsonl_bad_lines_are_rejected_with_their_line():
    items = list(read_claimreviews(DATA / "messy.jsonl"))
    rejected = [(i.origin, i.reason) for i in items if isinstance(i, RejectedItem)]
    assert rejected == [
        (f"{DATA / 'messy.jsonl'}:2", "invalid JSON: Expecting value (column 1)"),
        (f"{DATA / 'messy.jsonl'}:4", "no ClaimReview found"),
    ]


def test_folder_is_read_recursively_skipping_other_files():
    origins = [r.origin for r in read_claimreviews(DATA / "folder")]
    assert origins == [
        f"{DATA / 'folder' / 'a.json'}",
        f"{DATA / 'folder' / 'nested' / 'b.html'}#microdata",
        f"{DATA / 'folder' / 'nested' / 'c.jsonl'}:1",
    ]


def test_missing_path_raises_a_domain_error(tmp_path):
    with pytest.raises(InteropError, match="no such file or folder"):
        list(read_claimreviews(tmp_path / "absent.json"))


def test_json_file_that_is_not_utf8_is_rejected(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"claimReviewed": "\xff"}')
    (item,) = read_claimreviews(bad)
    assert isinstance(item, RejectedItem)
    assert item.reason == "not UTF-8 text (byte 19)"


# --- never raises -------------------------------------------------------------------

KEYS = ["@type", "@context", "@graph", "@id", "url", "claimReviewed", "reviewRating"]
KEYS += ["itemReviewed", "author", "publisher", "datePublished", "alternateName"]
KEYS += ["ratingValue", "bestRating", "appearance", "name", "inLanguage", "x"]
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON_VALUES)
def test_parse_claimreview_never_raises(value):
    result = parse_claimreview(value, base_url="https://base.example/p")
    assert isinstance(result, ParsedReview | RejectedItem)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=10), JSON_VALUES, max_size=6))
def test_parse_claimreview_never_raises_on_typed_objects(value):
    value["@type"] = "ClaimReview"
    result = parse_claimreview(value, base_url="https://base.example/p")
    assert isinstance(result, ParsedReview | RejectedItem)


def test_single_value_list_is_unwrapped():
    review = _ok(parse_claimreview(_minimal(claimReviewed=["Only one"])))
    assert review.claim_reviewed == "Only one"
    assert "claimReviewed: a list of one value, unwrapped" in review.warnings


def test_same_review_in_jsonld_and_microdata_is_given_once(tmp_path):
    page = (DATA / "page_microdata.html").read_text(encoding="utf-8")
    block = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "ClaimReview", "url": "https://checks.example.org/ru/vinnitsa", '
        '"claimReviewed": "Взрывы в Виннице", "reviewRating": {"alternateName": "Фейк"}}</script>'
    )
    path = tmp_path / "both.html"
    path.write_text(page.replace("</head>", block + "</head>"), encoding="utf-8")
    origins = [r.origin for r in read_claimreviews(path)]
    assert origins == [f"{path}#json-ld"]


def test_deeply_nested_json_is_rejected(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    (item,) = read_claimreviews(path)
    assert isinstance(item, RejectedItem)
    assert item.reason == "invalid JSON: nested too deeply"
