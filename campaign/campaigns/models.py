"""A campaign groups the statements (and later lists and distributions) of one effort."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign import clock
from campaign.dbtypes import UTCDateTime
from campaign.extensions import Model

if TYPE_CHECKING:
    from campaign.statements.models import Statement


class Campaign(Model):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    statements: Mapped[list[Statement]] = relationship(
        back_populates="campaign", order_by="Statement.id"
    )
