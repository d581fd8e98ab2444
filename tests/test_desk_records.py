"""Debunk articles, figures, outlets and narratives in the desk."""

from __future__ import annotations

import html

from sqlalchemy import select

from tests.desk_support import article_form, figure_form, page_text
from tests.factories import make_article, make_claim, make_figure, make_outlet
from tracker.models import (
    Appearance,
    Article,
    AuditEvent,
    Figure,
    Narrative,
    Outlet,
    Role,
)


def test_a_typed_in_article_is_saved(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post("/desk/articles/new", data=article_form())
    assert response.status_code == 302
    article = db.scalar(select(Article))
    assert (article.title, article.rating.value, article.language) == (
        "Gas prices: what the claim leaves out",
        "misleading",
        "en",
    )


def test_an_article_url_can_be_recorded_only_once(client, db, login_as):
    login_as(Role.ANALYST)
    existing = make_article(db, url="https://factcheck.example/gas")
    db.commit()
    response = client.post("/desk/articles/new", data=article_form(url=existing.url))
    assert response.status_code == 400
    assert f"already recorded as article {existing.id}" in page_text(response)


def test_an_article_dated_in_the_future_is_refused(client, login_as):
    login_as(Role.ANALYST)
    response = client.post("/desk/articles/new", data=article_form(published_on="2999-01-01"))
    assert response.status_code == 400
    assert "in the future" in page_text(response)


def test_fetching_an_unreachable_article_keeps_the_typed_fields(client, login_as):
    login_as(Role.ANALYST)
    response = client.post(
        "/desk/articles/new",
        data=article_form(url="https://unreachable.invalid/a", fetch="Fetch details from the link"),
    )
    page = page_text(response)
    assert "Could not fetch the page" in page
    assert "Gas prices: what the claim leaves out" in page


def test_a_figure_with_parts_shows_the_sum_and_the_remainder(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post("/desk/figures/new", data=figure_form())
    assert response.status_code == 302
    figure = db.scalar(select(Figure).where(Figure.parent_id.is_(None)))
    assert [p.value for p in figure.parts] == [771, 523, 72]
    page = html.unescape(page_text(client.get(response.headers["Location"])))
    assert "1,366" in page and "134" in page
    assert "at least 134 of the more than 1,500 are not broken down" in page


def test_a_lower_bound_above_the_upper_bound_is_refused(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post(
        "/desk/figures/new", data=figure_form(lower_bound="900", upper_bound="100")
    )
    assert response.status_code == 400
    assert "The lower bound (900) is above the upper bound (100)." in page_text(response)
    assert db.scalar(select(Figure)) is None


def test_a_period_that_ends_before_it_starts_is_refused(client, login_as):
    login_as(Role.ANALYST)
    response = client.post(
        "/desk/figures/new", data=figure_form(period_start="2024-05-01", period_end="2023-01-01")
    )
    assert response.status_code == 400
    assert "The period ends (2023-01-01) before it starts (2024-05-01)." in page_text(response)


def test_money_needs_a_currency(client, login_as):
    login_as(Role.ANALYST)
    response = client.post("/desk/figures/new", data=figure_form(kind="money"))
    assert response.status_code == 400
    assert "ISO 4217 currency code" in page_text(response)


def test_money_needs_a_currency_that_exists(client, login_as):
    login_as(Role.ANALYST)
    response = client.post("/desk/figures/new", data=figure_form(kind="money", currency="XYZ"))
    assert response.status_code == 400
    assert "ISO 4217 currency code" in page_text(response)
    assert 'value="XYZ"' in response.get_data(as_text=True)  # kept as typed


def test_a_count_cannot_be_negative(client, login_as):
    login_as(Role.ANALYST)
    response = client.post("/desk/figures/new", data=figure_form(value="-5"))
    assert response.status_code == 400
    assert "A count cannot be negative." in page_text(response)


def test_a_part_without_a_value_is_refused_and_kept(client, login_as):
    login_as(Role.ANALYST)
    response = client.post("/desk/figures/new", data=figure_form(**{"parts-2-value": ""}))
    assert response.status_code == 400
    page = page_text(response)
    assert "Enter this part&#39;s value." in page and "Africa" in page


def test_add_part_gives_another_row(client, login_as):
    login_as(Role.ANALYST)
    data = figure_form()
    data.pop("save")
    data["add_part"] = "Add another part"
    page = page_text(client.post("/desk/figures/new", data=data))
    assert 'name="parts-3-label"' in page


def test_editing_a_figure_changes_its_parts(client, db, login_as):
    login_as(Role.ANALYST)
    client.post("/desk/figures/new", data=figure_form())
    figure = db.scalar(select(Figure).where(Figure.parent_id.is_(None)))
    response = client.post(
        f"/desk/figures/{figure.id}/edit",
        data=figure_form(version=str(figure.version), **{"parts-2-label": "", "parts-2-value": ""}),
    )
    assert response.status_code == 302
    db.expire_all()
    assert [p.label for p in db.get(Figure, figure.id).parts] == [
        "South and East Asia",
        "Former Soviet republics",
    ]


def test_outlets_are_created_with_their_domains_and_handles(client, db, login_as):
    login_as(Role.ANALYST)
    response = client.post(
        "/desk/outlets/new",
        data={
            "name": "Zarya",
            "kind": "tv_channel",
            "country": "ru",
            "state_affiliated": "y",
            "handles": "https://www.Zarya-TV.example/news\nt.me/zarya_demo",
            "description": "",
        },
    )
    assert response.status_code == 302
    outlet = db.scalar(select(Outlet))
    assert outlet.country == "RU" and outlet.state_affiliated
    assert sorted(h.value for h in outlet.handles) == ["t.me/zarya_demo", "zarya-tv.example"]


def test_a_domain_cannot_belong_to_two_outlets(client, db, login_as):
    login_as(Role.ANALYST)
    first = make_outlet(db, "First", domain="shared.example")
    db.commit()
    response = client.post(
        "/desk/outlets/new",
        data={
            "name": "Second",
            "kind": "other",
            "country": "",
            "handles": "shared.example",
            "description": "",
        },
    )
    assert response.status_code == 400
    assert f"shared.example already belongs to outlet {first.id}." in page_text(response)


def test_outlet_lookup_finds_by_name_or_domain_prefix(client, db, login_as):
    login_as(Role.ANALYST)
    make_outlet(db, "Vestnik Segodnya", domain="vestnik.example")
    make_outlet(db, "Other", domain="other.example")
    db.commit()
    assert [o["name"] for o in client.get("/desk/outlets/lookup?q=vest").get_json()["outlets"]] == [
        "Vestnik Segodnya"
    ]
    assert [
        o["name"] for o in client.get("/desk/outlets/lookup?q=other.ex").get_json()["outlets"]
    ] == ["Other"]


def test_merging_outlets_moves_appearances_and_handles_and_is_audited(client, db, login_as):
    login_as(Role.EDITOR)
    source = make_outlet(db, "Duplicate Name", domain="dup.example")
    target = make_outlet(db, "Real Name", domain="real.example")
    claim = make_claim(db, outlet=source, url="https://dup.example/a")
    db.commit()
    response = client.post(f"/desk/outlets/{source.id}/merge", data={"target": "Real Name"})
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Appearance, claim.appearances[0].id).outlet_id == target.id
    assert sorted(h.value for h in db.get(Outlet, target.id).handles) == [
        "dup.example",
        "real.example",
    ]
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "merge"))
    assert event.after == {
        "merged_into_id": target.id,
        "appearances_moved": 1,
        "handles_moved": ["dup.example"],
    }


