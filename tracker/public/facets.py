"""Facet counts for a search: how many of its candidates each filter value would keep.

Counted over the candidates only (at most CANDIDATE_CAP), so they cost the same however many
claims match; the page says so when the total is larger.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models import (
    Appearance,
    Country,
    Narrative,
    Outlet,
    claim_countries,
    claim_narratives,
)
from tracker.public.candidates import Candidate
from tracker.public.filters import in_ids

FACET_SIZE = 10


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    param: str
    title: str
    values: list[FacetValue]


def facet_counts(session: Session, candidates: Sequence[Candidate]) -> list[Facet]:
    """Counts per filter value among the candidates (at most CANDIDATE_CAP of them)."""
    ids = [int(row.id) for row in candidates]
    verdicts = Counter(row.rating for row in candidates if row.rating)
    languages = Counter(row.language for row in candidates)
    from tracker.templating import verdict_count_label
    from tracker.wording import language_name

    facets = [
        Facet(
            "verdict",
            "Verdict",
            [FacetValue(v, verdict_count_label(v), n) for v, n in verdicts.most_common()],
        ),
        Facet(
            "language",
            "Language",
            [
                FacetValue(code, language_name(code), n)
                for code, n in languages.most_common(FACET_SIZE)
            ],
        ),
    ]
    count = func.count().label("n")
    outlet_rows = session.execute(
        select(Outlet.id, Outlet.name, func.count(func.distinct(Appearance.claim_id)).label("n"))
        .join(Appearance, Appearance.outlet_id == Outlet.id)
        .where(in_ids(session, Appearance.claim_id, ids), Outlet.deleted_at.is_(None))
        .group_by(Outlet.id, Outlet.name)
        .order_by(func.count(func.distinct(Appearance.claim_id)).desc(), Outlet.name)
        .limit(FACET_SIZE)
    ).all()
    facets.append(
        Facet("outlet", "Outlet", [FacetValue(str(r.id), r.name, r.n) for r in outlet_rows])
    )
    country_rows = session.execute(
        select(Country.code, Country.name, count)
        .join(claim_countries, claim_countries.c.country_code == Country.code)
        .where(in_ids(session, claim_countries.c.claim_id, ids))
        .group_by(Country.code, Country.name)
        .order_by(count.desc(), Country.name)
        .limit(FACET_SIZE)
    ).all()
    facets.append(
        Facet("country", "Country", [FacetValue(r.code, r.name, r.n) for r in country_rows])
    )
    narrative_rows = session.execute(
        select(Narrative.slug, Narrative.name, count)
        .join(claim_narratives, claim_narratives.c.narrative_id == Narrative.id)
        .where(in_ids(session, claim_narratives.c.claim_id, ids), Narrative.deleted_at.is_(None))
        .group_by(Narrative.slug, Narrative.name)
        .order_by(count.desc(), Narrative.name)
        .limit(FACET_SIZE)
    ).all()
    facets.append(
        Facet("narrative", "Narrative", [FacetValue(r.slug, r.name, r.n) for r in narrative_rows])
    )
    return [facet for facet in facets if facet.values]
