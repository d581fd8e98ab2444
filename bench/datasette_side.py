"""Datasette on the same SQLite file, for the side-by-side run in bench_public.py.

Datasette is what a data journalist would otherwise use to publish the claims table. It gets
its best documented setup: full-text search configured on `claims.text` (FTS5, by
sqlite-utils), immutable mode (`-i`, which lets it skip locking and cache table counts) and
facet suggestions off. It serves one process, as `datasette serve` does.

The same requests are translated to Datasette's table and row URLs. Its table view has no
joins, so the narrative and outlet filters are dropped (the request gets easier), and it pages
by key rather than by number, so the deep-page kind is not run against it.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

FTS_TABLE = "claims_fts"
DATABASE_NAME = "bench"
# A table page that found nothing says "0 rows"; a row page that found nothing is a 404.
EMPTY_MARKER = ">0 rows"


def enable_full_text_search(path: Path) -> bool:
    """Configure FTS5 on claims.text the way Datasette users do (sqlite-utils); returns True
    when it had to be built, False when it was already there."""
    import sqlite_utils

    database = sqlite_utils.Database(sqlite3.connect(path))
    try:
        if FTS_TABLE in database.table_names():
            return False
        database["claims"].enable_fts(["text"], fts_version="FTS5", create_triggers=False)
        database["claims"].optimize()
        database.conn.commit()
        return True
    finally:
        database.conn.close()


def serve(path: Path, port: int) -> subprocess.Popen[bytes]:
    # The immutable file is named by its stem in Datasette's URLs, so link it under our name.
    link = path.with_name(f"{DATABASE_NAME}.db")
    link.unlink(missing_ok=True)
    link.symlink_to(path)
    return subprocess.Popen(
        [sys.executable, "-m", "datasette", "serve", "-i", str(link), "--host", "127.0.0.1",
         "--port", str(port), "--setting", "suggest_facets", "off"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip


def search_path(params: dict[str, str]) -> str:
    query = {"_search": params["q"], "status": "published", "_size": "20"}
    if "verdict" in params:
        query["rating"] = params["verdict"]
    if "language" in params:
        query["language"] = params["language"]
    if "from" in params:
        query["first_seen__gte"] = params["from"]
    if "to" in params:
        query["first_seen__lte"] = params["to"]
    return f"/{DATABASE_NAME}/claims?" + urlencode(query)


def paths_for(kind: str, items: list) -> list[str] | None:
    """Datasette's URLs for one kind of the mix (None when it has no equivalent)."""
    if kind == "claim page":
        return [f"/{DATABASE_NAME}/claims/{claim_id}" for claim_id in items]
    if kind == "deep page":
        return None
    return [search_path(params) for params in items]
