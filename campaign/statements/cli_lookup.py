"""Finding the statement a shell command names, by id or by slug (what people copy from a URL)."""

from __future__ import annotations

import click
from sqlalchemy import select

from campaign.extensions import db
from campaign.statements.models import Statement


def statement_from_cli(reference: str) -> Statement:
    """The statement with id or slug `reference`; a ClickException (exit 1) if there is none."""
    query = select(Statement).where(
        Statement.id == int(reference) if reference.isdigit() else Statement.slug == reference
    )
    statement = db.session.scalar(query)
    if statement is None:
        raise click.ClickException(f"There is no statement with id or slug “{reference}”.")
    return statement
