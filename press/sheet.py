"""A printable sign-on sheet for events: the letter's title, its sign link as a QR code,
and ruled rows for names and signatures. Staff type the entries in afterwards."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from weasyprint import HTML

from press.render import PDF_VARIANT, ROOT, _environment, asset_fetcher


@dataclass(frozen=True)
class SignOnSheet:
    title: str
    issuer: str
    sign_url: str
    qr_svg: bytes
    rows: int = 18
    individuals: bool = False


def render_sheet_pdf(sheet: SignOnSheet) -> bytes:
    """The sheet as PDF bytes (same fonts and local-only loading as every press document)."""
    qr = "data:image/svg+xml;base64," + base64.b64encode(sheet.qr_svg).decode()
    html = (
        _environment()
        .get_template("sheet.html")
        .render(sheet=sheet, qr=qr, assets=ROOT.as_uri().rstrip("/"))
    )
    document = HTML(string=html, base_url=ROOT.as_uri() + "/", url_fetcher=asset_fetcher())
    return document.render(pdf_variant=PDF_VARIANT).write_pdf(pdf_variant=PDF_VARIANT)
