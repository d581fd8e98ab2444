"""`tracker demo` loads the demo data set, including the seed figure of DESIGN.md."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tracker.models import (
    Claim,
    ClaimFigureLink,
    ClaimStatus,
    Figure,
    FigureQualifier,
    FigureRelation,
    Narrative,
    Rating,
    Role,
    User,
)


@pytest.fixture
def demo(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    return result


def test_demo_loads_the_seed_figure_with_its_parts_and_period(demo, db):
    total = db.scalar(select(Figure).where(Figure.parent_id.is_(None), Figure.value == 1500))
    assert total.qualifier == FigureQualifier.MORE_THAN
    assert (total.period_start, total.period_end) == (date(2023, 4, 1), date(2024, 5, 31))
    assert total.publisher == "UK Ministry of Defence"
    assert "iStories" in total.cited_source
    assert total.article is not None and "1,500" in total.article.text
    assert [(p.label, p.value) for p in total.parts] == [
        ("South and East Asia", 771),
        ("Former Soviet republics", 523),
        ("Africa", 72),
    ]
    assert total.parts_total == 1366
    assert total.remainder == 134


def test_demo_seed_figure_carries_its_source_chain(demo, db):
    total = db.scalar(select(Figure).where(Figure.parent_id.is_(None), Figure.value == 1500))
    assert total.publisher == "UK Ministry of Defence"
    assert total.cited_source == "iStories (Vazhnye Istorii)"
    assert total.published_on == date(2025, 4, 27)
    assert total.source_url.startswith("https://x.com/") and "DefenceHQ" in total.source_url
    for words in ("iStories", "1,500", "April 2023", "May 2024", "771", "523", "72"):
        assert words in total.quote
    # The debunk article reports the figure, so it cannot be older than the figure.
    assert total.article.published_on >= total.published_on


def test_demo_has_claims_in_three_languages_across_every_verdict_and_status(demo, db):
    claims = db.scalars(select(Claim)).all()
    assert len(claims) >= 20
    assert {"en", "ru", "uk"} <= {c.language for c in claims}
    assert {c.status for c in claims} == set(ClaimStatus)
    published = [c for c in claims if c.status == ClaimStatus.PUBLISHED]
    assert {c.rating for c in published} == set(Rating)
    assert db.scalar(select(func.count()).select_from(Narrative)) >= 5


def test_demo_has_a_claim_that_overstates_the_seed_figure(demo, db):
    link = db.scalar(
        select(ClaimFigureLink).where(ClaimFigureLink.relation == FigureRelation.OVERSTATES)
    )
    assert link is not None
    assert link.stated_value >= 10_000 and link.figure.value == 1500


def test_demo_creates_one_user_per_role_and_prints_how_to_sign_in(demo, db):
    roles = {u.role for u in db.scalars(select(User))}
    assert roles == set(Role)
    assert "admin@example.org" in demo.output and "password:" in demo.output


def test_demo_is_idempotent_and_keeps_the_passwords(app, demo, db):
    again = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert again.exit_code == 0
    assert "already present" in again.output
    assert db.scalar(select(func.count()).select_from(Claim)) == 24
    first_passwords = [line for line in demo.output.splitlines() if "password:" in line]
    assert first_passwords == [line for line in again.output.splitlines() if "password:" in line]


def test_demo_serves_in_development_mode(app, db, monkeypatch):
    served = []
    monkeypatch.setattr("tracker.server.serve", lambda factory, **_: served.append(factory()))
    monkeypatch.delenv("TRACKER_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    [served_app] = served
    assert served_app.config["ENV_NAME"] == "development"
