"""Signatures gathered on a printed sign-on sheet, typed in by staff.

They count as confirmed (approved, where approval is on): the person signed in front of
the organizers. They are marked `paper` and with the staff member who typed them, and go
through the same duplicate rules as the public form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from campaign import clock
from campaign.audit.services import record
from campaign.directory.partners import qr_svg
from campaign.emailkey import email_key
from campaign.extensions import db
from campaign.signon.models import Signature, SignatureStatus, SignerKind
from campaign.signon.names import normalize_name
from campaign.signon.services import settings_for, signers_for
from campaign.statements.models import Statement
from campaign.urls import external_url
from press.sheet import SignOnSheet, render_sheet_pdf


class PaperError(ValueError):
    """An entry refused, in words for staff."""


@dataclass(frozen=True)
class PaperEntry:
    name: str
    contact_name: str = ""
    email: str = ""
    title: str = ""
    city: str = ""
    region: str = ""
    individual: bool = False


def sheet_pdf(statement: Statement) -> bytes:
    """The printable sheet of `statement`, with a QR code of its sign link."""
    sign_url = external_url("signon_public.sign", slug=statement.slug)
    version = statement.published_version or statement.head
    return render_sheet_pdf(
        SignOnSheet(
            title=version.title,
            issuer=current_app.config["LETTERHEAD_NAME"],
            sign_url=sign_url,
            qr_svg=qr_svg(sign_url),
            individuals=signers_for(statement).value != "organizations",
        )
    )


def _email(text: str) -> str:
    if not text.strip():
        return ""
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise PaperError(str(error)) from error


def _key(entry: PaperEntry, email: str) -> str:
    if entry.individual:
        return "@" + (email.lower() or "paper:" + normalize_name(entry.name))
    if not normalize_name(entry.name):
        raise PaperError("The organization name needs letters or digits.")
    return normalize_name(entry.name)


def add_paper_signature(statement: Statement, entry: PaperEntry, actor: Any) -> Signature:
    """Store one typed-in paper signature; a duplicate of an existing one is refused."""
    if statement.published_version_id is None:
        raise PaperError("Publish the statement before adding signatures.")
    if not entry.name.strip():
        raise PaperError("Enter the name from the sheet.")
    email = _email(entry.email)
    key = _key(entry, email)
    clash = [Signature.normalized_name == key]
    if email:
        clash.append(Signature.email_key == email_key(email))
    taken = select(Signature.id).where(Signature.statement_id == statement.id, or_(*clash))
    if db.session.scalar(taken.limit(1)) is not None:
        raise PaperError(f"“{entry.name}” (or that email) has already signed.")
    settings = settings_for(statement.id)
    signature = Signature(
        statement_id=statement.id,
        signed_version_id=statement.published_version_id,
        kind=SignerKind.INDIVIDUAL if entry.individual else SignerKind.ORGANIZATION,
        organization=entry.name.strip()[:200],
        normalized_name=key[:200],
        title=entry.title.strip()[:120],
        city=entry.city.strip()[:120],
        region=entry.region.strip()[:120],
        contact_name=(entry.contact_name or entry.name).strip()[:120],
        contact_email=email,
        email_key=email_key(email) or None,
        status=SignatureStatus.APPROVED
        if settings and settings.requires_approval
        else SignatureStatus.CONFIRMED,
        confirmed_at=clock.now(),
        paper=True,
        imported_by_id=actor.id,
    )
    db.session.add(signature)
    try:
        db.session.flush()
        record(actor, "signature.paper_added", signature, {"organization": signature.organization})
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise PaperError(f"“{entry.name}” (or that email) has already signed.") from error
    return signature


def paper_signatures(statement: Statement) -> list[Signature]:
    return list(
        db.session.scalars(
            select(Signature)
            .where(Signature.statement_id == statement.id, Signature.paper.is_(True))
            .order_by(Signature.id.desc())
        )
    )
