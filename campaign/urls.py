"""Absolute links for emails and PDFs, built the same in a request, a CLI command or a worker."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for


def external_url(endpoint: str, **values: Any) -> str:
    """`url_for(endpoint)` on PUBLIC_BASE_URL, which is where recipients reach the site."""
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    with current_app.test_request_context("/", base_url=base):
        return url_for(endpoint, _external=True, **values)
