"""Outlets and narratives refuse bad or ambiguous data with the reason (both databases)."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import func, select

from tests.desk_support import page_text
from tests.factories import make_narrative, make_outlet
from tracker.models import Narrative, Outlet, Role


def outlet_form(**fields):
    data = {"name": "Daily Star", "kind": "news_site", "country": "", "handles": ""}
    data.update(fields)
    return data


def outlets(db) -> int:
    return db.scalar(select(func.count()).select_from(Outlet))


@pytest.mark.parametrize("country", ["12", "ZZ"])
def test_a_country_code_that_is_no_country_is_refused(client, db, login_as, country):
    login_as(Role.ANALYST)
    response = client.post("/desk/outlets/new", data=outlet_form(country=country))
    assert response.status_code == 400
    assert f"“{country}” is not a country: use its name" in html.unescape(page_text(response))
    assert outlets(db) == 0


def test_a_real_country_code_is_saved(client, db, login_as):
    login_as(Role.ANALYST)
    assert client.post("/desk/outlets/new", data=outlet_form(country="ua")).status_code == 302
    assert db.scalar(select(Outlet.country)) == "UA"


@pytest.mark.parametrize("handle", ["???", "https://", "not a domain!! <b>"])
def test_a_handle_that_is_no_domain_or_account_is_refused(client, db, login_as, handle):
    login_as(Role.ANALYST)
    response = client.post("/desk/outlets/new", data=outlet_form(handles=f"rt.com\n{handle}"))
    page = html.unescape(page_text(response))
    assert response.status_code == 400
    assert "is not a domain such as rt.com" in page and handle in page
    assert outlets(db) == 0


def test_domains_and_accounts_in_any_script_are_accepted(client, db, login_as):
    login_as(Role.ANALYST)
    handles = "https://www.RT.com/news\nt.me/s/Channel\nроссия.рф"
    assert client.post("/desk/outlets/new", data=outlet_form(handles=handles)).status_code == 302


# Names in other scripts are compared without case too (SQLite's own lower() folds only A-Z).
SAME_NAMES = [
    ("Daily Star", "daily star "),
    ("Военкор Z", "ВОЕНКОР z"),
    ("Інсайдер UA", "інсайдер ua"),
]


@pytest.mark.parametrize(("name", "typed"), SAME_NAMES)
def test_a_second_outlet_of_the_same_name_is_refused(client, db, login_as, name, typed):
    login_as(Role.ANALYST)
    first = make_outlet(db, name)
    db.commit()
    response = client.post("/desk/outlets/new", data=outlet_form(name=typed))
    assert response.status_code == 400
    assert f"Outlet {first.id} is already called “{name}”." in html.unescape(page_text(response))
    assert outlets(db) == 1


def test_an_outlet_named_in_cyrillic_is_found_by_its_name_and_as_typed(db):
    from tracker.services import outlets as outlet_service

    outlet = make_outlet(db, "Военкор Z", domain="voenkor.example")
    db.commit()
    assert outlet_service.find_by_name_or_handle(db, "военкор z") == outlet
    assert outlet_service.lookup(db, "ВОЕН") == [outlet]


def test_renaming_an_outlet_to_another_ones_name_is_refused(client, db, login_as):
    login_as(Role.EDITOR)
    make_outlet(db, "Daily Star")
    other = make_outlet(db, "Evening Post", domain="post.example")
    db.commit()
    response = client.post(
        f"/desk/outlets/{other.id}/edit",
        data=outlet_form(name="Daily Star", handles="post.example", version=str(other.version)),
    )
    assert response.status_code == 400
    db.refresh(other)
    assert other.name == "Evening Post"


def test_creating_an_existing_narrative_says_so_and_keeps_the_description(client, db, login_as):
    login_as(Role.ANALYST)
    make_narrative(db, "Water poisoning")
    db.commit()
    response = client.post(
        "/desk/narratives/new",
        data={"name": "water POISONING", "description": "Wells poisoned by volunteers."},
    )
    page = html.unescape(page_text(response))
    assert response.status_code == 400
    assert "A narrative called “Water poisoning” already exists." in page
    assert "Wells poisoned by volunteers." in page
    assert db.scalar(select(func.count()).select_from(Narrative)) == 1


@pytest.mark.parametrize(
    ("name", "typed"),
    [
        ("Water poisoning", "water POISONING"),
        ("Украина вербует наёмников", "УКРАИНА вербует наёмников"),
    ],
)
def test_a_narrative_typed_in_the_claim_form_reuses_the_existing_one(
    client, db, login_as, name, typed
):
    from tests.desk_support import claim_form

    login_as(Role.ANALYST)
    existing = make_narrative(db, name)
    db.commit()
    response = client.post("/desk/claims/new", data=claim_form(new_narratives=typed))
    assert response.status_code == 302
    assert db.scalar(select(func.count()).select_from(Narrative)) == 1
    assert db.scalar(select(Narrative.id)) == existing.id


def test_countries_are_named_as_people_name_them():
    # The claim form offered "Russian Federation" (pages said "Russia") and "Naoero".
    from tracker.services.countries import all_countries, country_name, resolve_country

    assert [country_name(code) for code in ("RU", "NR", "GB", "UA")] == [
        "Russia", "Nauru", "United Kingdom", "Ukraine",
    ]  # fmt: skip
    assert ("RU", "Russia") in all_countries()
    assert resolve_country("DR Congo") == "CD" and resolve_country("Russian Federation") == "RU"


def test_an_editor_merges_a_misspelt_narrative_into_the_right_one(client, db, login_as):
    # A narrative typed twice or misspelt in the claim form stayed in every list for good.
    from tests.factories import make_claim
    from tracker.models import AuditEvent, Claim

    login_as(Role.EDITOR)
    right = make_narrative(db, "Foreign mercenaries")
    typo = make_narrative(db, "Foreign mercenarise")
    both = make_claim(db, "Tells both.")
    only_typo = make_claim(db, "Tells the misspelt one.")
    both.narratives = [right, typo]
    only_typo.narratives = [typo]
    db.commit()
    page = page_text(client.get(f"/desk/narratives/{typo.id}/edit"))
    assert "Merge into another narrative" in page
    response = client.post(f"/desk/narratives/{typo.id}/merge", data={"target": str(right.id)})
    assert response.status_code == 302
    db.expire_all()
    for claim_id in (both.id, only_typo.id):
        assert [n.name for n in db.get(Claim, claim_id).narratives] == ["Foreign mercenaries"]
    assert db.get(Narrative, typo.id).deleted_at is not None
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "merge"))
    assert event.entity_type == "narrative" and event.after["claims_moved"] == 1
    assert db.get(Narrative, typo.id).merged_into_id == right.id


def test_a_merged_narratives_public_address_leads_to_the_one_it_became(client, db):
    from tests.factories import make_user
    from tests.public_support import build_world
    from tracker.audit import Actor
    from tracker.models import Claim
    from tracker.services import narratives

    world = build_world(db)
    public = db.scalar(select(Narrative).where(Narrative.slug == world.narrative))
    other = make_narrative(db, "Told by the same claims")
    for claim in db.scalars(select(Claim).where(Claim.narratives.contains(public))):
        claim.narratives.append(other)
    db.commit()
    assert client.get(f"/narratives/{other.slug}").status_code == 200
    narratives.merge_narratives(db, other, public, by=Actor(make_user(db, Role.EDITOR)))
    db.commit()
    response = client.get(f"/narratives/{other.slug}")
    assert response.status_code == 301
    assert response.location.endswith(f"/narratives/{world.narrative}")
    assert client.get("/narratives/no-such-narrative").status_code == 404
    # And a filter by its slug is a filter by the narrative it became.
    by_old = client.get(f"/api/v1/claims?narrative={other.slug}")
    assert by_old.status_code == 200
    by_new = client.get(f"/api/v1/claims?narrative={world.narrative}").get_json()
    assert by_old.get_json()["items"] == by_new["items"]


def test_analysts_may_not_merge_narratives(client, db, login_as):
    login_as(Role.ANALYST)
    one, other = make_narrative(db, "One"), make_narrative(db, "Other")
    db.commit()
    assert "Merge into another narrative" not in page_text(
        client.get(f"/desk/narratives/{one.id}/edit")
    )
    response = client.post(f"/desk/narratives/{one.id}/merge", data={"target": str(other.id)})
    assert response.status_code == 403
    assert db.get(Narrative, one.id).deleted_at is None


def test_a_merged_outlets_edit_page_leads_to_the_outlet_it_became(client, db, login_as):
    # It showed an ordinary form whose saves changed a pointer nobody sees.
    from tracker.audit import Actor
    from tracker.services.outlets import merge_outlets

    editor = login_as(Role.EDITOR)
    first, middle, last = (make_outlet(db, name) for name in ("Typo Daily", "Tpyo", "Daily"))
    merge_outlets(db, first, middle, by=Actor(editor))
    merge_outlets(db, middle, last, by=Actor(editor))
    db.commit()
    response = client.get(f"/desk/outlets/{first.id}/edit", follow_redirects=True)
    assert response.request.path == f"/desk/outlets/{last.id}/edit"
    assert "“Typo Daily” was merged into “Daily”" in html.unescape(page_text(response))


def test_an_outlets_country_may_be_named(client, db, login_as):
    # "Narnia" was refused with "the limit is 2"; "Russia" was refused too.
    login_as(Role.ANALYST)
    assert client.post("/desk/outlets/new", data=outlet_form(country="Russia")).status_code == 302
    assert db.scalar(select(Outlet.country).where(Outlet.name == "Daily Star")) == "RU"
    response = client.post("/desk/outlets/new", data=outlet_form(name="Other", country="Narnia"))
    assert "“Narnia” is not a country" in html.unescape(page_text(response))
