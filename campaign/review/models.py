"""Review links sent to coalition partners, the people invited, and the comments they leave."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign import clock
from campaign.auth.models import User
from campaign.dbtypes import UTCDateTime
from campaign.extensions import Model
from campaign.statements.models import StatementVersion


class ReviewLink(Model):
    """Access to one version for named partners, until it expires or staff revoke it.

    The link is about a version, not a statement: a later save does not change what the
    partners were asked to read, and their comments stay with those words.
    """

    __tablename__ = "review_links"
    # A link is valid from its creation until it expires, never the other way round.
    __table_args__ = (CheckConstraint("expires_at > created_at", name="valid_window"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("statement_versions.id"), index=True)
    message: Mapped[str] = mapped_column(String(1000), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    version: Mapped[StatementVersion] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    invitees: Mapped[list[ReviewInvitee]] = relationship(
        back_populates="link", order_by="ReviewInvitee.id"
    )

    def refusal(self) -> str | None:
        """Why the link no longer opens, or None while it is valid."""
        if self.revoked_at is not None:
            return "This review link was withdrawn by the campaign staff."
        if clock.now() >= self.expires_at:
            return f"This review link expired on {self.expires_at:%B %-d, %Y at %H:%M} UTC."
        return None


class ReviewInvitee(Model):
    """A named partner contact; each gets a personal token so comments carry their name."""

    __tablename__ = "review_invitees"
    __table_args__ = (UniqueConstraint("link_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("review_links.id"))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("outgoing_mail.id"))

    link: Mapped[ReviewLink] = relationship(back_populates="invitees")


class ReviewComment(Model):
    """A partner's comment on one paragraph (0 means the draft as a whole) of one version."""

    __tablename__ = "review_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("statement_versions.id"), index=True)
    link_id: Mapped[int] = mapped_column(ForeignKey("review_links.id"), index=True)
    invitee_id: Mapped[int] = mapped_column(ForeignKey("review_invitees.id"))
    paragraph: Mapped[int]
    excerpt: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    invitee: Mapped[ReviewInvitee] = relationship()
    resolved_by: Mapped[User | None] = relationship()
