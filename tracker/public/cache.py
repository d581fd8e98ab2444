"""A small per-process cache for public aggregates (counts, charts, rankings).

Aggregates over the whole record (home counts, the outlets index, outlet and narrative
statistics, the Atom feed, a search's ranked candidates) cost a scan, so each worker keeps
them for up to `PUBLIC_CACHE_SECONDS` (default 60). Every change to the record leaves an
audit event in the same transaction (audit.py), so the newest audit event's id tells
whether anything changed since a value was computed: one primary-key look-up per request
instead of a minute in which a retracted claim is still counted under its old verdict.
Tests run with the cache off, so they see every change at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple, TypeVar

from flask import current_app, g
from sqlalchemy import func, select

from tracker.extensions import db
from tracker.models import AuditEvent

T = TypeVar("T")
MAX_ENTRIES = 2_000
_lock = threading.Lock()


class _Entry(NamedTuple):
    expires: float
    record_stamp: int
    value: Any


def record_stamp() -> int:
    """The id of the newest audit event (0 for none), read once per request."""
    if "public_record_stamp" not in g:
        newest = db.read_session.scalar(select(func.max(AuditEvent.id)))
        g.public_record_stamp = newest or 0
    stamp: int = g.public_record_stamp
    return stamp


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """COMPUTE's value for KEY, reused in this process until the record changes or
    PUBLIC_CACHE_SECONDS pass."""
    seconds = float(current_app.config.get("PUBLIC_CACHE_SECONDS", 60))
    if current_app.testing or seconds <= 0:
        return compute()
    store: dict[Hashable, _Entry] = current_app.extensions.setdefault("tracker.public_cache", {})
    now = time.monotonic()
    stamp = record_stamp()
    hit = store.get(key)
    if hit is not None and hit.expires > now and hit.record_stamp == stamp:
        return hit.value
    value = compute()
    with _lock:
        if len(store) >= MAX_ENTRIES:
            store.clear()
        store[key] = _Entry(now + seconds, stamp, value)
    return value
