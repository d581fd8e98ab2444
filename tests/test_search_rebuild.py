"""Rebuilding a search index in bulk: the parallel path (text analysed in worker processes)
stores exactly what the serial one does, skips deleted records, and counts every record."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import text

from tests.factories import make_claim, make_outlet
from tracker.models import ClaimStatus
from tracker.services import indexing
from tracker.services.indexing import rebuild_claim_index

TEXTS = [
    ("en", "More than 1,500 foreign citizens were recruited in Moscow."),
    ("ru", "Иностранцы массово вербуются в Москве, сообщает источник."),
    ("uk", "Іноземець прибув до Києва, щоб воювати за Росію."),
    ("en", "NATO is preparing an invasion of Belarus from Poland."),
    ("ru", "Зеленский бежал из Киева ещё в феврале."),
    ("de", "Die Straße nach Kiew ist gesperrt."),
    ("en", "Biolabs in Ukraine develop weapons, says @SputnikInt #Biolabs"),
]


def index_contents(db) -> tuple[list[tuple], list[tuple]]:
    """Every stored document (id order) and every term count (term order), as plain rows."""
    documents = db.execute(text("SELECT * FROM search_claim ORDER BY 1")).all()
    if db.get_bind().dialect.name == "sqlite":
        documents = db.execute(text("SELECT rowid, * FROM search_claim ORDER BY 1")).all()
    terms = db.execute(text("SELECT term, df FROM search_claim_terms ORDER BY term")).all()
    return [tuple(row) for row in documents], [tuple(row) for row in terms]


def test_a_parallel_rebuild_stores_what_a_serial_one_does(db, monkeypatch):
    monkeypatch.setattr(indexing, "BATCH", 2)  # several batches in flight at once
    outlet = make_outlet(db, "RIA Novosti", "ria.ru")
    claims = [
        make_claim(db, body, language=lang, status=ClaimStatus.PUBLISHED, outlet=outlet)
        for lang, body in TEXTS
    ]
    claims[3].deleted_at = datetime(2026, 1, 1, tzinfo=UTC)
    db.commit()
    live = len(claims) - 1

    assert rebuild_claim_index(db) == live
    serial = index_contents(db)
    indexing.delete_documents(db, "claim", [claim.id for claim in claims])
    assert index_contents(db) == ([], [])

    assert rebuild_claim_index(db, parallel=True, release_batches=True) == live
    parallel = index_contents(db)

    assert parallel == serial
    assert len(parallel[0]) == live
    assert claims[3].id not in {row[0] for row in parallel[0]}
    assert ("ria", live) in parallel[1]  # the outlet name of every live claim
