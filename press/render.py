"""Typesetting: a `Document` to HTML (for the print preview) or to tagged PDF bytes.

Templates, stylesheet and fonts ship inside this package, and the fonts are loaded by
@font-face from `press/fonts/`, so a PDF looks the same on every machine whatever fonts it
has installed. `template_version()` fingerprints those files; caches key on it so that a
change of layout yields new PDFs.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from press.documents import Document
from press.images import logo_data_uri
from press.markdown import render_markdown

# Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES to True, which would
# let a truncated upload pass every image check in the process (sign-on logos included).
# WeasyPrint only ever gets images that press.images has re-encoded, so restore the default.
ImageFile.LOAD_TRUNCATED_IMAGES = False

ROOT = Path(__file__).resolve().parent
ASSET_FOLDERS = ("fonts", "styles")
PDF_VARIANT = "pdf/ua-1"
LONG_WORD = 16
# Entries longer than this (name and place, in characters) may wrap across a column break.
LONG_ENTRY = 100
# Groups smaller than this are one column.
MIN_COLUMNED = 9
ZERO_WIDTH_SPACE = "\u200b"
NO_BREAK_SPACE = "\u00a0"
SHORT_PLACE = 28
_TEMPLATES = {
    "coalition_letter": "letter.html",
    "press_release": "release.html",
    "statement": "letter.html",
}


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(ROOT / "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["markdown"] = lambda source: Markup(render_markdown(source or ""))
    environment.filters["breakable"] = breakable
    environment.filters["place"] = place
    return environment


def place(text: str) -> str:
    """A short place ("Washington, DC") held together by no-break spaces; a long one breakable.

    (CSS `white-space: nowrap` would do the same, but WeasyPrint then breaks the line before
    the whole entry's last words instead of before the place.)
    """
    if len(text) <= SHORT_PLACE:
        return text.replace(" ", NO_BREAK_SPACE)
    return breakable(text)


def breakable(text: str) -> str:
    """`text` with invisible break opportunities inside words too long for a column.

    Wrapping one unbroken 1,000-character "word" anywhere costs WeasyPrint time that grows
    with the square of its length (half a minute here); zero-width spaces every few letters
    make it ordinary line breaking, and text extraction does not show them.
    """
    return re.sub(
        rf"\S{{{LONG_WORD},}}",
        lambda word: ZERO_WIDTH_SPACE.join(
            word[0][i : i + LONG_WORD] for i in range(0, len(word[0]), LONG_WORD)
        ),
        text,
    )


@cache
def template_version() -> str:
    """A fingerprint of every template, stylesheet and font that shapes the output."""
    digest = hashlib.sha256()
    for folder in ("templates", *ASSET_FOLDERS):
        for path in sorted((ROOT / folder).iterdir()):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _body_html(document: Document) -> Markup:
    """The body as sanitized HTML; a release's dateline opens its first paragraph."""
    html = render_markdown(document.body)
    if document.dateline:
        when = document.document_date.strftime(", %B %-d, %Y") if document.document_date else ""
        lead = f'<strong class="dateline">{escape(document.dateline.upper())}{when}</strong> — '
        html = html.replace("<p>", "<p>" + lead, 1) if html.startswith("<p>") else lead + html
    return Markup(html)


def render_html(document: Document, asset_base: str | None = None) -> str:
    """The document as a complete HTML page.

    `asset_base` is where a browser finds `styles/` and `fonts/` (a URL prefix, for the print
    preview); by default they are this package's own files, which is what the PDF uses.
    """
    template = _environment().get_template(_TEMPLATES[document.kind])
    return template.render(
        doc=document,
        body=_body_html(document),
        assets=(asset_base or ROOT.as_uri()).rstrip("/"),
        logo=logo_data_uri(document.letterhead.logo),
        long_entry=LONG_ENTRY,
        min_columned=MIN_COLUMNED,
    )


class _LocalOnly(URLFetcher):
    """Fetch only this package's assets and inline data: a document never reaches the network
    or the rest of the file system, whatever a link in its text points to."""

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:") or url.startswith(ROOT.as_uri() + "/"):
            return super().fetch(url, headers)
        raise ValueError(f"press documents load no external resource ({url[:80]})")


def render_pdf(document: Document, progress: Callable[[str], None] | None = None) -> bytes:
    """Tagged PDF (PDF/UA-1) bytes with title, author, subject and creation date set.

    `progress`, if given, is told each stage as it starts, for a job's progress page.
    """
    report = progress or (lambda stage: None)
    html = HTML(
        string=render_html(document), base_url=ROOT.as_uri() + "/", url_fetcher=_LocalOnly()
    )
    report("Laying out pages")
    laid_out = html.render(pdf_variant=PDF_VARIANT)
    report(f"Writing {len(laid_out.pages)} pages")
    # custom_metadata: a signed letter's root travels in the document information dictionary.
    return laid_out.write_pdf(pdf_variant=PDF_VARIANT, custom_metadata=True)
