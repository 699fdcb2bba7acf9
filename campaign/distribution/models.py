"""Distributions, their recipients, the PDFs they sent, rate buckets."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from campaign import clock
from campaign.auth.models import User
from campaign.dbtypes import UTCDateTime, enum_column, not_negative
from campaign.distribution.schedule import Window, parse_days
from campaign.enums import LabeledEnum
from campaign.extensions import Model
from campaign.statements.models import Statement, StatementVersion


class DistributionStatus(LabeledEnum):
    """listmonk's model: pausing or cancelling is only a status change, seen at each batch."""

    SCHEDULED = "scheduled"
    SENDING = "sending"
    PAUSED = "paused"
    CANCELLED = "cancelled"
    FINISHED = "finished"


ACTIVE = frozenset({DistributionStatus.SCHEDULED, DistributionStatus.SENDING})


class RecipientStatus(LabeledEnum):
    """`unconfirmed` (shown as "possibly delivered"): the message's last line went to the
    server and no answer came back; it may have arrived, so it is never sent again unless
    staff choose to (see services.resend_possibly_delivered)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    UNCONFIRMED = "unconfirmed"
    # A delivery-status notification or a complaint came back after the message was sent.
    BOUNCED = "bounced"

    @property
    def label(self) -> str:
        return "Possibly delivered" if self is RecipientStatus.UNCONFIRMED else super().label


class GreetingStyle(LabeledEnum):
    FULL_NAME = "full_name"
    FIRST_NAME = "first_name"
    NONE = "none"


class SendMode(LabeledEnum):
    NOW = "now"
    CHOSEN_TIME = "chosen_time"
    EMBARGO_LIFT = "embargo_lift"


class SentDocument(Model):
    """A PDF exactly as attached, stored once per content hash and shared by distributions."""

    __tablename__ = "distribution_documents"
    __table_args__ = not_negative("size")

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class Distribution(Model):
    """One approved or published statement version sent to the contacts of some lists."""

    __tablename__ = "distributions"
    __table_args__ = not_negative(
        "rate_per_minute", "connection_failures", "failures_in_row", "retry_rounds"
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("statement_versions.id"))
    document_id: Mapped[int] = mapped_column(ForeignKey("distribution_documents.id"))
    subject: Mapped[str] = mapped_column(String(300))
    # What the press officer adds to the email: a pitch above the release, the display name
    # of the From header (the address is always the organization's) and the greeting.
    pitch: Mapped[str] = mapped_column(Text, default="")
    sender_name: Mapped[str] = mapped_column(String(200), default="")
    greeting_style: Mapped[GreetingStyle] = mapped_column(
        enum_column(GreetingStyle), default=GreetingStyle.FULL_NAME
    )
    reply_to: Mapped[str] = mapped_column(String(254), default="")
    lists: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    send_mode: Mapped[SendMode] = mapped_column(enum_column(SendMode), default=SendMode.NOW)
    send_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rate_per_minute: Mapped[int | None]
    window_days: Mapped[str] = mapped_column(String(7), default="")
    window_start: Mapped[time | None] = mapped_column(Time)
    window_end: Mapped[time | None] = mapped_column(Time)
    window_timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    status: Mapped[DistributionStatus] = mapped_column(
        enum_column(DistributionStatus), default=DistributionStatus.SCHEDULED, index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bookkeeping for the engine and the sweep (see engine.py).
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    check_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hold_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hold_reason: Mapped[str] = mapped_column(String(500), default="")
    connection_failures: Mapped[int] = mapped_column(default=0)
    held_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why the engine paused it by itself (relay refusal, error threshold); "" when staff did.
    pause_reason: Mapped[str] = mapped_column(String(500), default="")
    failures_in_row: Mapped[int] = mapped_column(default=0)
    retry_rounds: Mapped[int] = mapped_column(default=0)

    statement: Mapped[Statement] = relationship()
    version: Mapped[StatementVersion] = relationship()
    document: Mapped[SentDocument] = relationship()
    created_by: Mapped[User | None] = relationship()

    @property
    def window(self) -> Window | None:
        """The weekly sending window, or None when sending may happen at any hour."""
        days = parse_days(self.window_days)
        if not days or self.window_start is None or self.window_end is None:
            return None
        return Window(days, self.window_start, self.window_end, self.window_timezone)


class Recipient(Model):
    """One contact of one distribution; its status column is the exactly-once guard.

    `claim` names the worker batch that owns a `sending` row; `handed_at` is committed just
    before the message's final "." goes to the server (see delivery.py and engine.py).
    `email` and `name` are copied so the report survives edits or deletion of the contact.
    """

    __tablename__ = "distribution_recipients"
    __table_args__ = (
        UniqueConstraint("distribution_id", "contact_id"),
        Index("ix_distribution_recipients_progress", "distribution_id", "status"),
        *not_negative("attempts", "retried"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    distribution_id: Mapped[int] = mapped_column(ForeignKey("distributions.id", ondelete="CASCADE"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[RecipientStatus] = mapped_column(
        enum_column(RecipientStatus), default=RecipientStatus.QUEUED
    )
    reason: Mapped[str] = mapped_column(String(500), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    retried: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RateBucket(Model):
    """The next free send slot (microseconds since the epoch) of one rate limit."""

    __tablename__ = "send_rate_buckets"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_slot_us: Mapped[int] = mapped_column(BigInteger, default=0)
