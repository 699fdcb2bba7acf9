"""The emails a signer receives, each carrying a signed link for one purpose."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, render_template
from sqlalchemy import func, select

from campaign import clock
from campaign.attest.links import domain_link, receipt_link
from campaign.emailkey import email_key
from campaign.extensions import db
from campaign.mail.models import OutgoingMail
from campaign.mail.services import queue_mail
from campaign.signon.models import Signature
from campaign.statements.models import Statement, StatementVersion
from campaign.tokens import make_token
from campaign.urls import external_url

# Every link names the contact address it was sent to: if the organization withdraws and
# signs again with another contact, links mailed to the earlier contact stop working.
CONFIRM = "signon-confirm"
WITHDRAW = "signon-withdraw"
RECONFIRM = "signon-reconfirm"
# Mail anyone can cause by typing an address into a public form; limited per address.
UNSOLICITED_PURPOSES = ("signon.confirm", "signon.already_listed")


def may_mail(address: str) -> bool:
    """False once SIGNON_MAILS_PER_ADDRESS confirmation-type mails went to `address` in 24 h.

    Shared by the sign, embed, resend and renew endpoints, so the public form cannot be used
    to flood one inbox; the page a visitor sees does not change when the limit is reached.
    """
    since = clock.now() - timedelta(days=1)
    sent = db.session.scalar(
        select(func.count(OutgoingMail.id)).where(
            func.lower(OutgoingMail.to_address) == email_key(address),
            OutgoingMail.purpose.in_(UNSOLICITED_PURPOSES),
            OutgoingMail.created_at >= since,
        )
    )
    return sent < current_app.config["SIGNON_MAILS_PER_ADDRESS"]


def confirm_link(signature: Signature) -> str:
    token = make_token(CONFIRM, {"sig": signature.id, "email": signature.email_key})
    return external_url("signon_public.confirm", token=token)


def withdraw_link(signature: Signature) -> str:
    token = make_token(WITHDRAW, {"sig": signature.id, "email": signature.email_key})
    return external_url("signon_public.withdraw", token=token)


def reconfirm_link(signature: Signature, version: StatementVersion) -> str:
    token = make_token(
        RECONFIRM, {"sig": signature.id, "email": signature.email_key, "v": version.id}
    )
    return external_url("signon_public.reconfirm", token=token)


def _queue(
    signature: Signature, purpose: str, subject: str, template: str, **values: object
) -> OutgoingMail:
    text = render_template(f"signon/mail/{template}.txt", signature=signature, **values)
    return queue_mail(signature.contact_email, subject, text, purpose=purpose)


def _title(statement: Statement) -> str:
    return statement.published_version.title if statement.published_version else statement.slug


def queue_confirmation(signature: Signature, statement: Statement) -> OutgoingMail:
    """Ask the signer to confirm; the signature is listed only after they do."""
    title = _title(statement)
    return _queue(
        signature,
        "signon.confirm",
        f"Please confirm your signature: {title}",
        "confirm",
        title=title,
        link=confirm_link(signature),
    )


def queue_already_listed(
    existing: Signature, typed_email: str, typed_organization: str, statement: Statement
) -> OutgoingMail:
    """Someone signed for an organization already on file: tell the address they typed.

    The withdrawal link is included only when the typed address is the one on file;
    otherwise anyone could withdraw an organization by typing its name.
    """
    title = _title(statement)
    same_contact = email_key(typed_email) == (existing.email_key or "")
    text = render_template(
        "signon/mail/already_listed.txt",
        organization=typed_organization,
        title=title,
        withdraw=withdraw_link(existing) if same_contact else "",
        public=external_url("public.statement", slug=statement.slug),
    )
    return queue_mail(
        typed_email, f"Already on file: {title}", text, purpose="signon.already_listed"
    )


def queue_confirmed(signature: Signature, statement: Statement) -> OutgoingMail:
    """Tell a confirmed signer how to withdraw later (the "second link")."""
    title = _title(statement)
    return _queue(
        signature,
        "signon.confirmed",
        f"Signature confirmed: {title}",
        "confirmed",
        title=title,
        withdraw=withdraw_link(signature),
        public=external_url("public.statement", slug=statement.slug),
        receipt=receipt_link(signature),
        domain_link=domain_link(signature) if signature.website else "",
    )


def queue_reconfirmation(signature: Signature, version: StatementVersion) -> OutgoingMail:
    """Ask a signer to confirm a materially changed text."""
    return _queue(
        signature,
        "signon.reconfirm",
        f"The text you signed has changed: {version.title}",
        "reconfirm",
        version=version,
        link=reconfirm_link(signature, version),
        withdraw=withdraw_link(signature),
    )
