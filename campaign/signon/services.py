"""Signing on, confirming, withdrawing: the public side of a signature's life.

pending --confirm--> confirmed --staff--> approved / rejected; confirmed or approved
--withdraw--> withdrawn. Every transition writes an audit record in its own transaction.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from campaign import clock
from campaign.audit.services import record
from campaign.courier.headers import one_line
from campaign.emailkey import email_key
from campaign.extensions import db
from campaign.mail.models import OutgoingMail
from campaign.mail.services import mark_dispatched, publish
from campaign.rowcount import rowcount
from campaign.signon import mails
from campaign.signon.logos import Logo
from campaign.signon.models import (
    OrgType,
    Scope,
    Signature,
    SignatureStatus,
    SignerKind,
    Signers,
    SignOnSettings,
)
from campaign.signon.names import normalize_name
from campaign.statements.models import Statement

LIVE = frozenset({SignatureStatus.PENDING, SignatureStatus.CONFIRMED, SignatureStatus.APPROVED})


class SignOnClosed(Exception):
    """The statement does not take signatures now (never opened, closed, past deadline)."""


@dataclass(frozen=True)
class Signer:
    """What a signer typed into the public form, already validated."""

    organization: str
    contact_name: str
    contact_email: str
    org_type: OrgType = OrgType.NONPROFIT
    scope: Scope = Scope.NATIONAL
    city: str = ""
    region: str = ""
    country: str = ""
    website: str = ""
    logo: Logo | None = field(default=None, repr=False)
    kind: SignerKind = SignerKind.ORGANIZATION
    title: str = ""
    affiliation: str = ""
    referral_code: str = ""
    comment: str = ""
    answers: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Organizations match by name; individuals only by email (names are not unique)."""
        if self.kind is SignerKind.INDIVIDUAL:
            return "@" + self.email_key
        return normalize_name(self.organization)

    @property
    def email_key(self) -> str:
        return email_key(self.contact_email)


class Outcome(enum.Enum):
    CREATED = "created"
    DUPLICATE = "duplicate"


@dataclass(frozen=True)
class SignOnResult:
    outcome: Outcome
    signature_id: int
    organization: str


def settings_for(statement_id: int) -> SignOnSettings | None:
    return db.session.get(SignOnSettings, statement_id)


def signers_for(statement: Statement) -> Signers:
    """Whom the statement takes signatures from: organizations, individuals or both."""
    settings = settings_for(statement.id)
    return settings.signers if settings and settings.signers else Signers.ORGANIZATIONS


def accepting(statement: Statement) -> bool:
    """True if the public form should be shown and accepted now."""
    settings = settings_for(statement.id)
    return bool(settings and settings.accepting() and statement.published_version_id is not None)


def _existing(statement_id: int, signer: Signer) -> Signature | None:
    """The signature this signer duplicates: a live one first, then a name match."""
    matches = db.session.scalars(
        select(Signature).where(
            Signature.statement_id == statement_id,
            or_(
                Signature.normalized_name == signer.key,
                Signature.email_key == signer.email_key,
            ),
        )
    ).all()
    return min(
        matches,
        key=lambda s: (s.status is SignatureStatus.WITHDRAWN, s.normalized_name != signer.key),
        default=None,
    )


def _fill(signature: Signature, signer: Signer) -> None:
    for name in ("contact_email", "org_type", "scope", "kind"):
        setattr(signature, name, getattr(signer, name))
    signature.organization = one_line(signer.organization)  # names reach mail headers
    signature.contact_name = one_line(signer.contact_name)
    for name in ("city", "region", "country", "website", "title", "affiliation", "referral_code"):
        setattr(signature, name, getattr(signer, name).strip())
    signature.comment, signature.comment_approved_at = signer.comment.strip(), None
    signature.answers = dict(signer.answers)
    signature.normalized_name, signature.email_key = signer.key, signer.email_key
    if signer.logo is not None:
        signature.logo, signature.logo_mime = signer.logo.content, signer.logo.mime_type


def sign_on(statement: Statement, signer: Signer) -> SignOnResult:
    """Store a pending signature and queue its confirmation mail, or report a duplicate.

    The unique constraints decide races: if a concurrent sign-on of the same organization
    commits first, our INSERT fails, we roll back and report the duplicate instead.
    """
    if not accepting(statement):
        raise SignOnClosed()
    assert statement.published_version_id is not None, "accepting() requires a published version"
    existing = _existing(statement.id, signer)
    if existing is not None and existing.status is not SignatureStatus.WITHDRAWN:
        return _flag_duplicate(existing, signer, statement)
    signature = existing or Signature(statement_id=statement.id)
    _fill(signature, signer)
    signature.status, signature.withdrawn_at = SignatureStatus.PENDING, None
    signature.confirmed_at = signature.decided_at = None
    signature.signed_version_id = statement.published_version_id
    signature.reconfirm_version_id = None
    db.session.add(signature)
    try:
        db.session.flush()  # the id goes into the confirmation link
    except IntegrityError:
        db.session.rollback()
        raced = _existing(statement.id, signer)
        if raced is None:
            raise
        return _flag_duplicate(raced, signer, statement)
    mail = _limited(signer.email_key, lambda: mails.queue_confirmation(signature, statement))
    record(None, "signature.created", signature, _summary(signer), actor_label=signer.email_key)
    result = SignOnResult(Outcome.CREATED, signature.id, signer.organization)
    _commit_and_send(mail)
    return result


