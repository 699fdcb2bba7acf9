"""Absolute links for emails and PDFs, built the same in a request, a CLI command or a worker."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from campaign.site.services import organization


def external_url(endpoint: str, **values: Any) -> str:
    """`url_for(endpoint)` on the public base URL, which is where recipients reach the site."""
    base = organization().public_base_url
    with current_app.test_request_context("/", base_url=base):
        return url_for(endpoint, _external=True, **values)
