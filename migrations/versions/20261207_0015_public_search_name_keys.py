"""search: rebuild the indexes with analyser 3 (name keys) and record it

Analyser 3 (tracker/search/translit.py) writes other name keys: the last vowel of a name is
folded, so Ukrainian and Russian spellings meet (Харків, Харькове and Kharkiv; Київ, Киев,
Kyiv and Kiev), and Николаев meets Миколаїв. Keys written by analyser 2 would no longer meet
the queries, so every document is indexed again, as revision 0012 did (the tables it reads
have not changed since), then the version is recorded.

Revision ID: 0015_public_search_name_keys
Revises: 0014_public_search_inline
Create Date: 2026-12-07 14:30:00
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

revision: str = "0015_public_search_name_keys"
down_revision: str | None = "0014_public_search_inline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANALYSER = 3


def _revision_0012() -> ModuleType:
    """Revision 0012's module, whose reading of the documents this one reuses (revision
    files are not importable by name)."""
    path = Path(__file__).with_name("20261204_0012_public_search_reindex.py")
    spec = importlib.util.spec_from_file_location("public_search_reindex_0012", path)
    if spec is None or spec.loader is None:
        raise RuntimeError(f"Cannot load {path}, which this revision needs.")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    _revision_0012().rebuild_indexes(ANALYSER)


def downgrade() -> None:
    # The keys written by analyser 3 stay: they are derived data, and a query of the older
    # code still finds the words. Record the older version, so upgrading rebuilds again.
    from alembic import op

    from tracker.search import record_analyser

    record_analyser(op.get_bind(), 2)
