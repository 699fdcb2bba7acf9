"""RSS and Atom feeds polled for coverage.

A poll is a conditional GET (If-None-Match / If-Modified-Since from the last answer), so an
unchanged feed costs one 304. Entries are remembered by a hash of their id or link; only new
ones are fetched, read and matched, and only those that quote a published version or name a
statement become candidates. The feed body goes through the safe fetcher: feedparser never
opens a URL itself.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from campaign import clock
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.campaigns.models import Campaign
from campaign.coverage import services
from campaign.coverage.extract import article_from
from campaign.coverage.index import campaign_index
from campaign.coverage.matching import VersionIndex
from campaign.coverage.models import (
    CoverageFeed,
    CoverageItem,
    CoverageSource,
    CoverageStatus,
    FeedEntrySeen,
)
from campaign.extensions import db
from campaign.jobs import enqueue
from campaign.netfetch import FetchError, FetchResult, fetch_with_app_limits

log = logging.getLogger(__name__)
POLL_TASK = "coverage.poll_feed"


@dataclass
class PollResult:
    modified: bool = False
    new_entries: int = 0
    candidates: int = 0
    failures: int = 0

    def text(self) -> str:
        if not self.modified:
            return "Not modified since the last poll."
        return (
            f"{self.new_entries} new entries, {self.candidates} candidates"
            + (f", {self.failures} pages could not be read" if self.failures else "")
            + "."
        )


def add_feed(campaign: Campaign, url: str, title: str, actor: User | None) -> CoverageFeed:
    """Start polling a feed for the campaign; the first poll is queued at once."""
    url = services.checked_url(url)
    exists = db.session.scalar(
        select(CoverageFeed.id).where(
            CoverageFeed.campaign_id == campaign.id, CoverageFeed.url == url
        )
    )
    if exists is not None:
        raise services.CoverageError("This feed is already polled for the campaign.")
    feed = CoverageFeed(campaign_id=campaign.id, url=url, title=title.strip()[:300])
    db.session.add(feed)
    record(actor, "coverage.feed_add", feed, {"url": url})
    db.session.commit()
    enqueue(POLL_TASK, feed.id)
    return feed


def remove_feed(feed: CoverageFeed, actor: User | None) -> None:
    """Stop polling; items it found stay."""
    record(actor, "coverage.feed_remove", feed, {"url": feed.url})
    db.session.delete(feed)
    db.session.commit()


def _conditional_headers(feed: CoverageFeed) -> dict[str, str]:
    headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9"}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    return headers


def poll_feed(feed_id: int) -> PollResult | None:
    """Worker: poll one feed and queue candidates from its new entries."""
    feed = db.session.get(CoverageFeed, feed_id)
    if feed is None or not feed.active:
        return None
    feed.last_polled_at = clock.now()
    try:
        response = fetch_with_app_limits(feed.url, _conditional_headers(feed))
        result = _read_response(feed, response)
    except FetchError as error:
        feed.last_result = f"Failed: {error}"[:500]
        db.session.commit()
        return None
    feed.last_result = result.text()
    db.session.commit()
    return result


def _read_response(feed: CoverageFeed, response: FetchResult) -> PollResult:
    import feedparser  # loaded by the first poll, not by every process that builds the app

    if response.status == 304:
        return PollResult(modified=False)
    if response.status != 200:
        raise FetchError(f"The feed answered with HTTP status {response.status}.")
    parsed = feedparser.parse(response.body)
    if parsed.bozo and not parsed.entries:
        raise FetchError("The answer is not an RSS or Atom feed.")
    feed.etag = response.headers.get("etag", "")[:300]
    feed.last_modified = response.headers.get("last-modified", "")[:100]
    if not feed.title:
        feed.title = str(parsed.feed.get("title", ""))[:300]
    return _read_entries(feed, parsed.entries)


def _entry_key(entry: Any) -> str:
    ident = entry.get("id") or entry.get("link") or entry.get("title", "")
    return hashlib.sha256(str(ident).encode()).hexdigest()


def _read_entries(feed: CoverageFeed, entries: list[Any]) -> PollResult:
    result = PollResult(modified=True)
    seen = set(
        db.session.scalars(select(FeedEntrySeen.entry_key).where(FeedEntrySeen.feed_id == feed.id))
    )
    index = campaign_index(feed.campaign_id)
    for entry in entries[: current_app.config["COVERAGE_FEED_MAX_ENTRIES"]]:
        key = _entry_key(entry)
        if key in seen or not entry.get("link"):
            continue
        seen.add(key)
        result.new_entries += 1
        try:
            result.candidates += _read_entry(feed, entry, index)
        except FetchError as error:
            # Not marked as seen: a page that failed (site down, too slow) is tried again at
            # the next poll.
            log.info("feed %s entry %s: %s", feed.id, entry.get("link"), error)
            result.failures += 1
            continue
        db.session.add(FeedEntrySeen(feed_id=feed.id, entry_key=key))
        try:
            db.session.commit()
        except IntegrityError:  # a concurrent poll of this feed stored it first
            db.session.rollback()
    return result


def _entry_date(entry: Any) -> date | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None


def _read_entry(feed: CoverageFeed, entry: Any, index: VersionIndex) -> bool:
    """Fetch, read and match one entry's article; True if it became a candidate."""
    url = str(entry["link"]).strip()
    known = db.session.scalar(
        select(CoverageItem.id).where(
            CoverageItem.campaign_id == feed.campaign_id, CoverageItem.url == url
        )
    )
    if known is not None:
        return False
    article = article_from(fetch_with_app_limits(url))
    item = CoverageItem(
        campaign_id=feed.campaign_id,
        url=url,
        status=CoverageStatus.CANDIDATE,
        source=CoverageSource.FEED,
        feed_id=feed.id,
    )
    services.fill_from_article(item, article)
    item.author = item.author or str(entry.get("author", ""))[:200]
    item.published_on = item.published_on or _entry_date(entry)
    item.headline = item.headline or str(entry.get("title", ""))[:500]
    services.apply_matches(item, article.text, index)
    if not services.is_candidate(item):
        return False
    db.session.add(item)
    return True


def due_feed_ids() -> list[int]:
    """Active feeds not polled for COVERAGE_FEED_POLL_MINUTES."""
    minutes = current_app.config["COVERAGE_FEED_POLL_MINUTES"]
    cutoff = clock.now() - timedelta(minutes=minutes)
    query = select(CoverageFeed.id).where(
        CoverageFeed.active,
        or_(CoverageFeed.last_polled_at.is_(None), CoverageFeed.last_polled_at < cutoff),
    )
    return list(db.session.scalars(query))


def poll_due() -> int:
    """Beat: queue a poll of every feed that is due; returns how many were queued."""
    return sum(enqueue(POLL_TASK, feed_id) for feed_id in due_feed_ids())
