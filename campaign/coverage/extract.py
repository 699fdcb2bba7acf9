"""Reading an article page: title, author, date, outlet, language and the main text.

trafilatura drops navigation, comments and footers, so the text that is matched is the story
itself. Its date search is told not to guess: a page without a date gets none rather than
today's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from campaign.netfetch import FetchError, FetchResult

HTML_TYPES = {"text/html", "application/xhtml+xml", ""}
EXCERPT_CHARS = 400


@dataclass(frozen=True)
class Article:
    url: str
    headline: str = ""
    author: str = ""
    outlet: str = ""
    published_on: date | None = None
    language: str = ""
    text: str = ""

    @property
    def excerpt(self) -> str:
        return excerpt_of(self.text)


def excerpt_of(text: str) -> str:
    """The first few hundred characters, cut at a word."""
    flat = " ".join(text.split())
    if len(flat) <= EXCERPT_CHARS:
        return flat
    return flat[:EXCERPT_CHARS].rsplit(" ", 1)[0] + "…"


def _decode(result: FetchResult) -> str:
    try:
        return result.body.decode(result.charset or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return result.body.decode("utf-8", errors="replace")


_LANG = re.compile(r"<html[^>]*?\slang=[\"']?([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)", re.IGNORECASE)


def _language(html: str, detected: str | None) -> str:
    """trafilatura detects a language only with an extra package; the page usually says it."""
    if detected:
        return detected[:16]
    found = _LANG.search(html[:5000])
    return found.group(1).lower()[:16] if found else ""


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def article_from(result: FetchResult) -> Article:
    """The article in a fetched page, or FetchError when the page is not one."""
    if result.status != 200:
        raise FetchError(f"The site answered with HTTP status {result.status}.")
    if result.content_type not in HTML_TYPES:
        raise FetchError(f"The page is {result.content_type}, not an HTML article.")
    return article_from_html(_decode(result), result.url)


def article_from_html(html: str, url: str) -> Article:
    """Extract an article from HTML (the bench and the feed entries use this directly)."""
    import trafilatura  # heavy (lxml, htmldate, justext): loaded by the first extraction only
    from trafilatura.metadata import Document

    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if not isinstance(document, Document) or not (document.text or "").strip():
        raise FetchError("No article text was found on the page.")
    return Article(
        url=url,
        headline=(document.title or "")[:500],
        author=(document.author or "")[:200],
        outlet=(document.sitename or document.hostname or "")[:200],
        published_on=_date(document.date),
        language=_language(html, document.language),
        text=document.text or "",
    )
