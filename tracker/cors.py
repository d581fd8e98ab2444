"""Other sites may read the open data: the API, its document, the exports and the feeds.

A newsroom's own tool in the browser, on another origin, could not use the API: no response
said other origins were welcome. Every origin is ("*"), which never lets a browser send our
cookies along: a signed-in person's session stays ours (and the API's writes take only a
token, never a session), so nothing private is opened. Desk and sign-in pages say nothing,
and browsers keep other sites from reading them.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

OPEN_PREFIXES = ("/api/", "/exports/", "/feeds/")
OPEN_PATHS = frozenset({"/claimreview.json"})
# Headers a script may send (a token, a JSON body, a conditional read) and may read back.
ALLOWED_HEADERS = "Authorization, Content-Type, If-None-Match, If-Modified-Since"
EXPOSED_HEADERS = (
    "Location, ETag, Last-Modified, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, "
    "X-RateLimit-Reset"
)


def is_open(path: str) -> bool:
    return path.startswith(OPEN_PREFIXES) or path in OPEN_PATHS


def add_cors_headers(response: Response) -> Response:
    if not is_open(request.path):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if request.method == "OPTIONS":  # a preflight: what the real request may be
        allowed = response.headers.get("Allow", "GET, HEAD, OPTIONS")
        response.headers["Access-Control-Allow-Methods"] = allowed
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = "600"
    return response


def init_app(app: Flask) -> None:
    app.after_request(add_cors_headers)
