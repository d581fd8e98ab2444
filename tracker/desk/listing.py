"""Long desk lists (outlets, narratives) by pages of 50, with a search box.

An import of the EUvsDisinfo cases creates about 1,500 outlets and 400 narratives; on one
page the outlet list was 359 KB and a name could only be found with the browser's search.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import request
from sqlalchemy import ColumnElement, Select, func, select

from tracker.extensions import db
from tracker.services.validation import without_nul

PAGE_SIZE = 50


def page_number() -> int:
    """The page a desk list asks for (?page=N), 1 when it asks for none or nonsense."""
    raw = request.args.get("page", "1")
    return max(1, min(int(raw), 1000)) if raw.isdigit() else 1


@dataclass
class ListPage:
    rows: list[Any]
    page: int
    has_more: bool
    total: int
    q: str


def list_page(stmt: Select, search: Callable[[str], ColumnElement[bool]]) -> ListPage:
    """One page of STMT's rows; with ?q=, only those SEARCH(the lower-cased words) admits."""
    q = without_nul(request.args.get("q", "")).strip()[:200]
    if q:
        stmt = stmt.where(search(q.lower()))
    page = page_number()
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.execute(stmt.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return ListPage(list(rows[:PAGE_SIZE]), page, len(rows) > PAGE_SIZE, total or 0, q)
