"""The public page of a published statement."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from campaign.extensions import db
from campaign.statements.models import Statement
from press.markdown import render_markdown

bp = Blueprint("public", __name__, url_prefix="/s")


def published_statement(slug: str) -> Statement:
    """The statement at `slug` if the public may see it (published or retracted), else 404."""
    statement = db.session.scalar(select(Statement).where(Statement.slug == slug))
    if statement is None or (statement.published_version is None and not statement.retracted_at):
        abort(404)
    return statement


@bp.get("/<slug>")
def statement(slug: str) -> str:
    shown = published_statement(slug)
    version = shown.published_version
    return render_template(
        "public/statement.html",
        statement=shown,
        version=version,
        html=render_markdown(version.body) if version else "",
    )
