"""Media contacts and the lists (static or saved tag filters) used to address them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from campaign import clock
from campaign.contacts.tags import decode_tags, encode_tags
from campaign.dbtypes import UTCDateTime, enum_column
from campaign.enums import LabeledEnum
from campaign.extensions import Model, db
from campaign.phones import display_phone


class ListKind(LabeledEnum):
    STATIC = "static"
    FILTER = "filter"


list_members = Table(
    "contact_list_members",
    db.metadata,
    Column("list_id", ForeignKey("contact_lists.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_contact_list_members_contact", "contact_id"),
)


class Contact(Model):
    """A journalist or editor who may receive releases.

    `email_key` (the validated address in lower case) carries the uniqueness, so "Ana@X.org"
    and "ana@x.org" are one contact while `email` keeps the spelling the user gave.
    `phone` is E.164; templates show it in national format through `display_phone`.
    """

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    outlet: Mapped[str] = mapped_column(String(200), default="", index=True)
    beat: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    phone: Mapped[str] = mapped_column(String(32), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    tags_text: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    do_not_contact: Mapped[bool] = mapped_column(default=False)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now, onupdate=clock.now)

    lists: Mapped[list[ContactList]] = relationship(
        secondary=list_members, back_populates="members", order_by="ContactList.name"
    )

    @property
    def tags(self) -> list[str]:
        return decode_tags(self.tags_text)

    @tags.setter
    def tags(self, tags: list[str]) -> None:
        self.tags_text = encode_tags(tags)

    @property
    def phone_display(self) -> str:
        return display_phone(self.phone)

    @property
    def reachable(self) -> bool:
        """Mail may go to this contact: neither do-not-contact nor unsubscribed."""
        return not self.do_not_contact and self.unsubscribed_at is None


class ContactList(Model):
    """A static list (chosen members) or a saved filter (contacts carrying its tags)."""

    __tablename__ = "contact_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[ListKind] = mapped_column(enum_column(ListKind))
    filter_tags_text: Mapped[str] = mapped_column(Text, default="")
    filter_match_all: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    members: Mapped[list[Contact]] = relationship(
        secondary=list_members, back_populates="lists", order_by="Contact.name"
    )

    @property
    def filter_tags(self) -> list[str]:
        return decode_tags(self.filter_tags_text)

    @filter_tags.setter
    def filter_tags(self, tags: list[str]) -> None:
        self.filter_tags_text = encode_tags(tags)
