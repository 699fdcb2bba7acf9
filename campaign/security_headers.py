"""Security headers on every response.

Staff pages and public pages get a Content-Security-Policy with scripts and styles from this
site only (no inline script, no style attributes) and `frame-ancestors 'none'`; the sign-on
embed may be framed by the sites in EMBED_FRAME_ANCESTORS. Responses of signed-in pages and
every data export are marked `Cache-Control: no-store`, so personal data stays out of shared
and browser caches.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

from campaign.auth.permissions import PUBLIC, access_for

_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'{styles}; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors {ancestors}"
)
EMBED_ENDPOINTS = frozenset({"signon_public.embed"})
# The print preview is WeasyPrint's own HTML, whose page rules sit in a <style> element.
# The editor's whole-document preview is that same HTML in a srcdoc frame, which inherits the
# editor page's policy. Styles only: scripts stay 'self' everywhere.
INLINE_STYLE_ENDPOINTS = frozenset(
    {"pdfs.print_preview", "statements.new", "statements.edit", "statements.merge"}
)


def content_security_policy(endpoint: str | None) -> str:
    ancestors = "'none'"
    if endpoint in EMBED_ENDPOINTS:
        ancestors = current_app.config["EMBED_FRAME_ANCESTORS"].strip() or "'none'"
    styles = " 'unsafe-inline'" if endpoint in INLINE_STYLE_ENDPOINTS else ""
    return _POLICY.format(ancestors=ancestors, styles=styles)


def _is_staff(endpoint: str | None) -> bool:
    return endpoint is not None and access_for(endpoint) not in (None, PUBLIC)


def add_security_headers(response: Response) -> Response:
    endpoint = request.endpoint
    headers = response.headers
    if "Content-Security-Policy" in headers:
        # A view that sets its own, stricter policy (the email preview frame, framed by the
        # review page) keeps it.
        headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    else:
        headers["Content-Security-Policy"] = content_security_policy(endpoint)
        if endpoint not in EMBED_ENDPOINTS:
            headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers.setdefault("Referrer-Policy", "same-origin")  # a view may ask for no-referrer
    if _is_staff(endpoint) or response.mimetype == "text/csv":
        headers["Cache-Control"] = "no-store"
    return response


def init_security_headers(app: Flask) -> None:
    app.after_request(add_security_headers)
