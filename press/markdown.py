"""Markdown to HTML that is safe to put on a public page.

markdown-it-py is run with raw HTML disabled and its own link validation, and nh3 then
cleans the output against an allow-list, so neither a `<script>` nor a `javascript:` URL can
reach a page even if one layer has a bug.
"""

from __future__ import annotations

from functools import cache, lru_cache

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(
        ["table", "strikethrough", "replacements", "smartquotes"]
    )


@lru_cache(maxsize=128)
def render_markdown(source: str) -> str:
    """Render Markdown to sanitized HTML.

    Versions are immutable and pages show the same few texts over and over, so the result is
    kept per process, keyed by the text itself (a new renderer is a new process): parsing
    and cleaning were a third of a statement page's time.
    """
    return nh3.clean(
        _parser().render(source),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
