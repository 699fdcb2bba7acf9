"""A version's body cut into numbered blocks, so a partner's comment can point at one.

Blocks are Markdown's top-level elements (paragraph, list, heading, quote, table), found
with markdown-it's source line map. Each block is rendered on its own through the same
sanitizer as the public page, and numbering starts at 1 because 0 means "the whole draft".
A version never changes, so the numbers stay valid for as long as its comments exist.
"""

from __future__ import annotations

import html as html_entities
from dataclasses import dataclass
from functools import cache

import nh3
from markdown_it import MarkdownIt

from press.markdown import render_markdown

EXCERPT_CHARS = 160


@dataclass(frozen=True)
class Block:
    number: int
    html: str
    text: str

    @property
    def excerpt(self) -> str:
        if len(self.text) <= EXCERPT_CHARS:
            return self.text
        return self.text[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"


@cache
def _block_parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def blocks(source: str) -> list[Block]:
    """The top-level blocks of `source`, numbered from 1."""
    lines = source.splitlines(keepends=True)
    spans = [
        token.map
        for token in _block_parser().parse(source)
        if token.level == 0 and token.nesting >= 0 and token.map
    ]
    found = []
    for number, (start, end) in enumerate(spans, start=1):
        html = render_markdown("".join(lines[start:end]))
        text = " ".join(html_entities.unescape(nh3.clean(html, tags=set())).split())
        found.append(Block(number, html, text))
    return found
