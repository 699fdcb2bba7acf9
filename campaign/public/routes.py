"""The public page of a published statement, its PDF, and the holding page before a lift."""

from __future__ import annotations

import io

from flask import Blueprint, Response, abort, render_template, send_file
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from campaign.embargo.services import available_at, public_version
from campaign.extensions import db
from campaign.statements.models import Statement, StatementVersion
from press.markdown import render_markdown

bp = Blueprint("public", __name__, url_prefix="/s")
NOINDEX = "noindex, nofollow"


def _statement(slug: str) -> Statement:
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
    statement = _statement(slug)
    if public_version(statement) is None and not statement.retracted_at:
        abort(404)
    return statement


def holding_page(statement: Statement) -> ResponseReturnValue:
    """What an embargoed release's URL shows before the lift: when, and nothing of the text."""
    when, zone = available_at(statement) or abort(404)
    response = Response(render_template("newsroom/holding.html", when=when, zone=zone))
    response.headers["X-Robots-Tag"] = NOINDEX
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<slug>")
def statement(slug: str) -> ResponseReturnValue:
    shown = _statement(slug)
    version = public_version(shown)
    if version is None and not shown.retracted_at:
        return holding_page(shown)
    return render_template(
        "public/statement.html",
        statement=shown,
        version=version,
        html=render_markdown(version.body) if version else "",
    )


def public_or_404(slug: str) -> StatementVersion:
    """The version at `slug` the public may read now, else 404."""
    version = public_version(_statement(slug))
    if version is None:
        abort(404)
    return version


@bp.get("/<slug>/pdf")
def pdf(slug: str) -> Response:
    """The public text as a PDF, without any staff marking; 404 until it is public."""
    from campaign.pdfs.services import pdf_for_version

    version = public_or_404(slug)
    rendered = pdf_for_version(version.id)
    return send_file(
        io.BytesIO(rendered.data),
        mimetype="application/pdf",
        download_name=rendered.filename,
        etag=rendered.sha256,
        max_age=300,
    )
