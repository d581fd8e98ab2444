"""The public site: published claims, search, outlets, narratives, feeds and exports.

The blueprint is loaded on first use of ``tracker.public.bp`` so that the library modules
here (visibility, filters, listing, details) can be imported without the views.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "bp":
        from tracker.public import check, feeds  # noqa: F401 - register their routes
        from tracker.public.views import bp

        return bp
    raise AttributeError(name)
