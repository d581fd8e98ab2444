"""Absolute URLs the public site, feeds and API give out.

They name the site as the configured ``PUBLIC_BASE_URL`` says (TRACKER_PUBLIC_BASE_URL), not
as the request's Host header does: a canonical link, a ClaimReview url or an Atom id must
not change with whatever host a client (or an attacker's link) sent. Without the setting
they follow the request, which is what development on any port needs.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request, url_for


def absolute_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of ENDPOINT; a drop-in for ``url_for(..., _external=True)``."""
    values.pop("_external", None)
    base = current_app.config.get("PUBLIC_BASE_URL")
    if not base:
        return url_for(endpoint, _external=True, **values)
    path = url_for(endpoint, **values)
    # url_for includes the folder the app is mounted under; the base URL replaces it.
    root = request.script_root if has_request_context() else ""
    if root and path.startswith(root + "/"):
        path = path[len(root) :]
    return f"{base}{path}"