def test_analysts_cannot_merge_outlets(client, db, login_as):
    login_as(Role.ANALYST)
    outlet = make_outlet(db)
    db.commit()
    assert client.get(f"/desk/outlets/{outlet.id}/merge").status_code == 403


def test_narratives_are_created_and_edited(client, db, login_as):
    login_as(Role.ANALYST)
    client.post("/desk/narratives/new", data={"name": "US biolabs in Ukraine", "description": ""})
    narrative = db.scalar(select(Narrative))
    assert narrative.slug == "us-biolabs-in-ukraine"
    client.post(
        f"/desk/narratives/{narrative.id}/edit",
        data={"name": "US biolabs", "description": "Old storyline."},
    )
    db.refresh(narrative)
    assert (narrative.name, narrative.slug) == ("US biolabs", "us-biolabs-in-ukraine")


def test_desk_pages_for_records_render(client, db, login_as):
    login_as(Role.EDITOR)
    article = make_article(db)
    figure = make_figure(db)
    outlet = make_outlet(db)
    db.commit()
    for path in (
        "/desk/articles/",
        f"/desk/articles/{article.id}",
        f"/desk/articles/{article.id}/edit",
        "/desk/figures/",
        f"/desk/figures/{figure.id}",
        f"/desk/figures/{figure.id}/edit",
        "/desk/outlets/",
        f"/desk/outlets/{outlet.id}/edit",
        "/desk/narratives/",
    ):
        assert client.get(path).status_code == 200, path


