"""Public pages: home, search, claims, outlets, narratives, articles, figures, snapshots."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from tracker.extensions import db
from tracker.models import Snapshot
from tracker.public import details
from tracker.public import visibility as vis
from tracker.public.cache import cached
from tracker.public.charts import monthly_bars, share_bars
from tracker.public.claimreview import Publisher, claimreview_json, has_claimreview
from tracker.public.comparison import figure_value_text, period_text
from tracker.public.filters import SORTS, VERDICT_VALUES, ClaimFilters, parse_filters
from tracker.public.listing import keyset_page, load_rows, search_claims
from tracker.public.urls import absolute_url
from tracker.services.figure_checks import figure_breakdown
from tracker.templating import verdict_count_label

bp = Blueprint("public", __name__)
bp.add_app_template_global(absolute_url, "absolute_url")


def publisher() -> Publisher:
    """Our organisation, as named in ClaimReview and feeds."""
    return Publisher(
        name=current_app.config.get("PUBLISHER_NAME", "Disinfo Tracker"),
        site_url=absolute_url("public.home"),
        logo_url=current_app.config.get("PUBLISHER_LOGO_URL"),
    )


@bp.get("/")
def home() -> str:
    latest = details.latest_claims(db.read_session)
    stats = cached("home", lambda: details.home_stats(db.read_session))
    return render_template("public/home.html", stats=stats, latest=latest)


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Where browsers and feed readers look for the site's icon without reading the page."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.get("/search")
def search() -> str:
    args, outlet_notice = _outlet_by_name(request.args)
    parsed = parse_filters(args, session=db.read_session)
    results = search_claims(db.read_session, parsed.filters, problems=parsed.problems)
    results.notices[:0] = [*parsed.notices, *([outlet_notice] if outlet_notice else [])]
    narratives = cached("narratives", lambda: details.public_narratives(db.read_session))
    # The outlets offered as you type: the ones among the results, and the chosen one.
    offered = {
        int(item.value): item.label
        for facet in results.facets
        if facet.param == "outlet"
        for item in facet.values
    }
    chosen = parsed.filters.outlet_id
    if chosen and chosen not in offered:
        outlet = vis.get_public_outlet(db.read_session, chosen)
        if outlet is not None:
            offered[outlet.id] = outlet.name
    return render_template(
        "public/search.html",
        results=results,
        filters=parsed.filters,
        verdict_values=VERDICT_VALUES,
        sorts=SORTS,
        narratives=narratives,
        narrative_names={n.slug: n.name for n in narratives},
        outlet_names=offered,
    )


def _outlet_by_name(args: MultiDict[str, str]) -> tuple[MultiDict[str, str], str | None]:
    """The search form lets visitors type an outlet's name: find its number (the API and
    links use numbers). An unknown or ambiguous name is dropped with a notice."""
    typed = (args.get("outlet") or "").strip()
    if not typed or typed.isdigit():
        return args, None
    found = vis.find_outlets(db.read_session, typed[:200])
    changed = MultiDict(args)
    if len(found) == 1:
        changed.setlist("outlet", [str(found[0].id)])
        return changed, None
    changed.poplist("outlet")
    if not found:
        return changed, f"No outlet in the record is called “{typed[:80]}”; showing all outlets."
    names = ", ".join(outlet.name for outlet in found[:5])
    return changed, f"Several outlets match “{typed[:80]}” ({names}); choose one."


@bp.get("/claims/<int:claim_id>")
def claim(claim_id: int) -> str:
    page = details.claim_page(db.read_session, claim_id)
    if page is None:
        abort(404, description="There is no published claim with this number.")
    jsonld = None
    if has_claimreview(page.claim):
        updates = [v.at for v in page.updates]
        articles = [link.article for link in page.articles]
        jsonld = claimreview_json(
            page.claim, publisher(), max(updates) if updates else None, articles
        )
    return render_template(
        "public/claim.html",
        page=page,
        claim=page.claim,
        jsonld=jsonld,
        publisher_name=publisher().name,
    )


@bp.get("/snapshots/<int:snapshot_id>")
def snapshot(snapshot_id: int) -> str:
    if not vis.snapshot_is_public(db.read_session, snapshot_id):
        abort(404, description="There is no public archived copy with this number.")
    item = db.read_session.get(Snapshot, snapshot_id)
    if item is None:  # pragma: no cover - checked just above
        abort(404)
    return render_template("public/snapshot.html", snapshot=item)


PER_PAGE = 100


def _paged(ranked: list[Any], what: str, notices: list[str]) -> dict[str, Any]:
    """One page of a ranked list (`page` of the query, else the first, with a notice), and
    what its template says of it: the page, how many pages and rows, the first row's number."""
    pages = max(1, -(-len(ranked) // PER_PAGE))
    raw_page = request.args.get("page", "1")
    page = int(raw_page) if raw_page.isdigit() else 0
    if not 1 <= page <= pages:
        notices.append(f"There are {pages} pages of {what}; showing the first.")
        page = 1
    first = (page - 1) * PER_PAGE
    return {
        "rows": ranked[first : first + PER_PAGE],
        "notices_list": notices,
        "page": page,
        "pages": pages,
        "total": len(ranked),
        "first": first + 1,
    }


@bp.get("/outlets/")
def outlets() -> str:
    sort = request.args.get("sort", "claims")
    notices = []
    if sort not in details.OUTLET_SORTS:
        notices.append("Outlets can be sorted by number of claims or by name; showing by claims.")
        sort = "claims"
    ranked = cached(("outlets", sort), lambda: details.outlet_index(db.read_session, sort))
    return render_template("public/outlets.html", sort=sort, **_paged(ranked, "outlets", notices))


@bp.get("/outlets/<int:outlet_id>")
def outlet(outlet_id: int) -> str | Response:
    item = vis.get_public_outlet(db.read_session, outlet_id)
    if item is None:
        merged_into = vis.merged_outlet_target(db.read_session, outlet_id)
        if merged_into is not None:
            return redirect(url_for("public.outlet", outlet_id=merged_into), 301)
        abort(404, description="There is no outlet with this number in the public record.")
    stats = cached(("outlet", item.id), lambda: details.outlet_stats(db.read_session, item))
    verdict_chart = share_bars(
        [(value, verdict_count_label(value), n) for value, n in stats.by_verdict],
        title="Claims by verdict",
    )
    months_chart = monthly_bars(stats.months, title="Claims per month")
    newest = keyset_page(db.read_session, ClaimFilters(outlet_id=item.id), None, 10)
    latest = load_rows(db.read_session, [claim_id for claim_id, _ in newest])
    return render_template(
        "public/outlet.html",
        outlet=item,
        stats=stats,
        verdict_chart=verdict_chart,
        months_chart=months_chart,
        latest=latest,
    )


@bp.get("/narratives/")
def narratives() -> str:
    """Every public narrative with its number of claims (the home page counts them)."""
    ranked = cached("narrative-index", lambda: details.narrative_index(db.read_session))
    return render_template("public/narratives.html", **_paged(ranked, "narratives", []))


@bp.get("/narratives/<slug>")
def narrative(slug: str) -> str | Response:
    item = vis.get_public_narrative(db.read_session, slug)
    if item is None:
        merged_into = vis.merged_narrative_target(db.read_session, slug)
        if merged_into is not None:  # the merged narrative's claims tell this one now
            return redirect(url_for("public.narrative", slug=merged_into.slug), 301)
        abort(404, description="There is no narrative with this name.")
    stats = cached(("narrative", item.id), lambda: details.narrative_stats(db.read_session, item))
    chart = monthly_bars(stats.months, title="Claims per month, by first appearance")
    return render_template("public/narrative.html", narrative=item, stats=stats, chart=chart)


@bp.get("/articles/<int:article_id>")
def article(article_id: int) -> str:
    item = vis.get_public_article(db.read_session, article_id)
    if item is None:
        abort(404, description="There is no debunk article with this number.")
    claims = vis.claims_for_article(db.read_session, item.id)
    figures = db.read_session.scalars(
        select(details.Figure).where(
            details.Figure.article_id == item.id, vis.public_figure_condition()
        )
    ).all()
    return render_template("public/article.html", article=item, claims=claims, figures=figures)


@bp.get("/figures/<int:figure_id>")
def figure(figure_id: int) -> str:
    item = vis.get_public_figure(db.read_session, figure_id)
    if item is None:
        abort(404, description="There is no figure with this number.")
    page = details.figure_page(db.read_session, item)
    return render_template(
        "public/figure.html",
        page=page,
        figure=item,
        figure_value=figure_value_text(item),
        period=period_text(item),
        breakdown=figure_breakdown(item) if page.parts else None,
    )
