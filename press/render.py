"""Typesetting: a `Document` to HTML (for the print preview) or to tagged PDF bytes.

Templates, stylesheet and fonts ship inside this package, and the fonts are loaded by
@font-face from `press/fonts/`, so a PDF looks the same on every machine whatever fonts it
has installed. `template_version()` fingerprints those files; caches key on it so that a
change of layout yields new PDFs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import weasyprint
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from PIL import ImageFile
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from press.documents import Document
from press.images import logo_data_uri
from press.markdown import render_markdown
from press.safety import PackageAssetsOnly, breakable, breakable_html, web_links, with_time_limit

# Importing WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES to True, which would
# let a truncated upload pass every image check in the process (sign-on logos included).
# WeasyPrint only ever gets images that press.images has re-encoded, so restore the default.
ImageFile.LOAD_TRUNCATED_IMAGES = False

ROOT = Path(__file__).resolve().parent
ASSET_FOLDERS = ("fonts", "styles")
STYLESHEET = ROOT / "styles" / "press.css"
PDF_VARIANT = "pdf/ua-1"
# Entries longer than this (name and place, in characters) may wrap across a column break.
LONG_ENTRY = 100
# Groups smaller than this are one column.
MIN_COLUMNED = 9
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


@cache
def template_version() -> str:
    """A fingerprint of every template, stylesheet and font that shapes the output, and of
    the WeasyPrint release that lays them out (an upgrade can move every line)."""
    digest = hashlib.sha256(weasyprint.__version__.encode())
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
    preview). Without it the page links no stylesheet: the PDF is laid out with the one
    `typesetting()` parsed for the whole process.
    """
    template = _environment().get_template(_TEMPLATES[document.kind])
    return template.render(
        doc=document,
        body=_body_html(document),
        assets=asset_base.rstrip("/") if asset_base else None,
        logo=logo_data_uri(document.letterhead.logo),
        cosponsor_logos=[logo_data_uri(c.logo) for c in document.cosponsors],
        long_entry=LONG_ENTRY,
        min_columned=MIN_COLUMNED,
    )


def print_html(document: Document, link_base: str = "") -> str:
    """The HTML the PDF is made from: web links only, and every long word breakable."""
    return breakable_html(web_links(render_html(document), link_base))


def render_pdf(
    document: Document,
    progress: Callable[[str], None] | None = None,
    *,
    link_base: str = "",
    time_limit: float | None = None,
) -> bytes:
    """Tagged PDF (PDF/UA-1) bytes with title, author, subject and creation date set.

    `progress`, if given, is told each stage as it starts, for a job's progress page.
    `link_base` is the public site that relative links point into (none: they are dropped);
    past `time_limit` seconds the render is stopped with RenderTimeout.
    """
    report = progress or (lambda stage: None)
    page = print_html(document, link_base)
    shared = typesetting()  # here, so that a forked render inherits it (see typesetting)
    report("Laying out pages")
    return with_time_limit(lambda: _layout(page, shared, report), time_limit)


def asset_fetcher() -> PackageAssetsOnly:
    """The only loader press documents get: inline data and this package's fonts and styles."""
    return PackageAssetsOnly(tuple(ROOT / folder for folder in ASSET_FOLDERS))


@dataclass(frozen=True)
class Typesetting:
    """What every letter and release is laid out with, whatever its words: the stylesheet,
    parsed, and the fonts its @font-face rules load."""

    fonts: FontConfiguration
    stylesheet: CSS


def typesetting() -> Typesetting:
    """The stylesheet and the fonts its @font-face rules load, fresh for each render.

    Made in the calling process before a forked render (see press.safety), so the child uses
    it and the parent's copy removes the fonts' temporary folder when it is collected; made
    in the child, each forked render left its 2.3 MB copy of the fonts behind.
    Fresh rather than kept per thread: a FontConfiguration kept for the life of a process
    began, after other renders had come and gone in the same process (WeasyPrint caches
    fonts by the address of Pango objects, weasyprint#2144), to write PDFs whose text had
    lost its word spaces. Parsing press.css costs about a tenth of a letter's render.

    The sheet is given to WeasyPrint as a user stylesheet, below author styles: the only
    author styles left in a page are the template's `<style>` for the first page's header,
    which is meant to win anyway.
    """
    fonts = FontConfiguration()
    sheet = CSS(filename=STYLESHEET, font_config=fonts, url_fetcher=asset_fetcher())
    return Typesetting(fonts, sheet)


def _layout(page: str, shared: Typesetting, report: Callable[[str], None]) -> bytes:
    html = HTML(string=page, base_url=ROOT.as_uri() + "/", url_fetcher=asset_fetcher())
    laid_out = html.render(
        pdf_variant=PDF_VARIANT, stylesheets=[shared.stylesheet], font_config=shared.fonts
    )
    report(f"Writing {len(laid_out.pages)} pages")
    # custom_metadata: a signed letter's root travels in the document information dictionary.
    return laid_out.write_pdf(pdf_variant=PDF_VARIANT, custom_metadata=True)
