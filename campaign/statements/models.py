"""Statements and their immutable, numbered versions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from campaign import clock
from campaign.auth.models import User
from campaign.campaigns.models import Campaign
from campaign.dbtypes import UTCDateTime, enum_column, not_negative
from campaign.enums import LabeledEnum
from campaign.extensions import Model, db


class Kind(LabeledEnum):
    COALITION_LETTER = "coalition_letter"
    PRESS_RELEASE = "press_release"
    STATEMENT = "statement"


class Status(LabeledEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    PUBLISHED = "published"
    RETRACTED = "retracted"


class ReleaseType(LabeledEnum):
    IMMEDIATE = "immediate"
    EMBARGOED = "embargoed"


class Statement(Model):
    """The identity of a statement; its words live in `StatementVersion` rows.

    `head_number` is the number of the newest version and doubles as the optimistic lock: a
    save succeeds only if it started from the current head (see services.save_version).
    `published_version_id` is what the public sees, which may be older than the head while a
    revision of a published statement goes through review.
    """

    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    kind: Mapped[Kind] = mapped_column(enum_column(Kind))
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.DRAFT)
    head_number: Mapped[int] = mapped_column(default=0)
    published_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("statement_versions.id", use_alter=True)
    )
    # The version number last approved: the four-eyes rule looks at whose words changed since.
    approved_number: Mapped[int | None]
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retracted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    campaign: Mapped[Campaign] = relationship(back_populates="statements")
    published_version: Mapped[StatementVersion | None] = relationship(
        foreign_keys=[published_version_id], post_update=True
    )

    @property
    def head(self) -> StatementVersion:
        """The newest version (one indexed query)."""
        return db.session.scalars(
            select(StatementVersion).filter_by(statement_id=self.id, number=self.head_number)
        ).one()


class StatementVersion(Model):
    """One saved state of a statement. Never updated: a restore or an edit adds a new row."""

    __tablename__ = "statement_versions"
    __table_args__ = (UniqueConstraint("statement_id", "number"), *not_negative("word_count"))

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"))
    number: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    note: Mapped[str] = mapped_column(String(500), default="")
    restored_from: Mapped[int | None]
    word_count: Mapped[int] = mapped_column(default=0)

    title: Mapped[str] = mapped_column(String(300))
    subtitle: Mapped[str] = mapped_column(String(500), default="")
    addressee: Mapped[str] = mapped_column(String(500), default="")
    body: Mapped[str] = mapped_column(Text, default="", deferred=True)
    closing: Mapped[str] = mapped_column(Text, default="")
    release_type: Mapped[ReleaseType] = mapped_column(
        enum_column(ReleaseType), default=ReleaseType.IMMEDIATE
    )
    embargo_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    embargo_timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    release_date: Mapped[date | None] = mapped_column(Date)
    dateline: Mapped[str] = mapped_column(String(120), default="")
    media_contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    boilerplate: Mapped[str] = mapped_column(Text, default="")

    statement: Mapped[Statement] = relationship(foreign_keys=[statement_id])
    author: Mapped[User | None] = relationship()


class ImmutableVersionError(RuntimeError):
    """Raised when code tries to change a stored version instead of adding one."""


@event.listens_for(Session, "before_flush")
def _refuse_version_updates(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in session.dirty:
        if isinstance(obj, StatementVersion) and session.is_modified(obj):
            raise ImmutableVersionError(
                f"version {obj.number} of statement {obj.statement_id} is immutable"
            )
