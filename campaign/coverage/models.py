"""Coverage: articles about a campaign, the passages they quote, the feeds that find them,
and the dated notes staff keep on a journalist."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from campaign import clock
from campaign.campaigns.models import Campaign
from campaign.contacts.models import Contact
from campaign.dbtypes import UTCDateTime, enum_column
from campaign.distribution.models import Distribution
from campaign.enums import LabeledEnum
from campaign.extensions import Model
from campaign.statements.models import StatementVersion


class CoverageStatus(LabeledEnum):
    """`fetching`: a worker is reading the page; `candidate`: waiting for staff to confirm."""

    FETCHING = "fetching"
    CANDIDATE = "candidate"
    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    FAILED = "failed"


class CoverageSource(LabeledEnum):
    URL = "url"
    MANUAL = "manual"
    CSV = "csv"
    FEED = "feed"


class CoverageFeed(Model):
    """An RSS or Atom feed polled for a campaign; `etag` and `last_modified` make the poll
    conditional, so an unchanged feed costs one short answer."""

    __tablename__ = "coverage_feeds"
    __table_args__ = (UniqueConstraint("campaign_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    url: Mapped[str] = mapped_column(String(2000))
    title: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(default=True)
    etag: Mapped[str] = mapped_column(String(300), default="")
    last_modified: Mapped[str] = mapped_column(String(100), default="")
    last_polled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_result: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    campaign: Mapped[Campaign] = relationship()


class FeedEntrySeen(Model):
    """An entry already read from a feed, so a changed feed fetches only its new articles."""

    __tablename__ = "coverage_feed_entries"
    __table_args__ = (UniqueConstraint("feed_id", "entry_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("coverage_feeds.id", ondelete="CASCADE"))
    entry_key: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class CoverageItem(Model):
    """One article (or broadcast, or post) about a campaign.

    `contact_id` and `distribution_id` record who most likely brought it: the journalist
    matched by author and outlet, and the distribution that sent them the version quoted.
    `named_orgs` lists the signatory organizations the text names.
    """

    __tablename__ = "coverage_items"
    __table_args__ = (UniqueConstraint("campaign_id", "url"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"))
    url: Mapped[str] = mapped_column(String(2000))
    outlet: Mapped[str] = mapped_column(String(200), default="")
    headline: Mapped[str] = mapped_column(String(500), default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    published_on: Mapped[date | None] = mapped_column(Date)
    excerpt: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="")
    region: Mapped[str] = mapped_column(String(120), default="")
    text: Mapped[str] = deferred(mapped_column(Text, default=""))
    status: Mapped[CoverageStatus] = mapped_column(
        enum_column(CoverageStatus), default=CoverageStatus.CANDIDATE, index=True
    )
    source: Mapped[CoverageSource] = mapped_column(
        enum_column(CoverageSource), default=CoverageSource.MANUAL
    )
    error: Mapped[str] = mapped_column(String(500), default="")
    names_statement: Mapped[bool] = mapped_column(default=False)
    named_orgs: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_public: Mapped[bool] = mapped_column(default=False)
    feed_id: Mapped[int | None] = mapped_column(
        ForeignKey("coverage_feeds.id", ondelete="SET NULL")
    )
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )
    distribution_id: Mapped[int | None] = mapped_column(
        ForeignKey("distributions.id", ondelete="SET NULL")
    )
    attribution: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    campaign: Mapped[Campaign] = relationship()
    contact: Mapped[Contact | None] = relationship()
    distribution: Mapped[Distribution | None] = relationship()
    matches: Mapped[list[CoverageMatch]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="CoverageMatch.start"
    )

    @property
    def version_numbers(self) -> list[int]:
        return sorted({m.version.number for m in self.matches})


class CoverageMatch(Model):
    """A passage of an article found in a published version.

    `start`/`end` are character offsets in the article's text, `version_passage` the words as
    the version has them. `superseded`: the passage is not in the version published now.
    `changed`: the article altered words inside the quotation.
    """

    __tablename__ = "coverage_matches"
    # A match is a non-empty span of the article (highlighting slices the text by it).
    __table_args__ = (CheckConstraint('start >= 0 AND "end" > start', name="span"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("coverage_items.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(ForeignKey("statement_versions.id"))
    start: Mapped[int]
    end: Mapped[int]
    passage: Mapped[str] = mapped_column(Text)
    version_passage: Mapped[str] = mapped_column(Text)
    words: Mapped[int]
    superseded: Mapped[bool] = mapped_column(default=False)
    changed: Mapped[bool] = mapped_column(default=False)

    item: Mapped[CoverageItem] = relationship(back_populates="matches")
    version: Mapped[StatementVersion] = relationship()

    def as_dict(self) -> dict[str, Any]:
        return {"passage": self.passage, "version": self.version.number, "words": self.words}


class ContactNote(Model):
    """A dated note on a journalist ("called, will run Friday"), shown on their timeline."""

    __tablename__ = "contact_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(
        ForeignKey("contacts.id", ondelete="CASCADE"), index=True
    )
    noted_on: Mapped[date]
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