def test_editing_an_article_saves_it_and_audits_the_change(client, db, login_as):
    login_as(Role.EDITOR)
    article = make_article(db, "Old title")
    db.commit()
    page = page_text(client.get(f"/desk/articles/{article.id}/edit"))
    assert 'value="Old title"' in page
    response = client.post(
        f"/desk/articles/{article.id}/edit",
        data=article_form(title="New title", version=str(article.version)),
    )
    assert response.status_code == 302
    db.refresh(article)
    assert (article.title, article.version) == ("New title", 2)
    event = db.scalar(
        select(AuditEvent).where(AuditEvent.entity_type == "article", AuditEvent.action == "update")
    )
    assert event.before["title"] == "Old title" and event.after["title"] == "New title"


def test_an_article_edit_with_a_date_in_the_future_is_refused_and_kept(client, db, login_as):
    login_as(Role.EDITOR)
    article = make_article(db, "Old title")
    db.commit()
    response = client.post(
        f"/desk/articles/{article.id}/edit",
        data=article_form(title="New title", published_on="2999-01-01", version="1"),
    )
    page = html.unescape(page_text(response))
    assert response.status_code == 400
    assert "is in the future" in page and 'value="New title"' in page
    db.refresh(article)
    assert article.title == "Old title"


def test_a_figure_published_or_starting_in_the_future_is_refused(client, db, login_as):
    login_as(Role.ANALYST)
    for field in ("published_on", "period_start"):
        response = client.post("/desk/figures/new", data=figure_form(**{field: "2999-01-01"}))
        assert response.status_code == 400
        assert "is in the future" in html.unescape(page_text(response))
    assert db.scalar(select(Figure)) is None


def test_a_merged_outlet_keeps_its_own_address_first_and_the_audit_shows_what_moved(db):
    # After a merge, the target's ClaimReview organisation URL became the merged outlet's
    # domain (it sorted first), and the audit entry said the merged one had no handles.
    from sqlalchemy import select

    from tests.factories import make_outlet, make_user
    from tracker.audit import Actor
    from tracker.models import AuditEvent, Role
    from tracker.services import outlets

    source = make_outlet(db, "Baltic Monitor", "baltic-monitor.example")
    target = make_outlet(db, "Frontline Truth", "frontline-truth.example")
    outlets.merge_outlets(db, source, target, by=Actor(make_user(db, Role.EDITOR)))
    db.flush()
    db.expire(target)
    assert target.domains == ["frontline-truth.example", "baltic-monitor.example"]
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "merge")).one()
    assert event.before["handles"] == ["baltic-monitor.example"]
