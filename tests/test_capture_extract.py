"""Extraction through the real loopback server: text, metadata, encodings, language,
ClaimReview (our fixture pages and the 32 real fact-check pages in shared/data), domains."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tests.capture_support import DATA, REAL_PAGES, FixtureServer, standard_server
from tracker.capture import (
    CaptureSettings,
    NoTextError,
    UndecodableError,
    capture_url,
    detect_language,
    find_claim_reviews,
    guess_text_language,
    registrable_domain,
    social_handle,
)

SETTINGS = CaptureSettings(allow_private=True, timeout_seconds=10.0)
CLAIMREVIEWS = REAL_PAGES.parent / "claimreviews.jsonl"


@pytest.fixture(scope="module")
def server() -> Iterator[FixtureServer]:
    srv = standard_server()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def article(server):
    return capture_url(server.url("/article"), settings=SETTINGS)


# ----------------------------------------------------------------------------- article


def test_article_metadata_is_extracted(article):
    assert article.title == ("Fact check: No, the city water supply was not poisoned by volunteers")
    assert (article.byline, article.site_name) == ("Olena Marchenko", "Example Fact Desk")


def test_published_timestamp_is_kept_when_the_page_gives_one(article):
    assert article.published == datetime(2024, 3, 14, 9, 30, tzinfo=UTC)


def test_published_date_without_time_is_a_date(server):
    html = (DATA / "article_claimreview.html").read_text(encoding="utf-8")
    html = html.replace('content="2024-03-14T09:30:00+00:00"', 'content="2024-03-14"')
    server.routes["/article-date-only"] = lambda h: h.send_bytes(html.encode())
    snap = capture_url(server.url("/article-date-only"), settings=SETTINGS)
    assert snap.published == date(2024, 3, 14)


def test_declared_language_is_normalised_to_iso_639_1(article):
    assert (article.language, article.language_source) == ("en", "page")


def test_canonical_url_is_made_absolute(article, server):
    assert article.canonical_url == server.url("/fact-checks/water-supply-claim")


def test_main_text_keeps_the_article_and_drops_navigation(article):
    assert "municipal water utility" in article.text
    assert "About us" not in article.text


def test_all_claim_reviews_are_found_in_graph_list_and_microdata(article):
    # The broken third JSON-LD block costs only itself.
    assert [cr.get("claimReviewed") for cr in article.claim_reviews] == [
        "Foreign volunteers poisoned the water supply of the city",
        "The water utility confirmed the poisoning",
        "Volunteers were arrested for poisoning the water",
    ]


def test_claim_review_inside_another_object_is_found():
    html = """<html><head><script type="application/ld+json">
    {"@context": "https://schema.org", "@type": "NewsArticle",
     "review": {"@type": "schema:ClaimReview", "claimReviewed": "nested"}}
    </script></head><body></body></html>"""
    assert [cr["claimReviewed"] for cr in find_claim_reviews(html, "http://x.test/")] == ["nested"]


def test_page_without_structured_data_has_no_claim_reviews(server):
    snap = capture_url(server.url("/russian"), settings=SETTINGS)
    assert snap.claim_reviews == ()


# ----------------------------------------------------------------------------- encodings


def test_russian_utf8_page_is_detected_as_russian(server):
    snap = capture_url(server.url("/russian"), settings=SETTINGS)
    assert (snap.charset, snap.language, snap.language_source) == ("utf-8", "ru", "detected")


def test_ukrainian_page_is_detected_as_ukrainian(server):
    snap = capture_url(server.url("/ukrainian"), settings=SETTINGS)
    assert (snap.language, snap.language_source) == ("uk", "detected")


@pytest.mark.parametrize(
    "path",
    [
        "/cp1251-meta",  # charset only in <meta>, none in the header
        "/cp1251-plain",  # no charset anywhere: detected
        "/lying-utf8",  # header says utf-8, bytes are windows-1251
        "/lying-latin1",  # header says iso-8859-1, <meta> says windows-1251
    ],
)
def test_windows_1251_pages_are_decoded(server, path):
    snap = capture_url(server.url(path), settings=SETTINGS)
    assert snap.charset == "windows-1251"
    assert "Городской водоканал сообщил" in snap.text


def test_windows_1251_page_keeps_the_raw_bytes_hash(server):
    snap = capture_url(server.url("/cp1251-plain"), settings=SETTINGS)
    assert snap.sha256 == hashlib.sha256((DATA / "cp1251_plain.html").read_bytes()).hexdigest()


def test_binary_bytes_labelled_html_are_undecodable(server):
    with pytest.raises(UndecodableError) as info:
        capture_url(server.url("/binary-html"), settings=SETTINGS)
    assert info.value.code == "undecodable"


def test_page_without_text_is_no_text_and_keeps_its_hash(server):
    with pytest.raises(NoTextError) as info:
        capture_url(server.url("/empty"), settings=SETTINGS)
    assert info.value.code == "no_text"
    assert info.value.fetched is not None and len(info.value.fetched.sha256) == 64


# ----------------------------------------------------------------------------- language


def _snippets(kind: str) -> list[tuple[str, str]]:
    lines = (DATA / "lang_snippets.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    return [(row["lang"], row["text"]) for row in rows if row["kind"] == kind]


@pytest.mark.parametrize(("lang", "text"), _snippets("paragraph"))
def test_paragraph_language_is_detected(lang, text):
    assert detect_language(text)[0] == lang


@pytest.mark.parametrize(("lang", "text"), _snippets("sentence"))
def test_sentence_language_is_right_or_left_unknown(lang, text):
    assert detect_language(text)[0] in (lang, None)


def test_too_little_text_has_no_language():
    assert detect_language("OK 12") == (None, 0.0)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("В Москве завербовали 50 000 иностранцев за год", "ru"),  # "bg" 0.31 to py3langid
        ("Запад готовит в Тбилиси свой сценарий Майдана.", "ru"),  # "bg" 0.50, "ru" 0.36
        ("У Москві завербували 50 000 іноземців", "uk"),
        ("Версія аналітика", "uk"),
        ("Russia recruited 1500 foreigners", "en"),  # "en" 0.43, "la" 0.07
        ("Russland hat 50.000 Ausländer rekrutiert", "de"),
        ("Правителството на България реши да изпрати помощ на Украйна.", "bg"),
        ("Ово је текст на српском језику за пробу", "sr"),
        ("OK, noted", None),
        ("😀😀 12345", None),
    ],
)
def test_a_short_text_gets_its_language(text, language):
    assert guess_text_language(text) == language


def test_our_cross_lingual_queries_and_claims_get_their_languages():
    rows = [
        json.loads(line)
        for name in ("queries.jsonl", "claims.jsonl")
        for line in (DATA.parent / "xlingual" / name).read_text("utf-8").splitlines()
    ]
    found = [(row["lang"], guess_text_language(row["text"])) for row in rows]
    assert not [pair for pair in found if pair[1] not in (pair[0], None)]  # nothing wrong
    assert sum(guess is None for _, guess in found) <= 2  # of 314 texts


# ----------------------------------------------------------------------------- domains


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.rt.com/news/1/", "rt.com"),
        ("http://news.bbc.co.uk/2/hi/europe/1.stm", "bbc.co.uk"),
        ("https://t.me/s/channel", "t.me"),
        ("https://ria.ru/20240101/x.html", "ria.ru"),
        ("https://пример.рф/", "пример.рф"),
        ("http://127.0.0.1:8080/", "127.0.0.1"),
        ("http://localhost/", "localhost"),
    ],
)
def test_registrable_domain(url, domain):
    assert registrable_domain(url) == domain


@pytest.mark.parametrize(
    ("url", "handle"),
    [
        ("https://t.me/s/channel", "channel"),
        ("https://t.me/rian_ru/12345", "rian_ru"),
        ("https://t.me/+AbCdEf", None),
        ("https://twitter.com/mod_russia/status/1", "mod_russia"),
        ("https://x.com/DefenceHQ", "DefenceHQ"),
        ("https://x.com/i/web/status/1", None),
        ("https://mobile.twitter.com/mfa_russia", "mfa_russia"),
        ("https://www.facebook.com/profile.php?id=100064", "profile.php?id=100064"),
        ("https://www.facebook.com/RTnews/posts/1", "RTnews"),
        ("https://vk.com/rt_russian", "rt_russian"),
        ("https://www.youtube.com/@RT", "@RT"),
        ("https://www.youtube.com/channel/UCabc", "channel/UCabc"),
        ("https://www.youtube.com/watch?v=abc", None),
        ("https://www.rt.com/news/1/", None),
    ],
)
def test_social_handle(url, handle):
    assert social_handle(url) == handle


# ----------------------------------------------------------------------------- real pages


def _real_rows() -> list[dict]:
    if not CLAIMREVIEWS.is_file():
        return []
    return [json.loads(line) for line in CLAIMREVIEWS.read_text(encoding="utf-8").splitlines()]


def _real_params() -> list:
    rows = _real_rows()
    if not rows:
        return [pytest.param(None, marks=pytest.mark.skip(reason="shared/data is absent"))]
    return [pytest.param(row, id=Path(row["page_file"]).stem) for row in rows]


def _real_capture(server: FixtureServer, row: dict):
    page = REAL_PAGES.parent / row["page_file"]
    if not page.is_file():
        pytest.skip(f"{page} is absent")
    return page, capture_url(server.url(f"/real/{page.name}"), settings=SETTINGS)


@pytest.mark.parametrize("row", _real_params())
def test_real_page_yields_its_claim_review(server, row):
    page, snap = _real_capture(server, row)
    if "ClaimReview" not in page.read_text(encoding="utf-8", errors="replace"):
        pytest.skip("this page does not contain its ClaimReview")
    assert row["claimreview"] in snap.claim_reviews


@pytest.mark.parametrize("row", _real_params())
def test_real_page_yields_title_text_and_language(server, row):
    _page, snap = _real_capture(server, row)
    assert snap.title and len(snap.text) > 200 and snap.language
