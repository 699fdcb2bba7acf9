"""Markdown to readable plain text, for the text part of emails.

Mail clients that show the text part (and people who prefer it) should read prose, not
Markdown syntax: links become `text <url>`, emphasis `*word*`, lists keep their bullets and
numbers, headings stand on their own line, and raw HTML (disabled in our Markdown) never
appears. Built on the same markdown-it parser as the HTML, so both parts say the same.
"""

from __future__ import annotations

import textwrap

from markdown_it.token import Token

from press.markdown import _parser

WIDTH = 76  # what mail clients show without reflowing
EMPHASIS = {"strong_open": "*", "strong_close": "*", "em_open": "_", "em_close": "_"}


def _inline(children: list[Token]) -> str:
    """The text of one inline run; a link's URL follows its text unless they are equal."""
    out: list[str] = []
    href_stack: list[tuple[str, int]] = []
    for token in children:
        kind = token.type
        if kind in ("text", "code_inline", "html_inline"):
            out.append(token.content)
        elif kind == "softbreak":
            out.append(" ")  # source line breaks are not the reader's; the block is rewrapped
        elif kind == "hardbreak":
            out.append("\n")
        elif kind in EMPHASIS:
            out.append(EMPHASIS[kind])
        elif kind == "s_open" or kind == "s_close":
            out.append("~")
        elif kind == "link_open":
            href_stack.append((str(token.attrGet("href") or ""), len(out)))
        elif kind == "link_close" and href_stack:
            href, start = href_stack.pop()
            text = "".join(out[start:])
            if href and href not in (text, f"mailto:{text}"):
                out.append(f" <{href}>")
        elif kind == "image":
            out.append(token.content)
    return "".join(out)


def markdown_to_text(source: str) -> str:
    """Plain text of `source`: blocks separated by a blank line, no Markdown syntax."""
    blocks: list[tuple[str, int | None]] = []  # (text, the list it belongs to)
    lists: list[int] = []
    prefixes: list[str] = []  # "> " for quotes, list markers
    counters: list[int | None] = []
    pending_marker = ""
    for token in _parser().parse(source):
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            lists.append(len(blocks) * 1000 + len(lists))
            ordered = kind == "ordered_list_open"
            counters.append(int(token.attrGet("start") or 1) if ordered else None)
        elif kind in ("bullet_list_close", "ordered_list_close"):
            counters.pop()
            lists.pop()
        elif kind == "list_item_open":
            number = counters[-1] if counters else None
            pending_marker = "- " if number is None else f"{number}. "
            if number is not None:
                counters[-1] = number + 1
        elif kind == "blockquote_open":
            prefixes.append("> ")
        elif kind == "blockquote_close":
            prefixes.pop()
        elif kind == "hr":
            blocks.append(("".join(prefixes) + "----", None))
        elif kind in ("fence", "code_block"):
            lead = "".join(prefixes) + "    "  # code keeps its lines
            code = "\n".join(lead + line for line in token.content.rstrip("\n").split("\n"))
            blocks.append((code, lists[-1] if lists else None))
        elif kind == "inline":
            text = _inline(token.children or [])
            indent = "  " * max(len(counters) - 1, 0)
            lead = "".join(prefixes) + indent + pending_marker
            pending_marker = ""
            block = _indent(text, lead, " " * len(lead) if counters else lead)
            blocks.append((block, lists[-1] if lists else None))
    return _join(blocks)


def _indent(text: str, first: str, rest: str | None = None) -> str:
    """`text` wrapped at WIDTH, its first line after `first` and the others after `rest`."""
    follow = first if rest is None else rest
    lines: list[str] = []
    for number, line in enumerate(text.split("\n")):
        lead = first if number == 0 else follow
        lines.extend(
            textwrap.wrap(
                line,
                WIDTH,
                initial_indent=lead,
                subsequent_indent=follow,
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [lead.rstrip()]
        )
    return "\n".join(lines)


def _join(blocks: list[tuple[str, int | None]]) -> str:
    """Blank lines between blocks; the items of one list stay together."""
    out: list[str] = []
    previous: int | None = None
    for block, list_id in blocks:
        if out and list_id is not None and list_id == previous:
            out[-1] += "\n" + block
        else:
            out.append(block)
        previous = list_id
    return "\n\n".join(out).strip() + "\n"
