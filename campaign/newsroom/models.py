"""Which public items the newsroom features at the top of its first page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from campaign import clock
from campaign.dbtypes import UTCDateTime
from campaign.extensions import Model


class FeaturedItem(Model):
    """A statement the press office pinned to the newsroom; shown only while it is public."""

    __tablename__ = "newsroom_featured"

    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), primary_key=True)
    featured_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
