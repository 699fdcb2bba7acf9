"""Partners bring signers: co-sponsors' referral codes, signers' share links, the counts.

A sign link with `?partner=<code>` stores the code on the signature (signon keeps it as
typed, cleaned). Partner codes are made here; a confirmed signer's share link carries
"s-<signature id>", so sign-ons through shares are attributed too.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import qrcode
import qrcode.image.svg
from flask import current_app
from sqlalchemy import func, select

from campaign.audit.services import record
from campaign.directory.models import Partner
from campaign.extensions import db
from campaign.signon.listing import listed_statuses, requires_approval
from campaign.signon.logos import LogoError, check_logo
from campaign.signon.models import Signature
from campaign.signon.names import normalize_name, referral_code
from campaign.statements.models import Statement
from campaign.urls import external_url

SHARE_PREFIX = "s-"


class PartnerError(ValueError):
    """A partner that cannot be added, in words for staff."""


@dataclass(frozen=True)
class PartnerRow:
    partner: Partner
    link: str
    embed: str
    count: int


def share_code(signature: Signature) -> str:
    return f"{SHARE_PREFIX}{signature.id}"


def sign_link(statement: Statement, code: str, endpoint: str = "signon_public.sign") -> str:
    return external_url(endpoint, slug=statement.slug, partner=code)


def _code_for(statement: Statement, name: str) -> str:
    base = referral_code(normalize_name(name).replace(" ", "-"))[:32].strip("-") or "partner"
    if base.startswith(SHARE_PREFIX):  # "s-..." codes are signers' share links
        base = "p-" + base
    taken = set(
        db.session.scalars(select(Partner.code).where(Partner.statement_id == statement.id))
    )
    code, number = base, 2
    while code in taken:
        code, number = f"{base}-{number}", number + 1
    return code


def add_partner(statement: Statement, name: str, actor: Any, logo: bytes | None = None) -> Partner:
    """A co-sponsor with a fresh referral code (derived from its name) and optional logo,
    checked like signatories' logos (PNG or JPEG, size and pixel limits)."""
    name = name.strip()
    if not normalize_name(name):
        raise PartnerError("The partner's name needs letters or digits.")
    partner = Partner(statement_id=statement.id, name=name[:200], code=_code_for(statement, name))
    if logo:
        config = current_app.config
        try:
            checked = check_logo(
                logo, config["SIGNON_LOGO_MAX_BYTES"], config["SIGNON_LOGO_MAX_PIXELS"]
            )
        except LogoError as error:
            raise PartnerError(str(error)) from error
        partner.logo, partner.logo_mime = checked.content, checked.mime_type
    db.session.add(partner)
    db.session.flush()
    record(actor, "partner.added", statement, {"name": partner.name, "code": partner.code})
    db.session.commit()
    return partner


def _listed_counts(statement: Statement) -> dict[str, int]:
    statuses = listed_statuses(requires_approval(statement.id))
    rows = db.session.execute(
        select(Signature.referral_code, func.count())
        .where(Signature.statement_id == statement.id, Signature.status.in_(statuses))
        .group_by(Signature.referral_code)
    ).all()
    return {code: count for code, count in rows}


def partner_rows(statement: Statement) -> tuple[list[PartnerRow], int]:
    """Each partner with its links and listed sign-ons; and sign-ons through signers' shares."""
    counts = _listed_counts(statement)
    partners = db.session.scalars(
        select(Partner).where(Partner.statement_id == statement.id).order_by(Partner.name)
    )
    rows = [
        PartnerRow(
            partner,
            sign_link(statement, partner.code),
            sign_link(statement, partner.code, "signon_public.embed"),
            counts.get(partner.code, 0),
        )
        for partner in partners
    ]
    shared = sum(n for code, n in counts.items() if code.startswith(SHARE_PREFIX))
    return rows, shared


def qr_svg(url: str) -> bytes:
    """`url` as a QR code in SVG (for the sharing page, posters and the sign-on sheet)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


def cosponsors(statement: Statement) -> list[Partner]:
    """The letter's partners, for the "co-sponsored by" strip of the public page."""
    return list(
        db.session.scalars(
            select(Partner).where(Partner.statement_id == statement.id).order_by(Partner.name)
        )
    )
