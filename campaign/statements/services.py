"""Drafting and revising statements: every save is a new numbered version."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import load_only, selectinload

from campaign import clock
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.campaigns.models import Campaign
from campaign.extensions import db
from campaign.pagination import Page, paginate
from campaign.rowcount import rowcount
from campaign.statements.content import FIELD_LIMITS, LABELS, Content
from campaign.statements.merging import Merge, three_way
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


class MergeNeeded(Exception):
    """Both saves changed the same paragraph or field: a person has to choose.

    `base_number` is the version both started from, `theirs_number` the head the merge was
    made against; the conflict page sends both back so the same merge can be rebuilt.
    """

    def __init__(self, statement: Statement, merge: Merge, base_number: int, theirs: int) -> None:
        super().__init__(f"{len(merge.conflicts)} conflicts on statement {statement.id}")
        self.statement, self.merge = statement, merge
        self.base_number, self.theirs_number = base_number, theirs


@dataclass(frozen=True)
class SaveOutcome:
    """What a save did: `version` is None when there was nothing new to store."""

    version: StatementVersion | None
    head_number: int
    merge: Merge | None = None
    merged_with: int | None = None


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
    for name, most in FIELD_LIMITS.items():
        if len(getattr(content, name)) > most:
            raise StatementError(f"{LABELS[name]} is longer than {most:,} characters.")
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
    if rowcount(advanced) != 1:
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


def save_or_merge(
    statement: Statement,
    base_number: int,
    mine: Content,
    author: User | None,
    note: str = "",
    attempts: int = 3,
) -> SaveOutcome:
    """Save `mine`, edited from `base_number`, merging in any saves made since.

    Unchanged content stores nothing. Changes that do not overlap merge three-way from the
    common base; overlapping ones raise MergeNeeded for the conflict page. A save that races
    with yet another one is merged again against the new head, a bounded number of times.
    """
    check_content(mine)
    for _ in range(attempts):
        head_number = statement.head_number
        try:
            if base_number == head_number:
                return _save_unless_unchanged(statement, mine, author, note)
            return _save_merged(statement, base_number, mine, author, note)
        except EditConflict:
            continue
    raise EditConflict(statement, base_number)


def _save_unless_unchanged(
    statement: Statement, content: Content, author: User | None, note: str, **extra: Any
) -> SaveOutcome:
    head_number = statement.head_number
    if content == Content.of(statement.head):
        return SaveOutcome(None, head_number, **extra)
    version = save_version(statement, head_number, content, author, note)
    return SaveOutcome(version, version.number, **extra)


def _save_merged(
    statement: Statement, base_number: int, mine: Content, author: User | None, note: str
) -> SaveOutcome:
    head_number = statement.head_number
    base = Content.of(get_version(statement, base_number))
    merge = three_way(base, Content.of(statement.head), mine)
    if merge.conflicts:
        raise MergeNeeded(statement, merge, base_number, head_number)
    note = note or f"Merged with version {head_number}"
    return _save_unless_unchanged(
        statement, merge.content(), author, note, merge=merge, merged_with=head_number
    )


def resolve_merge(
    statement: Statement,
    base_number: int,
    theirs_number: int,
    mine: Content,
    resolutions: dict[int, Any],
    author: User | None,
    note: str = "",
) -> SaveOutcome:
    """Save the result of a conflict page: the merge rebuilt and the person's choices applied.

    If someone saved again while the page was open, the resolved text is merged against
    that newer version in turn, so their change is not lost either.
    """
    merge = rebuild_merge(statement, base_number, theirs_number, mine)
    missing = [c.label for c in merge.conflicts if c.index not in resolutions]
    if missing:
        raise StatementError(f"Choose a result for every conflict ({', '.join(missing)}).")
    resolved = merge.content(resolutions)
    return save_or_merge(statement, theirs_number, resolved, author, note or "Merged by hand")


def rebuild_merge(
    statement: Statement, base_number: int, theirs_number: int, mine: Content
) -> Merge:
    """The same three-way merge the conflict page showed (versions never change)."""
    base = Content.of(get_version(statement, base_number))
    return three_way(base, Content.of(get_version(statement, theirs_number)), mine)


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


def version_history(statement: Statement, page: int = 1) -> Page[StatementVersion]:
    """One page of versions, newest first, without their bodies (a history can hold hundreds).

    The (statement, number) unique index serves both the count and the page.
    """
    return paginate(
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
        page,
        HISTORY_PAGE_SIZE,
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
