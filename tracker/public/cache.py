"""A small per-process cache for public aggregates (counts, charts, rankings).

Aggregates over the whole record (home counts, the outlets index, outlet and narrative
statistics, the Atom feed) cost a scan; they may be a minute old, so each worker keeps them
for `PUBLIC_CACHE_SECONDS` (default 60). Tests run with the cache off, so they see every
change at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

T = TypeVar("T")
MAX_ENTRIES = 2_000
_lock = threading.Lock()


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """COMPUTE's value for KEY, reused for PUBLIC_CACHE_SECONDS in this process."""
    seconds = float(current_app.config.get("PUBLIC_CACHE_SECONDS", 60))
    if current_app.testing or seconds <= 0:
        return compute()
    store: dict[Hashable, tuple[float, Any]] = current_app.extensions.setdefault(
        "tracker.public_cache", {}
    )
    now = time.monotonic()
    hit = store.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = compute()
    with _lock:
        if len(store) >= MAX_ENTRIES:
            store.clear()
        store[key] = (now + seconds, value)
    return value
