"""Scheduled publications and journalists' personal preview links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign import clock
from campaign.auth.models import User
from campaign.dbtypes import UTCDateTime, enum_column
from campaign.enums import LabeledEnum
from campaign.extensions import Model
from campaign.statements.models import Statement, StatementVersion


class PublicationMode(LabeledEnum):
    AT_LIFT = "at_lift"
    LIFTED_EARLY = "lifted_early"


class PublicationStatus(LabeledEnum):
    SCHEDULED = "scheduled"
    DONE = "done"
    CANCELLED = "cancelled"


class Publication(Model):
    """One decision to publish an embargoed version: at its lift (a row the beat sweep turns
    into a publication when `publish_at` has passed, so a restart or a worker that was down
    only delays it) or now, with the embargo lifted early for a recorded reason.

    The row names the approved version, so a draft saved after the decision never goes out
    in its place.
    """

    __tablename__ = "embargo_publications"
    __table_args__ = (Index("ix_embargo_publications_due", "status", "publish_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("statement_versions.id"), index=True)
    mode: Mapped[PublicationMode] = mapped_column(enum_column(PublicationMode))
    status: Mapped[PublicationStatus] = mapped_column(enum_column(PublicationStatus))
    publish_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(500), default="")
    signature_change: Mapped[str] = mapped_column(String(20), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    statement: Mapped[Statement] = relationship()
    version: Mapped[StatementVersion] = relationship()
    created_by: Mapped[User | None] = relationship()


class PreviewLink(Model):
    """A journalist's personal, revocable link to an embargoed version before its lift.

    Made when the distribution message to that recipient is composed; the token is random
    (not derived from anything guessable) and only its holder can read the text early.
    """

    __tablename__ = "embargo_preview_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("statement_versions.id"))
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("distribution_recipients.id", ondelete="SET NULL"), unique=True
    )
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    version: Mapped[StatementVersion] = relationship()


class PreviewOpen(Model):
    """One opening of a preview link (page or PDF): when, and through whose link."""

    __tablename__ = "embargo_preview_opens"

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(
        ForeignKey("embargo_preview_links.id", ondelete="CASCADE"), index=True
    )
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    what: Mapped[str] = mapped_column(String(10), default="page")
