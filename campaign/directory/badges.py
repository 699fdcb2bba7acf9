"""Public, embeddable pictures of a statement: a live counter badge and a QR code of the
sign link. Both are SVG made here (no third-party scripts or services)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template

from campaign.directory.models import Partner
from campaign.directory.partners import cosponsors, qr_svg, share_code, sign_link
from campaign.extensions import db
from campaign.public.lookup import published_statement
from campaign.signon.listing import listed_signatories, split_signers
from campaign.signon.models import Signature
from campaign.statements.models import Statement
from campaign.urls import external_url
from press.documents import count_label

bp = Blueprint("coalition_public", __name__)


def _svg(body: bytes | str, max_age: int) -> Response:
    response = Response(body, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/s/<slug>/badge.svg")
def badge(slug: str) -> Response:
    """ "142 organizations signed": for an <img> on a partner's site, refreshed each minute."""
    statement = published_statement(slug)
    organizations, individuals = split_signers(listed_signatories(statement.id))
    label = f"{count_label(len(organizations), len(individuals))} signed"
    width = 24 + 7 * len(label)
    return _svg(render_template("directory/badge.svg", label=label, width=width), 60)


@bp.get("/s/<slug>/qr.svg")
def qr(slug: str) -> Response:
    """The sign link as a QR code, for posters and the printed sign-on sheet."""
    statement = published_statement(slug)
    return _svg(qr_svg(external_url("signon_public.sign", slug=statement.slug)), 3600)


def share_link(signature: Signature, statement: Statement) -> str:
    """The sign link a confirmed signer passes on; sign-ons through it are attributed."""
    return sign_link(statement, share_code(signature))


@bp.app_context_processor
def _share_step() -> dict[str, Any]:
    """Lets the sign-on confirmation page offer the share step without changing its view."""
    return {"share_link": share_link}


@bp.get("/s/<slug>/cosponsors/<int:partner_id>/logo")
def cosponsor_logo(slug: str, partner_id: int) -> Response:
    """A co-sponsor's logo on the public page (checked PNG or JPEG)."""
    statement = published_statement(slug)
    partner = db.session.get(Partner, partner_id)
    if partner is None or partner.statement_id != statement.id or not partner.logo:
        abort(404)
    response = Response(partner.logo, mimetype=partner.logo_mime)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


@bp.app_context_processor
def _cosponsors() -> dict[str, Any]:
    """Lets the public statement page show its co-sponsors without changing its view."""
    return {"cosponsors": cosponsors}
