"""Targets of a coalition letter, and the record of each delivery to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from campaign import clock
from campaign.auth.models import User
from campaign.dbtypes import UTCDateTime, enum_column, not_negative
from campaign.enums import LabeledEnum
from campaign.extensions import Model
from campaign.mail.models import OutgoingMail
from campaign.statements.models import StatementVersion


class Target(Model):
    """Someone a coalition letter is addressed to; one address per letter."""

    __tablename__ = "delivery_targets"
    __table_args__ = (UniqueConstraint("statement_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"))
    name: Mapped[str] = mapped_column(String(120))
    office: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class DeliveryStatus(LabeledEnum):
    PREPARING = "preparing"
    SENDING = "sending"
    FAILED = "failed"


class DeliveryTrigger(LabeledEnum):
    MANUAL = "manual"
    DEADLINE = "deadline"

    @property
    def label(self) -> str:
        return "Sign-on deadline" if self is DeliveryTrigger.DEADLINE else "Staff (deliver now)"


class Delivery(Model):
    """One delivery of one version to every target, and exactly what was delivered.

    `sequence` numbers a letter's deliveries; the form that starts one names the next number,
    so a double click or two staff at once make one delivery (unique constraint). A delivery
    started by a sign-on deadline records that deadline, and (statement, deadline) is unique,
    so the periodic task can run any number of times. The signatory set, the hashes and the
    files are written in the same transaction that queues the emails.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("statement_id", "sequence"),
        UniqueConstraint("statement_id", "deadline_at"),
        *not_negative("signatory_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"))
    sequence: Mapped[int]
    version_id: Mapped[int] = mapped_column(ForeignKey("statement_versions.id"))
    trigger: Mapped[DeliveryTrigger] = mapped_column(enum_column(DeliveryTrigger))
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus), default=DeliveryStatus.PREPARING, index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    prepared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    error: Mapped[str] = mapped_column(String(500), default="")
    # "Deliver now" names the targets (None: every target, as the deadline delivery does)
    # and the cover message staff edited above the letter text.
    target_ids: Mapped[list[int] | None] = mapped_column(JSON)
    cover_message: Mapped[str] = mapped_column(Text, default="")
    signatory_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    signatory_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    signatory_count: Mapped[int] = mapped_column(default=0)
    pdf_filename: Mapped[str] = mapped_column(String(255), default="")
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")
    csv_sha256: Mapped[str] = mapped_column(String(64), default="")
    pdf_data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    csv_data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    version: Mapped[StatementVersion] = relationship()
    requested_by: Mapped[User | None] = relationship()
    recipients: Mapped[list[DeliveryRecipient]] = relationship(order_by="DeliveryRecipient.id")


class DeliveryRecipient(Model):
    """One target of one delivery, as addressed then; unique, so each gets one email."""

    __tablename__ = "delivery_recipients"
    __table_args__ = (UniqueConstraint("delivery_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id"))
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("delivery_targets.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(120))
    office: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))
    mail_id: Mapped[int] = mapped_column(ForeignKey("outgoing_mail.id"))

    mail: Mapped[OutgoingMail] = relationship()
