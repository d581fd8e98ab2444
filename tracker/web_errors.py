"""Error pages for people and the one JSON error shape for the API."""

from __future__ import annotations

import contextlib

from flask import Flask, jsonify, make_response, render_template, request
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable
from werkzeug.wrappers import Response

from tracker.errors import DomainError
from tracker.extensions import db

#: Read by programs: their errors come in the API's JSON shape, not as a page.
MACHINE_PATHS = ("/api/", "/exports/", "/feeds/", "/claimreview.json")


def wants_json() -> bool:
    return request.path.startswith(MACHINE_PATHS)


def error_response(status: int, title: str, message: str) -> tuple[Response | str, int]:
    if wants_json():
        return jsonify(error=title, message=message), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _rollback() -> None:
    # The connection itself may be gone; the error page must still render.
    with contextlib.suppress(Exception):
        db.session.rollback()


# Pages for people say what happened in plain words; the API keeps its documented titles.
PAGE_TITLES = {403: "Not allowed", 404: "Not found"}
PAGE_MESSAGES = {
    403: "Your account may not open this page. Sign in with an account that may, or ask an "
    "administrator.",
    404: "There is nothing at this address. Check the link, or search the published record.",
}


def handle_http(exc: HTTPException) -> tuple[Response, int] | HTTPException:
    if exc.code is None or exc.code < 400:
        return exc
    message = exc.description or exc.name
    if exc.code == 429:
        # Flask-Limiter's description is the bare limit ("30 per 1 minute").
        message = (
            f"Too many requests: the limit is {message}. Wait a little and try again (the "
            "Retry-After header says how many seconds)."
        )
    if not wants_json() and exc.description == type(exc).description:
        # werkzeug's own wording ("It is either read-protected or not readable by the
        # server") is written for developers.
        message = PAGE_MESSAGES.get(exc.code, message)
    body, status = error_response(exc.code, exc.name, message)
    response = make_response(body, status)
    allowed = dict(exc.get_headers()).get("Allow")
    if allowed:  # a 405 says which methods there are
        response.headers["Allow"] = allowed
    return response, status


def handle_domain(exc: DomainError) -> tuple[Response | str, int]:
    title = "Request refused" if wants_json() else PAGE_TITLES.get(exc.status, "Request refused")
    return error_response(exc.status, title, exc.message)


def is_connection_problem(exc: DBAPIError) -> bool:
    """Whether the database could not be reached, as opposed to refusing what was sent.

    OperationalError is the DB-API's class for connection failures (and, on SQLite, an
    unreadable or locked file); InterfaceError for a broken client connection.
    """
    return (
        isinstance(exc, OperationalError | InterfaceError)
        or exc.connection_invalidated
        or isinstance(exc.orig, OSError)
    )


def handle_database_error(exc: DBAPIError) -> tuple[Response | str, int]:
    if not is_connection_problem(exc) and not isinstance(exc, DataError | IntegrityError):
        # A query the database cannot run (a missing table, a bad statement) is our bug.
        return handle_unexpected(exc)
    _rollback()
    if is_connection_problem(exc):
        error = ServiceUnavailable()
        return error_response(
            503,
            error.name,
            "The database cannot be reached right now. Please try again in a moment.",
        )
    # The database refused a value the checks before it let through: that is our bug to
    # fix (logged), but the person is told it was their input, and nothing was saved.
    from flask import current_app

    current_app.logger.error(
        "database refused the data of %s %s: %s", request.method, request.path, exc.orig
    )
    return error_response(
        400,
        "Request refused",
        "The database refused a value in this request, so nothing was saved. Go back, "
        "check for unusual characters or very large numbers, and try again.",
    )


def handle_unexpected(exc: Exception) -> tuple[Response | str, int]:
    _rollback()
    from flask import current_app

    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    error = InternalServerError()
    return error_response(500, error.name, "Something went wrong on our side. It has been logged.")


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(DomainError, handle_domain)
    app.register_error_handler(DBAPIError, handle_database_error)
    if not app.config["TESTING"]:
        app.register_error_handler(Exception, handle_unexpected)
