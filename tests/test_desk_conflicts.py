"""Two people on one record: the second save is refused with both versions shown, and
nothing either of them added is lost (test client, both databases)."""

from __future__ import annotations

import html

from sqlalchemy import select

from tests.desk_support import claim_form, page_text
from tests.factories import make_claim, make_user, put_in_session
from tracker.models import Appearance, Claim, Role


def signed_in(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        put_in_session(session, user)
    return client


def urls_of(db, claim_id: int) -> list[str]:
    db.expire_all()
    return sorted(db.scalars(select(Appearance.url).where(Appearance.claim_id == claim_id)))


def test_adding_a_link_raises_the_version(app, db):
    analyst = make_user(db, Role.ANALYST)
    claim = make_claim(db, "Grain is stolen.", author=analyst, url="https://a.example/1")
    db.commit()
    version = claim.version
    signed_in(app, analyst).post(
        f"/desk/claims/{claim.id}/appearances", data={"appearances-0-url": "https://b.example/2"}
    )
    db.expire_all()
    assert db.get(Claim, claim.id).version == version + 1


def test_a_link_added_while_an_editor_edits_is_not_dropped(app, db):
    editor = make_user(db, Role.EDITOR)
    analyst = make_user(db, Role.ANALYST)
    claim = make_claim(db, "Grain is stolen.", author=analyst, url="https://a.example/1")
    db.commit()
    opened = str(claim.version)
    signed_in(app, analyst).post(
        f"/desk/claims/{claim.id}/appearances", data={"appearances-0-url": "https://b.example/2"}
    )
    response = signed_in(app, editor).post(
        f"/desk/claims/{claim.id}/edit",
        data=claim_form(
            "Grain is stolen by the army.",
            appearances=[{"url": "https://a.example/1"}],
            version=opened,
        ),
    )
    assert response.status_code == 409
    assert urls_of(db, claim.id) == ["https://a.example/1", "https://b.example/2"]
    assert db.get(Claim, claim.id).text == "Grain is stolen."
    assert "https://b.example/2" in html.unescape(page_text(response))


def test_saving_again_after_the_conflict_keeps_the_link_they_added(app, db):
    editor = make_user(db, Role.EDITOR)
    analyst = make_user(db, Role.ANALYST)
    claim = make_claim(db, "Grain is stolen.", author=analyst, url="https://a.example/1")
    db.commit()
    editor_client = signed_in(app, editor)
    opened = html.unescape(page_text(editor_client.get(f"/desk/claims/{claim.id}/edit")))
    known = opened.split('name="known_links" type="hidden" value="')[1].split('"')[0]
    signed_in(app, analyst).post(
        f"/desk/claims/{claim.id}/appearances", data={"appearances-0-url": "https://b.example/2"}
    )
    data = claim_form(
        "Grain is stolen by the army.",
        appearances=[{"url": "https://a.example/1"}],
        version=str(claim.version),
        known_links=known,
    )
    page = html.unescape(page_text(editor_client.post(f"/desk/claims/{claim.id}/edit", data=data)))
    assert "Links they added since you opened the form are now in your form too" in page
    assert 'name="appearances-1-url" type="text" value="https://b.example/2"' in page
    version = page.split('name="version" type="hidden" value="')[1].split('"')[0]
    again = claim_form(
        "Grain is stolen by the army.",
        appearances=[{"url": "https://a.example/1"}, {"url": "https://b.example/2"}],
        version=version,
    )
    assert editor_client.post(f"/desk/claims/{claim.id}/edit", data=again).status_code == 302
    assert urls_of(db, claim.id) == ["https://a.example/1", "https://b.example/2"]


def test_a_link_you_removed_is_not_put_back(app, db):
    editor = make_user(db, Role.EDITOR)
    claim = make_claim(db, "Grain is stolen.", author=editor, url="https://a.example/1")
    db.commit()
    first, second = signed_in(app, editor), signed_in(app, editor)
    first.post(
        f"/desk/claims/{claim.id}/edit",
        data=claim_form(
            "Changed first.", appearances=[{"url": "https://a.example/1"}], version="1"
        ),
    )
    page = html.unescape(
        page_text(
            second.post(
                f"/desk/claims/{claim.id}/edit",
                data=claim_form(
                    "Changed second.",
                    appearances=[{"url": "https://c.example/3"}],
                    version="1",
                    known_links="https://a.example/1",
                ),
            )
        )
    )
    assert "Not saved: someone else changed this claim" in page
    assert 'value="https://a.example/1"' not in page.split("<form")[1]


def test_the_claim_conflict_compares_like_with_like(app, db):
    from tests.factories import make_article, make_figure, make_narrative

    editor = make_user(db, Role.EDITOR)
    water = make_narrative(db, "Water poisoning")
    saboteurs = make_narrative(db, "Foreign saboteurs")
    article, figure = make_article(db), make_figure(db)
    claim = make_claim(db, "Wells were poisoned.", author=editor)
    db.commit()
    first, second = signed_in(app, editor), signed_in(app, editor)
    first.post(
        f"/desk/claims/{claim.id}/edit",
        data=claim_form(
            "Wells were poisoned.",
            narratives=[str(water.id), str(saboteurs.id)],
            country_codes=["UA"],
            article_refs=str(article.id),
            version="1",
        ),
    )
    response = second.post(
        f"/desk/claims/{claim.id}/edit",
        data=claim_form(
            "Wells were poisoned.",
            narratives=[str(water.id)],
            new_narratives="Sabotage",
            country_codes=["UA", "RU"],
            figure_refs=str(figure.id),
            version="1",
        ),
    )
    assert response.status_code == 409
    table = html.unescape(page_text(response)).split("<table>")[1].split("</table>")[0]

    def row(label: str) -> list[str]:
        cells = table.split(f"{label}")[1].split("</tr>")[0].split("<td>")[1:]
        return [cell.split("</td>")[0].strip() for cell in cells]

    assert row("Narratives") == [
        "Foreign saboteurs, Water poisoning",
        "Water poisoning, Sabotage (new)",
    ]
    assert row("Countries") == ["Ukraine", "Russia, Ukraine"]
    assert row("Debunk articles") == [str(article.id), ""]
    assert row("Figures") == ["", str(figure.id)]
    assert 'class="same"' in table  # the claim's text did not change


def test_a_country_both_versions_keep_is_not_shown_as_a_change(app, db):
    from tracker.models import Country

    editor = make_user(db, Role.EDITOR)
    claim = make_claim(db, "Wells were poisoned.", author=editor)
    db.add(Country(code="RU", name="Russia"))  # stored under another name than the list's
    db.commit()
    first, second = signed_in(app, editor), signed_in(app, editor)
    form = claim_form("Wells were poisoned.", country_codes=["RU"], version="1")
    first.post(f"/desk/claims/{claim.id}/edit", data=form)
    response = second.post(
        f"/desk/claims/{claim.id}/edit", data={**form, "summary_en": "Another summary."}
    )
    assert response.status_code == 409
    table = html.unescape(page_text(response)).split("<table>")[1].split("</table>")[0]
    countries = table.split("Countries")[0].rsplit("<tr", 1)[1]
    assert 'class="same"' in countries


def test_an_article_conflict_shows_both_versions(app, db):
    from tests.desk_support import article_form
    from tests.factories import make_article

    editor = make_user(db, Role.EDITOR)
    article = make_article(db, "Original title")
    db.commit()
    first, second = signed_in(app, editor), signed_in(app, editor)
    assert (
        first.post(
            f"/desk/articles/{article.id}/edit",
            data=article_form(title="Their title", version="1"),
        ).status_code
        == 302
    )
    response = second.post(
        f"/desk/articles/{article.id}/edit", data=article_form(title="My title", version="1")
    )
    page = html.unescape(page_text(response))
    assert response.status_code == 409
    assert "Not saved: someone else changed this article" in page
    assert "Their title" in page and "My title" in page


def test_a_figure_conflict_shows_both_versions_of_the_parts(app, db):
    from tests.desk_support import figure_form
    from tests.factories import make_figure

    editor = make_user(db, Role.EDITOR)
    figure = make_figure(db, 1500)
    db.commit()
    first, second = signed_in(app, editor), signed_in(app, editor)
    assert (
        first.post(
            f"/desk/figures/{figure.id}/edit", data=figure_form(value="1600", version="1")
        ).status_code
        == 302
    )
    response = second.post(
        f"/desk/figures/{figure.id}/edit",
        data=figure_form(value="1700", version="1", **{"parts-2-value": "73"}),
    )
    page = html.unescape(page_text(response))
    assert response.status_code == 409
    assert "1600" in page and "1700" in page
    assert "Africa: 72" in page and "Africa: 73" in page


def test_an_outlet_conflict_shows_both_versions(app, db):
    from tests.factories import make_outlet

    editor = make_user(db, Role.EDITOR)
    outlet = make_outlet(db, "Daily Star", domain="star.example")
    db.commit()
    form = {"kind": "news_site", "country": "", "handles": "star.example", "version": "1"}
    first, second = signed_in(app, editor), signed_in(app, editor)
    assert (
        first.post(f"/desk/outlets/{outlet.id}/edit", data={**form, "name": "Their Star"})
    ).status_code == 302
    response = second.post(f"/desk/outlets/{outlet.id}/edit", data={**form, "name": "My Star"})
    page = html.unescape(page_text(response))
    assert response.status_code == 409
    assert "Their Star" in page and "My Star" in page
