"""search: rebuild the indexes with analyser 2 and record it

Analyser 2 (tracker/search/analysis.py) writes other terms for some words: the fleeting
vowel of "-ец"/"-ець" (иностранец, іноземець), stems of at least three letters (Київ and
Киев were "ки"), Київ/Києва and a few like them. Terms written by analyser 1 would no
longer meet the queries, so every document is indexed again, then the version is recorded
in search_meta.

The documents are read with plain SQL over the tables as they are at this revision (not
through the models, which may have gained columns by the time this runs), built as
tracker/services/indexing.py built them at this revision. It takes about as long as
indexing the record in a bulk load (tens of seconds for 100,000 claims).

Revision ID: 0012_public_search_reindex
Revises: 0011_public_search_terms
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_public_search_reindex"
down_revision: str | None = "0011_public_search_terms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANALYSER = 2
KINDS = ("claim", "article", "figure")
BATCH = 1_000
ARTICLE_TEXT_LIMIT = 4_000

claims = sa.table(
    "claims",
    *(sa.column(n) for n in ("id", "text", "summary_en", "rationale", "language", "deleted_at")),
)
appearances = sa.table(
    "appearances", *(sa.column(n) for n in ("id", "claim_id", "outlet_id", "title", "appeared_on"))
)
outlets = sa.table("outlets", sa.column("id"), sa.column("name"))
articles = sa.table(
    "articles",
    *(
        sa.column(n)
        for n in ("id", "claim_statement", "title", "text", "publisher", "language", "deleted_at")
    ),
)
figures = sa.table(
    "figures",
    *(
        sa.column(n)
        for n in (
            "id",
            "subject",
            "place",
            "quote",
            "publisher",
            "cited_source",
            "parent_id",
            "deleted_at",
        )
    ),
)


def _batches(connection: sa.Connection, table: sa.TableClause, *where: object) -> Iterator[list]:
    last = 0
    while True:
        rows = connection.execute(
            sa.select(table)
            .where(table.c.id > last, table.c.deleted_at.is_(None), *where)
            .order_by(table.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        yield rows
        last = rows[-1].id


def _claim_documents(connection: sa.Connection, rows: list) -> list:
    from tracker.search import SearchDocument

    names: dict[int, list[str]] = {row.id: [] for row in rows}
    found = connection.execute(
        sa.select(appearances.c.claim_id, appearances.c.title, outlets.c.name)
        .select_from(appearances.outerjoin(outlets, outlets.c.id == appearances.c.outlet_id))
        .where(appearances.c.claim_id.in_(list(names)))
        .order_by(appearances.c.claim_id, appearances.c.appeared_on, appearances.c.id)
    )
    for claim_id, title, outlet_name in found:
        items = names[claim_id]
        if outlet_name is not None and outlet_name not in items:
            items.append(outlet_name)
        if title:
            items.append(title)
    return [
        SearchDocument(
            doc_id=row.id,
            primary=row.text,
            secondary=row.summary_en or "",
            tertiary=row.rationale or "",
            names="\n".join(names[row.id]),
            lang=row.language,
        )
        for row in rows
    ]


def _article_documents(rows: list) -> list:
    from tracker.search import SearchDocument

    return [
        SearchDocument(
            doc_id=row.id,
            primary=row.claim_statement or "",
            secondary=row.title,
            tertiary=(row.text or "")[:ARTICLE_TEXT_LIMIT],
            names=row.publisher or "",
            lang=row.language,
        )
        for row in rows
    ]


def _figure_documents(rows: list) -> list:
    from tracker.search import SearchDocument

    return [
        SearchDocument(
            doc_id=row.id,
            primary=row.subject,
            secondary=row.place or "",
            tertiary=row.quote or "",
            names="\n".join(s for s in (row.publisher or "", row.cited_source or "") if s),
            lang="en",
        )
        for row in rows
    ]


def upgrade() -> None:
    rebuild_indexes(ANALYSER)


def rebuild_indexes(analyser: int) -> None:
    """Index every document again with the analyser of the running code, and record it as
    ANALYSER (later revisions that change the analyser call this too)."""
    from tracker.search import create_schema, drop_schema, index_documents, record_analyser

    connection = op.get_bind()
    drop_schema(connection, KINDS)
    create_schema(connection, KINDS)
    for rows in _batches(connection, claims):
        index_documents(connection, "claim", _claim_documents(connection, rows))
    for rows in _batches(connection, articles):
        index_documents(connection, "article", _article_documents(rows))
    for rows in _batches(connection, figures, figures.c.parent_id.is_(None)):
        index_documents(connection, "figure", _figure_documents(rows))
    record_analyser(connection, analyser)
    if connection.dialect.name == "postgresql":
        # Batches of 1,000 never reach the size at which the backend analyses by itself.
        for kind in KINDS:
            op.execute(f"ANALYZE search_{kind}")


def downgrade() -> None:
    # The terms written by analyser 2 stay: they are derived data, and a query still finds
    # most of them. Rebuild with the older code if that matters.
    op.execute("DROP TABLE IF EXISTS search_meta")
