"""Error pages: HTML for people, JSON for API and fetch() callers."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json" or request.is_json
    )


def handle_http_error(error: HTTPException) -> tuple[object, int]:
    code = error.code or 500
    if _wants_json():
        return jsonify(error=error.name, message=error.description), code
    return render_template("error.html", error=error), code


def register_error_handlers(app: Flask) -> None:
    """Route every HTTP error through one handler so messages look the same everywhere."""
    app.register_error_handler(HTTPException, handle_http_error)
