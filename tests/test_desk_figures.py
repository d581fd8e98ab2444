"""The figure form's numbers and dates: what is refused, and why (both databases)."""

from __future__ import annotations

import html
from dataclasses import replace

from sqlalchemy import select

from tests.desk_support import figure_form, page_text
from tracker.models import Figure, Role


def post(client, **fields):
    response = client.post("/desk/figures/new", data=figure_form(**fields))
    return response, html.unescape(page_text(response))


def test_a_value_of_zero_is_accepted(client, db, login_as):
    login_as(Role.ANALYST)
    no_parts = {f"parts-{n}-{name}": "" for n in range(3) for name in ("label", "value")}
    response, _page = post(client, value="0", **no_parts)
    assert response.status_code == 302
    assert db.scalar(select(Figure.value)) == 0


def test_the_figure_page_writes_its_period_and_total_as_readers_do(client, db, login_as):
    # It said "Period April 2024 – April 2024" for a month and "Total (more than 1,500) 1,500".
    login_as(Role.EDITOR)
    response, _ = post(client, period_start="2024-04-01", period_end="2024-04-30")
    page = html.unescape(page_text(client.get(response.location)))
    assert "April 2024 – April 2024" not in page and "April 2024" in page
    assert "Total (more than 1,500)" not in page and "more than 1,500" in page
    listing = html.unescape(page_text(client.get("/desk/figures/")))
    assert "Apr 2024 – Apr 2024" not in listing and "April 2024" in listing


def test_a_missing_value_is_asked_for(client, login_as):
    login_as(Role.ANALYST)
    response, page = post(client, value="")
    assert response.status_code == 400 and "Enter the value." in page


def test_a_value_that_is_not_a_number_says_so(client, login_as):
    login_as(Role.ANALYST)
    response, page = post(client, value="abc")
    assert response.status_code == 400
    assert "Not a valid decimal value." in page and "This field is required." not in page


def test_a_period_ending_in_the_future_is_refused(client, db, login_as):
    login_as(Role.ANALYST)
    response, page = post(client, period_end="2999-01-01")
    assert response.status_code == 400 and "is in the future" in page
    assert 'value="2999-01-01"' in page
    assert db.scalar(select(Figure)) is None


def test_a_value_outside_its_bounds_is_refused(client, db, login_as):
    login_as(Role.ANALYST)
    response, page = post(client, value="1500", lower_bound="10", upper_bound="20")
    assert response.status_code == 400
    assert "The value (1500) is above its upper bound (20)." in page
    assert db.scalar(select(Figure)) is None


def test_a_value_inside_its_bounds_is_saved(client, db, login_as):
    login_as(Role.ANALYST)
    response, _page = post(client, value="1500", lower_bound="1400", upper_bound="1600")
    assert response.status_code == 302


def moscow_figure(db, by, value: float = 1500):  # type: ignore[no-untyped-def]
    """A "more than VALUE" figure of foreigners recruited in Moscow, through the service."""
    from tracker.models import FigureQualifier
    from tracker.services import figures

    data = figures.FigureInput(
        subject="foreign citizens recruited in Moscow",
        value=value,
        qualifier=FigureQualifier.MORE_THAN,
    )
    return figures.create_figure(db, data, by=by), data


def test_editing_a_figure_compares_its_claims_with_the_new_value(db):
    # The links kept the sentence written from the old value, beside the new one.
    from dataclasses import replace

    from tests.factories import make_claim, make_user
    from tracker.audit import Actor
    from tracker.models import FigureRelation
    from tracker.services import figures, links

    by = Actor(make_user(db, Role.EDITOR))
    figure, data = moscow_figure(db, by)
    claim = make_claim(db, "Russia has recruited tens of thousands of foreigners in Moscow.")
    link, _ = links.set_link(db, "figure", claim, figure.id, by=by)
    assert link.relation == FigureRelation.OVERSTATES

    edit = replace(data, value=15000)
    figures.update_figure(db, figure, edit, expected_version=figure.version, by=by)
    db.refresh(link)
    assert link.relation != FigureRelation.OVERSTATES
    assert "1,500" not in (link.reason or "")


def test_a_confirmed_check_that_a_figure_edit_changes_goes_back_to_review(db):
    # A public claim said "consistent with the claim" beside its verdict of False after its
    # figure was corrected: the confirmed check stayed confirmed, unsaid.
    from tests.factories import make_claim, make_user
    from tracker.audit import Actor
    from tracker.models import AuditEvent, FigureRelation, LinkStatus
    from tracker.services import figures, links

    by = Actor(make_user(db, Role.EDITOR))
    figure, data = moscow_figure(db, by)
    moved = make_claim(db, "Russia has recruited 20,000 foreigners in Moscow.")
    kept = make_claim(db, "Russia has recruited 900 foreigners in Moscow.")
    moved_link, _ = links.set_link(db, "figure", moved, figure.id, by=by)
    kept_link, _ = links.set_link(db, "figure", kept, figure.id, by=by)
    assert moved_link.status == LinkStatus.CONFIRMED

    edit = replace(data, value=18000)
    saved = figures.update_figure(db, figure, edit, expected_version=figure.version, by=by)
    db.refresh(moved_link)
    db.refresh(kept_link)
    assert saved.reopened == 1
    assert (moved_link.status, moved_link.relation) == (
        LinkStatus.SUGGESTED,
        FigureRelation.CONSISTENT,
    )
    assert (kept_link.status, kept_link.relation) == (
        LinkStatus.CONFIRMED,
        FigureRelation.UNDERSTATES,
    )
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "xref_suggested"))
    assert (event.entity_id, event.before["relation"]) == (moved_link.id, "overstates")


def test_editing_a_claim_compares_its_confirmed_figure_checks_with_the_new_text(db):
    # A confirmed check is public: it said "about 80,000 … overstates" after the claim's
    # text was corrected to 3,000.
    from tests.factories import make_user
    from tracker.audit import Actor
    from tracker.models import FigureRelation
    from tracker.services import claims, links

    by = Actor(make_user(db, Role.EDITOR))
    figure, _ = moscow_figure(db, by)
    claim = claims.create_claim(
        db,
        claims.ClaimInput(text="Russia recruited about 80,000 foreign citizens in Moscow."),
        by=by,
    )
    link, _ = links.set_link(db, "figure", claim, figure.id, by=by)
    assert link.relation == FigureRelation.OVERSTATES

    edit = claims.ClaimInput(text="Russia recruited about 3,000 foreign citizens in Moscow.")
    claims.update_claim(db, claim, edit, expected_version=claim.version, by=by)
    db.refresh(link)
    assert (link.relation, link.stated_value) == (FigureRelation.CONSISTENT, 3000)
    assert "80,000" not in (link.reason or "")
