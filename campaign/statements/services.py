"""Drafting and revising statements: every save is a new numbered version."""

from __future__ import annotations

import re
import secrets
import unicodedata

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select, update
from sqlalchemy.orm import load_only, selectinload

from campaign import clock
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.statements.content import Content
from campaign.statements.models import Kind, Statement, StatementVersion, Status

HISTORY_PAGE_SIZE = 50
# The column's size; a title is also the PDF's running header on every page.
TITLE_MAX_CHARS = 300


class StatementError(ValueError):
    """A user-facing reason why a save was refused."""


class UnknownVersion(LookupError):
    """The requested version number does not exist for this statement."""


class EditConflict(Exception):
    """Another save landed after the one the editor started from.

    Carries both numbers so the conflict page can show what changed in between.
    """

    def __init__(self, statement: Statement, base_number: int) -> None:
        super().__init__(f"statement {statement.id} is at version {statement.head_number}")
        self.statement = statement
        self.base_number = base_number
        self.head_number = statement.head_number


def slugify(text: str) -> str:
    """A URL-safe slug; non-Latin titles still get a stable ASCII form."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80] or "statement"


def _unique_slug(title: str) -> str:
    base = slugify(title)
    taken = db.session.scalar(select(func.count()).where(Statement.slug == base))
    return base if not taken else f"{base}-{secrets.token_hex(3)}"


def check_content(content: Content) -> None:
    """Refuse content that cannot be saved, with a message the editor can act on."""
    if not content.title.strip():
        raise StatementError("A title is required.")
    if len(content.title) > TITLE_MAX_CHARS:  # the form says so too; CLI and demo go here
        raise StatementError(f"The title is longer than {TITLE_MAX_CHARS} characters.")
    limit = current_app.config["STATEMENT_BODY_MAX_CHARS"]
    if len(content.body) > limit:
        raise StatementError(
            f"The body has {len(content.body):,} characters; the limit is {limit:,}."
        )


def _add_version(
    statement: Statement, number: int, content: Content, author: User | None, **extra: object
) -> StatementVersion:
    version = StatementVersion(
        statement_id=statement.id,
        number=number,
        author_id=author.id if author else None,
        word_count=content.word_count,
        **content.column_values(),
        **extra,
    )
    db.session.add(version)
    return version


def create_statement(
    campaign: Campaign, kind: Kind, content: Content, author: User | None, note: str = ""
) -> Statement:
    """Create a statement in draft with its first version."""
    check_content(content)
    statement = Statement(
        campaign_id=campaign.id, kind=kind, slug=_unique_slug(content.title), head_number=1
    )
    db.session.add(statement)
    db.session.flush()
    _add_version(statement, 1, content, author, note=note or "First draft")
    record(author, "statement.created", statement, {"kind": kind.value, "title": content.title})
    db.session.commit()
    return statement


def save_version(
    statement: Statement,
    base_number: int,
    content: Content,
    author: User | None,
    note: str = "",
    restored_from: int | None = None,
) -> StatementVersion:
    """Store `content` as the next version, unless someone saved since `base_number`.

    The head number is advanced with a conditional UPDATE, so of two concurrent saves from
    the same base exactly one wins on SQLite and PostgreSQL alike; the loser gets an
    EditConflict and nothing it sent is stored. Saving sends the statement back to draft,
    because an approval covers only the words that were approved.
    """
    check_content(content)
    advanced = db.session.execute(
        update(Statement)
        .where(Statement.id == statement.id, Statement.head_number == base_number)
        .values(head_number=base_number + 1, status=Status.DRAFT, updated_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if advanced.rowcount != 1:
        db.session.rollback()
        db.session.refresh(statement)
        raise EditConflict(statement, base_number)
    version = _add_version(
        statement, base_number + 1, content, author, note=note, restored_from=restored_from
    )
    action = "statement.restored" if restored_from else "statement.revised"
    record(author, action, statement, {"version": base_number + 1, "restored_from": restored_from})
    db.session.commit()
    db.session.refresh(statement)
    return version


def restore_version(statement: Statement, number: int, author: User | None) -> StatementVersion:
    """Make an old version's text the newest version again (history is never rewritten)."""
    old = get_version(statement, number)
    return save_version(
        statement,
        statement.head_number,
        Content.of(old),
        author,
        note=f"Restored version {number}",
        restored_from=number,
    )


def get_version(statement: Statement, number: int) -> StatementVersion:
    """Version `number` of `statement`, or UnknownVersion."""
    version = db.session.scalar(
        select(StatementVersion).filter_by(statement_id=statement.id, number=number)
    )
    if version is None:
        raise UnknownVersion(f"Statement {statement.id} has no version {number}.")
    return version


def version_history(statement: Statement, page: int = 1) -> Pagination:
    """One page of versions, newest first, without their bodies (a history can hold hundreds).

    The (statement, number) unique index serves both the count and the page.
    """
    return db.paginate(
        select(StatementVersion)
        .options(
            load_only(
                StatementVersion.number,
                StatementVersion.author_id,
                StatementVersion.created_at,
                StatementVersion.note,
                StatementVersion.restored_from,
                StatementVersion.word_count,
                StatementVersion.title,
            ),
            selectinload(StatementVersion.author),
        )
        .where(StatementVersion.statement_id == statement.id)
        .order_by(StatementVersion.number.desc()),
        page=page,
        per_page=HISTORY_PAGE_SIZE,
        error_out=False,
    )


def statements_in(campaign: Campaign) -> list[Statement]:
    """A campaign's statements, newest first."""
    return list(
        db.session.scalars(
            select(Statement)
            .where(Statement.campaign_id == campaign.id)
            .order_by(Statement.id.desc())
        )
    )
