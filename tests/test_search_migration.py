"""The search indexes after migrating: built by the current analyser, and rebuilt when it
changed (the terms of an older analyser would no longer meet the queries)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from tests.factories import make_claim
from tests.test_migrations import schema_differences
from tracker.database import make_engine
from tracker.migrate import downgrade, upgrade
from tracker.models import ClaimStatus, Rating
from tracker.search import (
    ANALYSER_VERSION,
    SearchDocument,
    index_analyser,
    index_documents,
    search_ids,
)
from tracker.services.indexing import reindex_claims


def test_upgrading_rebuilds_an_index_written_by_an_older_analyser(app, db):
    # Also fails when ANALYSER_VERSION is bumped without a migration that rebuilds the
    # indexes and records the new version.
    claim = make_claim(
        db,
        "Іноземець прибув до Києва.",
        language="uk",
        status=ClaimStatus.PUBLISHED,
        rating=Rating.FALSE,
        published_at=datetime(2024, 1, 1, tzinfo=UTC),
    )
    reindex_claims(db, [claim.id])
    db.commit()
    engine = make_engine(app.config["DATABASE_URL"])
    try:
        downgrade(engine, "0011_public_search_terms")
        with engine.begin() as connection:  # what an older analyser might have written
            index_documents(connection, "claim", [SearchDocument(claim.id, "іноземец ки")])
        upgrade(engine)
        with engine.connect() as connection:
            assert [hit.doc_id for hit in search_ids(connection, "claim", "іноземця Київ")] == [
                claim.id
            ]
            assert index_analyser(connection) == ANALYSER_VERSION
        assert schema_differences(engine) == []
    finally:
        engine.dispose()


def test_upgrading_keeps_postgresql_tsvectors_in_their_rows(app, db):
    # Ranking reads every candidate's tsvector; out of the row (TOAST) each costs a lookup.
    engine = make_engine(app.config["DATABASE_URL"])
    if engine.dialect.name != "postgresql":
        engine.dispose()
        pytest.skip("SQLite has no column storage")
    claim = make_claim(db, "Mercenaries " * 800, status=ClaimStatus.PUBLISHED)
    reindex_claims(db, [claim.id])
    db.commit()
    storage = text(
        "SELECT attstorage FROM pg_attribute "
        "WHERE attrelid = CAST('search_claim' AS regclass) AND attname = 'tsv'"
    )
    try:
        downgrade(engine, "0013_interop_rating_mapping")
        with engine.connect() as connection:
            assert connection.scalar(storage) == "x"
        upgrade(engine)
        with engine.connect() as connection:
            assert connection.scalar(storage) == "m"
            assert [hit.doc_id for hit in search_ids(connection, "claim", "mercenary")] == [
                claim.id
            ]
        assert schema_differences(engine) == []
    finally:
        engine.dispose()
