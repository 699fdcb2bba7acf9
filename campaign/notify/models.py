"""Per-user preferences (time zone, notification channels) and the in-app notification list."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign import clock
from campaign.dbtypes import UTCDateTime
from campaign.extensions import Model


class Preference(Model):
    """One user's own settings; a user without a row has the defaults (see events.DEFAULTS).

    Kept apart from `users` so that account administration and personal settings change
    independently.
    """

    __tablename__ = "user_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    channels: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Notification(Model):
    """One thing that happened, for one user; `read_at` is set when they open the list."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(String(600))
    link: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
