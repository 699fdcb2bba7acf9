"""A warning in the log when links would point somewhere other than where the app is served.

Emails, PDFs and the embed snippet are built on the public base URL; served on another port
than that URL says, every such link is broken, and nobody notices until a signer clicks one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request
from sqlalchemy.exc import SQLAlchemyError


def warn_on_mismatch(app: Flask) -> None:
    """Compare the first request's host with the public base URL, once per process."""
    checked = False

    @app.before_request
    def _check_once() -> None:
        nonlocal checked
        if checked:
            return
        checked = True
        from campaign.extensions import db
        from campaign.site.services import organization

        try:
            configured = urlsplit(organization().public_base_url).netloc
        except SQLAlchemyError:  # no tables yet (a fresh database): nothing to compare
            db.session.rollback()
            return
        if configured and configured != request.host:
            app.logger.warning(
                "PUBLIC_BASE_URL points at %s but this app is served at %s: links in emails, "
                "PDFs and the embed snippet will not reach it.",
                configured,
                request.host,
            )
