"""The suppression list's table: addresses no mail but the addressee's own request may reach."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign import clock
from campaign.dbtypes import UTCDateTime, enum_column
from campaign.enums import LabeledEnum
from campaign.extensions import Model


class SuppressionSource(LabeledEnum):
    SMTP = "smtp"
    BOUNCE = "bounce"
    COMPLAINT = "complaint"
    MANUAL = "manual"
    IMPORT = "import"


class Suppression(Model):
    """An address that bounced permanently or complained; every later distribution skips it
    until lifted. `recipient_id` links to the message that bounced, when there was one."""

    __tablename__ = "suppressed_addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    reason: Mapped[str] = mapped_column(String(500), default="")
    distribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("distributions.id", ondelete="SET NULL")
    )
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("distribution_recipients.id", ondelete="SET NULL")
    )
    source: Mapped[SuppressionSource] = mapped_column(
        enum_column(SuppressionSource), default=SuppressionSource.SMTP
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
