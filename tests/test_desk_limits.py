"""Rows past a form's limit (links of a claim, parts of a figure) are refused with the
reason, never dropped without a word (test client, both databases)."""

from __future__ import annotations

import html

from sqlalchemy import func, select

from tests.desk_support import claim_form, figure_form, page_text
from tracker.models import Appearance, Claim, Figure, Role


def links(count: int) -> list[dict[str, str]]:
    return [{"url": f"https://mirror{n}.example/story"} for n in range(count)]


def test_51_links_are_refused_and_all_shown_again(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post("/desk/claims/new", data=claim_form(appearances=links(51)))
    page = html.unescape(page_text(response))
    assert response.status_code == 400
    assert "51 rows were sent; at most 50 can be saved at once." in page
    assert "https://mirror50.example/story" in page
    assert db.scalar(select(func.count()).select_from(Claim)) == 0


def test_50_links_are_saved(client, db, login_as, app):
    app.config["CAPTURE_INLINE_BUDGET_SECONDS"] = 0.0  # no fetching in this test
    login_as(Role.ANALYST)
    response = client.post("/desk/claims/new", data=claim_form(appearances=links(50)))
    assert response.status_code == 302
    assert db.scalar(select(func.count()).select_from(Appearance)) == 50


def test_add_another_link_at_the_limit_says_so(client, login_as):
    login_as(Role.ANALYST)
    data = claim_form(appearances=links(50))
    data.pop("save")
    data["add_link"] = "Add another link"
    response = client.post("/desk/claims/new", data=data)
    assert response.status_code == 400
    assert "A claim takes at most 50 links in one save" in html.unescape(page_text(response))


def test_a_row_number_in_other_digits_is_ignored_not_a_crash(client, login_as):
    login_as(Role.ANALYST)
    data = claim_form()
    data["appearances-²-url"] = "https://x.example/a"
    assert client.post("/desk/claims/new", data=data).status_code in (200, 302)


def test_101_figure_parts_are_refused(client, db, login_as):
    login_as(Role.ANALYST)
    data = figure_form(value="100000")
    for n in range(101):
        data[f"parts-{n}-label"] = f"Region {n}"
        data[f"parts-{n}-value"] = "1"
    response = client.post("/desk/figures/new", data=data)
    assert response.status_code == 400
    assert "101 rows were sent; at most 100 can be saved at once." in page_text(response)
    assert db.scalar(select(func.count()).select_from(Figure)) == 0


def test_add_another_link_puts_the_focus_in_the_new_row(client, login_as):
    # The page came back with the focus at its top, 20 tab stops from the new row.
    login_as(Role.ANALYST)
    data = claim_form(appearances=links(2))
    data.pop("save")
    data["add_link"] = "Add another link"
    page = page_text(client.post("/desk/claims/new", data=data))
    assert page.count("autofocus") == 1
    assert '<input autofocus id="appearances-2-url"' in page
