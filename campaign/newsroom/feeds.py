"""RSS 2.0 and Atom feeds of the newsroom's public items (feedgen builds the XML)."""

from __future__ import annotations

import re

from feedgen.feed import FeedGenerator
from flask import url_for

from campaign.newsroom.services import latest
from campaign.site.services import organization
from campaign.statements.models import StatementVersion

FEED_ITEMS = 50
SUMMARY_CHARS = 300


def absolute(path: str) -> str:
    """An absolute URL on the public base (what search engines and feed readers keep)."""
    return organization().public_base_url + path


def summary(version: StatementVersion) -> str:
    """The subtitle, or the opening of the body as plain text."""
    if version.subtitle:
        return version.subtitle
    text = re.sub(r"[#*_>`\[\]()!-]+", " ", version.body or "")
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def _generator() -> FeedGenerator:
    org = organization()
    feed = FeedGenerator()
    feed.id(absolute(url_for("newsroom.index")))
    feed.title(f"{org.name} newsroom")
    feed.description(org.boilerplate or f"News and statements from {org.name}")
    feed.link(href=absolute(url_for("newsroom.index")), rel="alternate")
    feed.language("en")
    for statement in latest(1, per_page=FEED_ITEMS).items:
        version = statement.published_version
        assert version is not None, "latest() lists published statements only"
        entry = feed.add_entry(order="append")
        link = absolute(url_for("public.statement", slug=statement.slug))
        entry.id(link)
        entry.title(version.title)
        entry.link(href=link)
        entry.description(summary(version))
        entry.published(statement.published_at)
        entry.updated(statement.published_at)
    return feed


def rss() -> bytes:
    feed = _generator()
    feed.link(href=absolute(url_for("newsroom.rss")), rel="self")
    return feed.rss_str(pretty=True)


def atom() -> bytes:
    feed = _generator()
    feed.link(href=absolute(url_for("newsroom.atom")), rel="self")
    return feed.atom_str(pretty=True)
