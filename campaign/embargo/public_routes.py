"""A journalist's personal preview of an embargoed release (no login: the token is the key)."""

from __future__ import annotations

import io

from flask import Blueprint, Response, abort, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue

from campaign.embargo import previews
from campaign.embargo.services import embargo_pending
from campaign.pdfs.marking import embargo_watermark
from campaign.statements.models import StatementVersion
from press.markdown import render_markdown

bp = Blueprint("embargo_public", __name__)
PRIVATE_HEADERS = {
    "X-Robots-Tag": "noindex, nofollow",
    "Cache-Control": "private, no-store",
    "Referrer-Policy": "no-referrer",
}


def _link(token: str, what: str) -> previews.PreviewLink:
    try:
        return previews.open_link(token, what)
    except previews.PreviewUnavailable:
        abort(404, description="This preview link is not valid or was revoked.")


def _private(response: Response) -> Response:
    response.headers.update(PRIVATE_HEADERS)
    return response


def _held(
    token: str, what: str, after_lift: str
) -> tuple[StatementVersion, ResponseReturnValue | None]:
    """The version behind `token`, and once its embargo has lifted, a redirect to
    `after_lift` (the public page or PDF) to answer with instead."""
    version = _link(token, what).version
    if embargo_pending(version):
        return version, None
    return version, redirect(url_for(after_lift, slug=version.statement.slug))


@bp.get("/preview/<token>")
def page(token: str) -> ResponseReturnValue:
    """The embargoed text, marked as such; after the lift, the public page."""
    version, lifted = _held(token, "page", "public.statement")
    if lifted is not None:
        return lifted
    assert version.embargo_until is not None, "_held answers a lifted embargo itself"
    html = render_template(
        "embargo/preview.html",
        statement=version.statement,
        version=version,
        html=render_markdown(version.body),
        token=token,
        marking=embargo_watermark(version.embargo_until, version.embargo_timezone),
    )
    return _private(Response(html))


@bp.get("/preview/<token>/pdf")
def pdf(token: str) -> ResponseReturnValue:
    """The preview as a PDF marked "EMBARGOED - NOT FOR PUBLICATION UNTIL ..." on every page."""
    from campaign.pdfs.services import pdf_for_version

    version, lifted = _held(token, "pdf", "public.pdf")
    if lifted is not None:
        return lifted
    assert version.embargo_until is not None, "_held answers a lifted embargo itself"
    marking = embargo_watermark(version.embargo_until, version.embargo_timezone)
    rendered = pdf_for_version(version.id, watermark=marking)
    response = send_file(
        io.BytesIO(rendered.data),
        mimetype="application/pdf",
        download_name=rendered.filename,
        etag=rendered.sha256,
    )
    return _private(response)