def _limited(address: str, queue: Callable[[], OutgoingMail]) -> OutgoingMail | None:
    """Queue the mail unless this address had its share today (see mails.may_mail)."""
    return queue() if mails.may_mail(address) else None


def _commit_and_send(mail: OutgoingMail | None) -> None:
    """Commit the transaction that queued `mail`, then hand the mail to a worker.

    One commit: the mail is marked as dispatched inside the transaction and its id read
    before the commit (after it, reading `mail.id` would load the row again).
    """
    if mail is None:
        db.session.commit()
        return
    mark_dispatched(mail)
    db.session.flush()
    mail_id = mail.id
    db.session.commit()
    publish(mail_id)


def _summary(signer: Signer) -> dict[str, str]:
    return {"organization": signer.organization, "email": signer.email_key}


def _flag_duplicate(existing: Signature, signer: Signer, statement: Statement) -> SignOnResult:
    """Answer as for a new signature, mail the typed address, and flag the row for staff.

    The page says "check your email" either way, so the form does not reveal which
    organizations or addresses are on file; the mail says the organization is listed.
    """
    # In SQL: twenty simultaneous duplicates must count twenty, not the last value read.
    db.session.execute(
        update(Signature)
        .where(Signature.id == existing.id)
        .values(duplicate_attempts=Signature.duplicate_attempts + 1)
        .execution_options(synchronize_session=False)
    )
    when = clock.now().strftime("%Y-%m-%d %H:%M UTC")
    existing.flag = f"Signed again on {when} as “{signer.organization}” by {signer.email_key}"[:500]
    record(
        None,
        "signature.duplicate_attempt",
        existing,
        _summary(signer),
        actor_label=signer.email_key,
    )
    mail = _limited(
        signer.email_key,
        lambda: mails.queue_already_listed(
            existing, signer.contact_email, signer.organization, statement
        ),
    )
    # What they typed, not the stored name: an email match must not reveal another entry.
    result = SignOnResult(Outcome.DUPLICATE, existing.id, signer.organization)
    _commit_and_send(mail)
    return result


def confirm(signature: Signature) -> bool:
    """Confirm a pending signature (idempotent); False if it can no longer be confirmed."""
    if signature.status in (SignatureStatus.CONFIRMED, SignatureStatus.APPROVED):
        return True
    if signature.status is not SignatureStatus.PENDING:
        return False
    claimed = db.session.execute(
        update(Signature)
        .where(Signature.id == signature.id, Signature.status == SignatureStatus.PENDING)
        .values(status=SignatureStatus.CONFIRMED, confirmed_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    if rowcount(claimed) != 1:  # a second click at the same moment: the first one mails
        db.session.rollback()
        db.session.refresh(signature)
        return signature.status in (SignatureStatus.CONFIRMED, SignatureStatus.APPROVED)
    db.session.refresh(signature)
    statement = db.session.get_one(Statement, signature.statement_id)
    mail = mails.queue_confirmed(signature, statement)
    record(None, "signature.confirmed", signature, actor_label=signature.email_key or "signer")
    _commit_and_send(mail)
    return True


def resend_confirmation(signature: Signature) -> bool:
    """Send a fresh confirmation link to the stored address; only for pending signatures.

    Within the per-address mail limit (mails.may_mail); past it nothing is sent, silently.
    """
    if signature.status is not SignatureStatus.PENDING:
        return False
    statement = db.session.get_one(Statement, signature.statement_id)
    address = signature.email_key or signature.contact_email
    mail = _limited(address, lambda: mails.queue_confirmation(signature, statement))
    if mail is None:
        record(None, "signature.mail_limited", signature, actor_label="public")
        db.session.commit()
        return True
    record(None, "signature.link_resent", signature, actor_label=signature.email_key or "signer")
    _commit_and_send(mail)
    return True


def pending_by_email(statement: Statement, email: str) -> Signature | None:
    return db.session.scalar(
        select(Signature).where(
            Signature.statement_id == statement.id,
            Signature.email_key == email_key(email),
            Signature.status == SignatureStatus.PENDING,
        )
    )


def withdraw(signature: Signature) -> bool:
    """Take a signature off every list from now on; the audit log keeps that it happened."""
    if signature.status is SignatureStatus.WITHDRAWN:
        return True
    if signature.status not in LIVE:
        return False
    before = signature.status
    signature.status, signature.withdrawn_at = SignatureStatus.WITHDRAWN, clock.now()
    signature.reconfirm_version_id = None
    record(
        None,
        "signature.withdrawn",
        signature,
        {"from": before.value, "organization": signature.organization},
        actor_label=signature.email_key or "signer",
    )
    db.session.commit()
    return True
