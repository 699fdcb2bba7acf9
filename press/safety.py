"""What keeps a document's text from reaching beyond its page or its time budget.

- Links: a statement's link points at the web, never at a file on the rendering server.
  Relative links are resolved against the public site or dropped; `file:` never survives.
- Resources: the renderer loads only fonts and styles from this package, checked by resolved
  path (a string prefix would let `fonts/%2e%2e/...` escape the folder).
- Cost: WeasyPrint's line breaking is quadratic in the length of one unbroken word, so every
  long word in the laid-out HTML gets invisible break opportunities; and a render that still
  runs past its time limit is killed with a clear error.
"""

from __future__ import annotations

import html as html_lib
import os
import re
import selectors
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

ZERO_WIDTH_SPACE = "\u200b"
LONG_WORD = 16
WEB_SCHEMES = ("http", "https", "mailto")
_HREF = re.compile(r'(<a\b[^>]*?)\s+href="([^"]*)"')
_TEXT = re.compile(r">([^<]+)<")


class RenderTimeout(RuntimeError):
    """The render ran past its time limit and was stopped."""


class RenderFailed(RuntimeError):
    """The render process failed; the message says why."""


def breakable(text: str) -> str:
    """`text` with invisible break opportunities inside words of LONG_WORD letters or more."""
    return re.sub(
        rf"\S{{{LONG_WORD},}}",
        lambda word: ZERO_WIDTH_SPACE.join(
            word[0][i : i + LONG_WORD] for i in range(0, len(word[0]), LONG_WORD)
        ),
        text,
    )


def breakable_html(page: str) -> str:
    """Every text node after `<body` made breakable (titles, names, body, addresses alike)."""
    head, marker, body = page.partition("<body")
    if not marker:
        return page

    def text_node(match: re.Match[str]) -> str:
        text = html_lib.unescape(match[1])
        return ">" + html_lib.escape(breakable(text), quote=False) + "<"

    return head + marker + _TEXT.sub(text_node, body)


def web_links(page: str, link_base: str) -> str:
    """Resolve relative links against `link_base` (the public site); drop any other link."""

    def link(match: re.Match[str]) -> str:
        target = html_lib.unescape(match[2]).strip()
        if urlsplit(target).scheme.lower() not in WEB_SCHEMES and link_base:
            target = urljoin(link_base.rstrip("/") + "/", target)
        if urlsplit(target).scheme.lower() not in WEB_SCHEMES:
            return match[1]  # the text stays, the link goes
        return f'{match[1]} href="{html_lib.escape(target)}"'

    return _HREF.sub(link, page)


class PackageAssetsOnly(URLFetcher):
    """Fetch inline data and files inside the given folders only, compared by resolved path."""

    def __init__(self, folders: tuple[Path, ...], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.folders = tuple(folder.resolve() for folder in folders)

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if any(path.is_relative_to(folder) for folder in self.folders) and path.is_file():
                return super().fetch(path.as_uri(), headers)
        raise ValueError(f"press documents load no resource outside their assets ({url[:80]})")


def with_time_limit(work: Callable[[], bytes], seconds: float | None) -> bytes:
    """Run `work` in a forked child and return its bytes; kill it after `seconds`.

    A fork rather than a thread: a runaway layout cannot be interrupted inside the process,
    but a child can be killed, and the web or worker process goes on.
    """
    if not seconds:
        return work()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, send the bytes (or the error), exit without cleanup
        os.close(reader)
        try:
            payload = b"ok:" + work()
        except BaseException as error:
            payload = b"error:" + f"{type(error).__name__}: {error}".encode()
        with os.fdopen(writer, "wb") as out:
            out.write(payload)
        os._exit(0)
    os.close(writer)
    return _collect(pid, reader, seconds)


def _collect(pid: int, reader: int, seconds: float) -> bytes:
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector, os.fdopen(reader, "rb", buffering=0) as pipe:
        selector.register(pipe, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not selector.select(timeout=left):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                raise RenderTimeout(
                    f"The PDF took longer than {seconds:g} s to lay out and was stopped."
                )
            chunk = pipe.read(1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    os.waitpid(pid, 0)
    payload = b"".join(chunks)
    if payload.startswith(b"ok:"):
        return payload[3:]
    raise RenderFailed(payload.removeprefix(b"error:").decode(errors="replace") or "no output")
