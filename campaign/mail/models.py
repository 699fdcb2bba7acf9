"""A single queued email (confirmations, reconfirmations, review invitations, deliveries)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign import clock
from campaign.dbtypes import UTCDateTime, enum_column, not_negative
from campaign.extensions import Model


class MailStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    UNCONFIRMED = "unconfirmed"  # the last line left, no answer came: possibly delivered


class OutgoingMail(Model):
    """Written in the same transaction as the change that causes it, sent later by a worker.

    Sent like a distribution's recipients (see distribution/claims.py): a worker claims the
    row with a token, commits `handed_at` just before the final "." and records the answer;
    a transient failure waits until `next_attempt_at`; the sweep enqueues only due rows.
    """

    __tablename__ = "outgoing_mail"
    __table_args__ = not_negative("attempts")

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(64), index=True)
    to_address: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str] = mapped_column(Text, default="")
    reply_to: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[MailStatus] = mapped_column(
        enum_column(MailStatus, length=12), default=MailStatus.QUEUED, index=True
    )
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attachments: Mapped[list[MailAttachment]] = relationship(
        cascade="all, delete-orphan", order_by="MailAttachment.id"
    )


class MailAttachment(Model):
    """A file sent with a queued message, stored with it so a worker needs nothing else."""

    __tablename__ = "mail_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(
        ForeignKey("outgoing_mail.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)

    def as_tuple(self) -> tuple[str, str, bytes]:
        return self.filename, self.mime_type, self.content
