"""A warning in the log when links would point somewhere other than where the app is served.

Emails, PDFs and the embed snippet are built on the public base URL; served on another port
than that URL says, every such link is broken, and nobody notices until a signer clicks one.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, request
from sqlalchemy.exc import SQLAlchemyError

# Names of this machine that reach the same server: `make run` serves 127.0.0.1, and a
# browser opened at localhost (or the other way round) is not a mismatch.
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def same_address(configured: str, served: str) -> bool:
    """Whether two `host[:port]` strings name the same server, loopback names counting as one."""
    if configured == served:
        return True
    first, second = urlsplit(f"//{configured}"), urlsplit(f"//{served}")
    try:
        same_port = first.port == second.port
    except ValueError:  # a Host header with a port that is not a number
        return False
    return same_port and {first.hostname, second.hostname} <= LOOPBACK


def warn_on_mismatch(app: Flask) -> None:
    """Compare the first request's host with the public base URL, once per process."""
    checked = False

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
        if configured and not same_address(configured, request.host):
            app.logger.warning(
                "PUBLIC_BASE_URL points at %s but this app is served at %s: links in emails, "
                "PDFs and the embed snippet will not reach it.",
                configured,
                request.host,
            )

    # First of the app's before-request functions: a request that an earlier one answers
    # (a rate limit, a sign-in redirect) must not skip the check.
    app.before_request_funcs.setdefault(None, []).insert(0, _check_once)
