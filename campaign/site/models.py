"""One row holding the organization profile that admins edit in the web UI."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from campaign import clock
from campaign.dbtypes import UTCDateTime
from campaign.extensions import Model

PROFILE_ID = 1


class SiteProfile(Model):
    """The single profile row (id 1); a NULL column means "use the configured default"."""

    __tablename__ = "site_profile"
    __table_args__ = (CheckConstraint(f"id = {PROFILE_ID}", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=PROFILE_ID)
    name: Mapped[str | None] = mapped_column(String(200))
    postal_address: Mapped[str | None] = mapped_column(Text)
    boilerplate: Mapped[str | None] = mapped_column(Text)
    accent_colour: Mapped[str | None] = mapped_column(String(7))
    sender_name: Mapped[str | None] = mapped_column(String(200))
    sender_address: Mapped[str | None] = mapped_column(String(254))
    public_base_url: Mapped[str | None] = mapped_column(String(500))
    media_contacts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_mime_type: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
