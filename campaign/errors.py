"""Error pages: HTML for people, JSON for API and fetch() callers."""

from __future__ import annotations

import logging
from typing import NoReturn

from flask import Flask, abort, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException

from campaign.extensions import db

log = logging.getLogger(__name__)
DATABASE_DOWN = (
    "The database cannot be reached right now, so nothing was saved. Please try again in a "
    "minute; if you were signing, your signature was not stored yet."
)

INCOMPLETE_FORM = "The form was incomplete; reload the page and try again."
MACHINE_PATHS = ("/api/", "/webhooks/")


def bad_request(reason: str = INCOMPLETE_FORM) -> NoReturn:
    """Answer 400 with `reason`, as every other error: a page for people, JSON for callers
    that send or want JSON (see `handle_http_error`)."""
    abort(400, description=reason)


def _wants_json() -> bool:
    return request.path.startswith(MACHINE_PATHS) or (
        request.accept_mimetypes.best == "application/json" or request.is_json
    )


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    if _wants_json():
        return jsonify(error=error.name, message=error.description), code
    return render_template("error.html", error=error), code


def handle_database_down(error: DBAPIError) -> ResponseReturnValue:
    """A lost database connection answers 503 with Retry-After, never a raw 500.

    Only connection-level failures (OperationalError, InterfaceError, or a connection the
    driver flagged as invalidated) land here; other database errors stay bugs.
    """
    log.warning("database unavailable: %s", error)
    try:
        db.session.rollback()
    except DBAPIError:
        db.session.close()
    retry = str(current_app.config["DATABASE_RETRY_AFTER"])
    headers = {"Retry-After": retry}
    if _wants_json():
        return jsonify(error="Service Unavailable", message=DATABASE_DOWN), 503, headers
    page = render_template("unavailable.html", message=DATABASE_DOWN, retry_after=retry)
    return page, 503, headers


def register_error_handlers(app: Flask) -> None:
    """Route every HTTP error through one handler so messages look the same everywhere."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(OperationalError, handle_database_down)
    app.register_error_handler(InterfaceError, handle_database_down)
