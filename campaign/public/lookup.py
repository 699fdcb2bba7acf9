"""Finding a statement by its public address, for every public page (sign-on, badges, proofs).

Other features' public pages import these rather than `public.routes`, so they depend on the
lookup rule, not on the public page's views.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from campaign.embargo.services import public_version
from campaign.extensions import db
from campaign.statements.models import Statement, StatementVersion


def statement_by_slug(slug: str) -> Statement:
    """The statement at `slug`, published or not, else 404."""
    statement = db.session.scalar(
        select(Statement)  # with its published version, which every public page shows
        .where(Statement.slug == slug)
        .options(joinedload(Statement.published_version))
    )
    if statement is None:
        abort(404)
    return statement


def published_statement(slug: str) -> Statement:
    """The statement at `slug` if the public may see it (public text or retracted), else 404.

    "Public text" means `embargo.services.public_version`: a published version whose
    embargo has not lifted is not public, so sign-on and embed pages 404 until the lift.
    """
    statement = statement_by_slug(slug)
    if public_version(statement) is None and not statement.retracted_at:
        abort(404)
    return statement


def public_or_404(slug: str) -> StatementVersion:
    """The version at `slug` the public may read now, else 404."""
    version = public_version(statement_by_slug(slug))
    if version is None:
        abort(404)
    return version
