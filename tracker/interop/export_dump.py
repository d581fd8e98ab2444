"""The full-fidelity dump (:mod:`tracker.interop.dump_records`) from the database, streamed.

Outlets, narratives, articles and figures come first, then the claims that refer to them,
read by key in batches with their verdicts, appearances, outlets and links loaded in a few
queries per batch.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.interop.dump_records import (
    ArticleEntry,
    DumpEntry,
    FigureEntry,
    FigurePartEntry,
    NarrativeEntry,
    OutletEntry,
    dump_entry,
)
from tracker.interop.exporter import (
    BATCH,
    ExportFilters,
    article_links,
    article_ref,
    claim_batches,
    claim_ref,
    figure_ref,
    json_default,
    load_claims,
)
from tracker.interop.records import (
    AppearanceRecord,
    CommentRecord,
    DebunkRecord,
    LinkRecord,
    OutletRecord,
    TrackerRecord,
    VerdictRecord,
)
from tracker.models import (
    Article,
    Claim,
    ClaimArticleLink,
    ClaimFigureLink,
    ClaimLink,
    Comment,
    Figure,
    LinkStatus,
    Narrative,
    Outlet,
    User,
    Verdict,
)


def _outlet_record(outlet: Outlet) -> OutletRecord:
    return OutletRecord(
        name=outlet.name,
        domains=tuple(h.value for h in outlet.handles),
        country=outlet.country,
        kind=outlet.kind.value,
        state_affiliated=outlet.state_affiliated,
    )


def _verdict_record(verdict: Verdict) -> VerdictRecord:
    return VerdictRecord(
        rating=verdict.rating.value if verdict.rating else "",
        rationale=verdict.rationale or "",
        decided_at=verdict.at,
        decided_by=verdict.by.email if verdict.by else None,
        event=verdict.event.value,
        note=verdict.note,
    )


def _other_links(session: Session, ids: list[int]) -> dict[int, list[LinkRecord]]:
    found: dict[int, list[LinkRecord]] = defaultdict(list)
    figures = session.execute(
        select(ClaimFigureLink, Figure)
        .join(Figure, Figure.id == ClaimFigureLink.figure_id)
        .where(ClaimFigureLink.claim_id.in_(ids), Figure.deleted_at.is_(None))
        .order_by(ClaimFigureLink.id)
    )
    for link, figure in figures:
        found[link.claim_id].append(_link_record("figure", figure_ref(figure), link))
    others = session.execute(
        select(ClaimLink, Claim)
        .join(Claim, Claim.id == ClaimLink.other_claim_id)
        .where(ClaimLink.claim_id.in_(ids), Claim.deleted_at.is_(None))
        .order_by(ClaimLink.id)
    )
    for claim_link, other in others:
        found[claim_link.claim_id].append(_link_record("claim", claim_ref(other), claim_link))
    return found


def _link_record(kind: str, ref: str, link: Any) -> LinkRecord:
    return LinkRecord(kind, ref, link.status.value, link.method, link.reason, link.score)


def _comments(session: Session, ids: list[int]) -> dict[int, list[CommentRecord]]:
    found: dict[int, list[CommentRecord]] = defaultdict(list)
    rows = session.execute(
        select(Comment, User.email)
        .outerjoin(User, User.id == Comment.author_id)
        .where(Comment.claim_id.in_(ids), Comment.deleted_at.is_(None))
        .order_by(Comment.created_at, Comment.id)
    )
    for comment, email in rows:
        found[comment.claim_id].append(
            CommentRecord(comment.body, comment.created_at, email, comment.workflow_action)
        )
    return found


def claim_record(
    claim: Claim,
    articles: list[tuple[ClaimArticleLink, Article]],
    others: list[LinkRecord],
    comments: list[CommentRecord] | None = None,
) -> TrackerRecord:
    """Everything about CLAIM as a dump record (its relations loaded)."""
    history = tuple(_verdict_record(v) for v in claim.verdicts if v.rating is not None)
    verdict = None
    if claim.rating is not None:
        last = claim.verdicts[-1] if claim.verdicts else None
        verdict = VerdictRecord(
            rating=claim.rating.value,
            rationale=claim.rationale or "",
            decided_at=last.at if last else claim.updated_at,
            decided_by=last.by.email if last and last.by else None,
            published_at=claim.published_at,
            event=last.event.value if last else None,
        )
    appearances = tuple(
        AppearanceRecord(
            url=a.url,
            date=a.appeared_on,
            language=a.language,
            outlet=_outlet_record(a.outlet) if a.outlet is not None else None,
            snapshot_sha256=a.snapshot.sha256 if a.snapshot is not None else None,
            title=a.title,
            platform=a.platform,
        )
        for a in claim.appearances
    )
    links = [_link_record("article", article_ref(a), link) for link, a in articles]
    debunks = tuple(
        DebunkRecord(a.url, a.title, a.publisher, a.published_on, a.language)
        for link, a in articles
        if a.url and link.status == LinkStatus.CONFIRMED
    )
    return TrackerRecord(
        id=claim_ref(claim),
        text=claim.text,
        language=claim.language,
        summary=claim.summary_en,
        status=claim.status.value,
        narratives=tuple(n.slug for n in claim.narratives if n.deleted_at is None),
        countries=tuple(c.code for c in claim.countries),
        verdict=verdict,
        verdict_history=history,
        appearances=appearances,
        debunks=debunks,
        correction_note=claim.correction_note,
        created_at=claim.created_at,
        updated_at=claim.updated_at,
        created_by=claim.created_by.email if claim.created_by else None,
        submitted_at=claim.submitted_at,
        claimant=claim.claimant,
        rationale=claim.rationale,
        links=tuple(links + others),
        comments=tuple(comments or ()),
    )


def _entities(session: Session) -> Iterator[DumpEntry]:
    outlets = select(Outlet).where(Outlet.deleted_at.is_(None)).order_by(Outlet.id)
    for outlet in session.scalars(outlets.options(selectinload(Outlet.handles))):
        yield OutletEntry(
            id=f"outlet:{outlet.id}",
            name=outlet.name,
            kind=outlet.kind.value,
            country=outlet.country,
            state_affiliated=outlet.state_affiliated,
            description=outlet.description,
            handles=tuple(h.value for h in outlet.handles),
        )
    narratives = select(Narrative).where(Narrative.deleted_at.is_(None)).order_by(Narrative.id)
    for narrative in session.scalars(narratives):
        yield NarrativeEntry(narrative.slug, narrative.name, narrative.description)
    session.expunge_all()
    last = 0
    while True:
        batch = session.scalars(
            select(Article)
            .where(Article.deleted_at.is_(None), Article.id > last)
            .order_by(Article.id)
            .limit(BATCH)
        ).all()
        if not batch:
            break
        yield from (_article_entry(a) for a in batch)
        last = batch[-1].id
        session.expunge_all()
    figures = (
        select(Figure)
        .where(Figure.deleted_at.is_(None), Figure.parent_id.is_(None))
        .options(selectinload(Figure.parts), selectinload(Figure.article))
        .order_by(Figure.id)
    )
    for figure in session.scalars(figures):
        yield _figure_entry(figure)
    session.expunge_all()


def _article_entry(article: Article) -> ArticleEntry:
    return ArticleEntry(
        id=article_ref(article),
        title=article.title,
        url=article.url,
        publisher=article.publisher,
        author=article.author,
        published_on=article.published_on,
        language=article.language,
        text=article.text,
        claim_statement=article.claim_statement,
        is_ours=article.is_ours,
        rating_text=article.rating_text,
        rating=article.rating.value if article.rating else None,
        claimreview=article.claimreview,
        external_id=article.external_id,
        rating_rule=article.rating_rule,
        rating_confidence=article.rating_confidence,
    )


def _figure_entry(figure: Figure) -> FigureEntry:
    article = figure.article if figure.article and figure.article.deleted_at is None else None
    return FigureEntry(
        id=figure_ref(figure),
        subject=figure.subject,
        value=figure.value,
        qualifier=figure.qualifier.value,
        kind=figure.kind.value,
        lower_bound=figure.lower_bound,
        upper_bound=figure.upper_bound,
        unit=figure.unit,
        currency=figure.currency,
        period_start=figure.period_start,
        period_end=figure.period_end,
        place=figure.place,
        publisher=figure.publisher,
        cited_source=figure.cited_source,
        source_url=figure.source_url,
        published_on=figure.published_on,
        article=article_ref(article) if article else None,
        quote=figure.quote,
        parts=tuple(FigurePartEntry(p.label or "", p.value) for p in figure.parts),
    )


def iter_dump(session: Session, filters: ExportFilters) -> Iterator[DumpEntry]:
    """Every record of the dump, referenced records before the claims that refer to them."""
    yield from _entities(session)
    for ids in claim_batches(session, filters):
        articles = article_links(session, ids, confirmed_only=False)
        others = _other_links(session, ids)
        comments = _comments(session, ids)
        for claim in load_claims(session, ids, full=True):
            yield claim_record(
                claim,
                articles.get(claim.id, []),
                others.get(claim.id, []),
                comments.get(claim.id, []),
            )
        session.expunge_all()


def export_dump(session: Session, stream: IO[str], filters: ExportFilters) -> Counter[str]:
    """Write the full-fidelity dump to STREAM; return how many records of each kind."""
    counts: Counter[str] = Counter()
    for entry in iter_dump(session, filters):
        data = dump_entry(entry)
        counts[data["format"].rsplit("/", 1)[-1]] += 1
        stream.write(json.dumps(data, ensure_ascii=False, default=json_default) + "\n")
    return counts
