"""Organizations shared by every statement, their names and contacts, and merges.

A signature belongs to one organization record; the record outlives any one letter, so the
fifth letter an organization signs finds the same row as the first. Merges never delete a
row: the absorbed organization points at its survivor, and the merge row remembers what
moved, so staff can undo it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from campaign import clock
from campaign.contacts.tags import decode_tags
from campaign.dbtypes import UTCDateTime, enum_column, not_negative
from campaign.enums import LabeledEnum
from campaign.extensions import Model
from campaign.signon.models import OrgType, Scope


class Organization(Model):
    """One organization as the coalition knows it, whatever letters it signed."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    normalized_name: Mapped[str] = mapped_column(String(200), index=True)
    website: Mapped[str] = mapped_column(String(300), default="")
    email_domain: Mapped[str] = mapped_column(String(254), default="", index=True)
    org_type: Mapped[OrgType] = mapped_column(enum_column(OrgType), default=OrgType.NONPROFIT)
    scope: Mapped[Scope] = mapped_column(enum_column(Scope), default=Scope.NATIONAL)
    city: Mapped[str] = mapped_column(String(120), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(120), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    tags_text: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    aliases: Mapped[list[OrgAlias]] = relationship(
        back_populates="organization", order_by="OrgAlias.name"
    )
    contacts: Mapped[list[OrgContact]] = relationship(
        back_populates="organization", order_by="OrgContact.name"
    )

    @property
    def tags(self) -> list[str]:
        return decode_tags(self.tags_text)

    @property
    def active(self) -> bool:
        return self.merged_into_id is None


class OrgAlias(Model):
    """Another name the organization is known by (often the name of a record merged into it)."""

    __tablename__ = "organization_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    normalized_name: Mapped[str] = mapped_column(String(200), index=True)

    organization: Mapped[Organization] = relationship(back_populates="aliases")


class OrgContact(Model):
    """A person at an organization; `may_sign` marks who can put its name on a letter."""

    __tablename__ = "organization_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    title: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    email_key: Mapped[str] = mapped_column(String(254), default="", index=True)
    may_sign: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    organization: Mapped[Organization] = relationship(back_populates="contacts")


class OrgMerge(Model):
    """One merge, with what it moved, so that undoing it puts every row back."""

    __tablename__ = "organization_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    merged_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    moved: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    survivor: Mapped[Organization] = relationship(foreign_keys=[survivor_id])
    merged: Mapped[Organization] = relationship(foreign_keys=[merged_id])


class InvitationStatus(LabeledEnum):
    """Where an invitation stands; "no answer" is derived (see `Invitation.answer_label`)."""

    INVITED = "invited"
    OPENED = "opened"
    SIGNED = "signed"
    DECLINED = "declined"


class Invitation(Model):
    """Staff asked one contact of one organization to sign one statement."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("statement_id", "email_key"),
        *not_negative("reminders_sent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("organization_contacts.id"))
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254))
    status: Mapped[InvitationStatus] = mapped_column(
        enum_column(InvitationStatus), default=InvitationStatus.INVITED, index=True
    )
    signature_id: Mapped[int | None] = mapped_column(ForeignKey("signatures.id"))
    reminders_sent: Mapped[int] = mapped_column(default=0)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    organization: Mapped[Organization] = relationship()

    @property
    def waiting(self) -> bool:
        """Neither signed nor declined: the ones reminders go to."""
        return self.status in (InvitationStatus.INVITED, InvitationStatus.OPENED)


class Partner(Model):
    """A co-sponsor of one statement, with its own referral code for the sign link."""

    __tablename__ = "statement_partners"
    __table_args__ = (UniqueConstraint("statement_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    name: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(40))
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_mime: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
