"""What a public item page tells link previews and share buttons (no third-party script)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from flask import url_for

from campaign.newsroom.feeds import absolute, summary
from campaign.newsroom.images import can_render_page_images
from campaign.site.services import organization
from campaign.statements.models import Statement, StatementVersion


@dataclass(frozen=True)
class PageMeta:
    """OpenGraph/Twitter values and share links of one public item."""

    title: str
    description: str
    url: str
    image: str
    pdf: str
    shares: tuple[tuple[str, str], ...]


def _shares(title: str, url: str) -> tuple[tuple[str, str], ...]:
    text = f"{title} {url}"
    return (
        ("Email", "mailto:?" + urlencode({"subject": title, "body": url}, quote_via=quote)),
        ("Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": text})),
        ("Mastodon", "https://mastodonshare.com/?" + urlencode({"text": title, "url": url})),
        (
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
        ),
        ("X", "https://x.com/intent/tweet?" + urlencode({"text": title, "url": url})),
    )


def page_meta(statement: Statement, version: StatementVersion) -> PageMeta:
    """Title, description, canonical URL, preview image and share links of an item page.

    The image is the first PDF page when it could be rendered, else the organization logo.
    """
    url = absolute(url_for("public.statement", slug=statement.slug))
    image = ""
    if can_render_page_images():
        image = absolute(url_for("newsroom.og_image", slug=statement.slug))
    elif organization().logo:
        image = absolute(url_for("site_public.logo"))
    return PageMeta(
        title=version.title,
        description=summary(version),
        url=url,
        image=image,
        pdf=absolute(url_for("public.pdf", slug=statement.slug)),
        shares=_shares(version.title, url),
    )
