"""Queueing single emails and sending each one at most once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from flask import current_app
from sqlalchemy import update

from campaign import clock
from campaign.distribution.suppression import may_email
from campaign.extensions import db
from campaign.jobs import enqueue, requeue_rows_left_in
from campaign.mail.models import MailAttachment, MailStatus, OutgoingMail
from campaign.mail.transport import (
    PermanentMailError,
    TransientMailError,
    build_message,
    open_connection,
)
from campaign.site.services import organization

SEND_TASK = "mail.send"
# Mail the addressee asked for a moment ago (confirming their own signature) goes out even to
# an address on the do-not-contact or suppression list, and so does a password link (auth.);
# everything else honours the lists.
REQUESTED_BY_ADDRESSEE = ("signon.", "auth.")


def queue_mail(
    to: str,
    subject: str,
    text: str,
    *,
    purpose: str,
    html: str = "",
    reply_to: str = "",
    attachments: Iterable[tuple[str, str, bytes]] = (),
) -> OutgoingMail:
    """Add a message to the current transaction; call `dispatch` after committing it.

    Each attachment is (filename, MIME type, content).
    """
    mail = OutgoingMail(
        purpose=purpose,
        to_address=to,
        subject=subject,
        text_body=text,
        html_body=html,
        reply_to=reply_to,
        attachments=[
            MailAttachment(filename=name, mime_type=mime_type, content=content)
            for name, mime_type, content in attachments
        ],
    )
    db.session.add(mail)
    return mail


def dispatch(mail: OutgoingMail) -> bool:
    """Ask a worker to send a committed message; False if the queue is unreachable."""
    return enqueue(SEND_TASK, mail.id)


def _claim(mail_id: int) -> OutgoingMail | None:
    claimed = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail_id, OutgoingMail.status == MailStatus.QUEUED)
        .values(status=MailStatus.SENDING, attempts=OutgoingMail.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if claimed.rowcount != 1:
        return None
    return db.session.get(OutgoingMail, mail_id, populate_existing=True)


def send_queued(mail_id: int) -> bool:
    """Send one queued message; False if another worker already took it.

    A transient failure puts the row back in the queue and re-raises for the task to retry
    later; a permanent one is recorded. If the process dies between the SMTP server's
    acceptance and the commit below, the row stays in 'sending' and is never sent again:
    we prefer a rare lost confirmation to a duplicate.
    """
    mail = _claim(mail_id)
    if mail is None:
        return False
    if not _may_send(mail):
        mail.status, mail.last_error = MailStatus.SKIPPED, "on the do-not-contact list"
        db.session.commit()
        return True
    config = current_app.config
    try:
        message = build_message(
            sender=organization().sender,
            to=mail.to_address,
            subject=mail.subject,
            text=mail.text_body,
            html=mail.html_body,
            reply_to=mail.reply_to,
            attachments=[attachment.as_tuple() for attachment in mail.attachments],
        )
    except (ValueError, TypeError) as error:  # e.g. a line break in a header value
        mail.status = MailStatus.FAILED
        mail.last_error = f"the message could not be built: {error}"[:500]
        db.session.commit()
        return True
    try:
        with open_connection(config) as connection:
            connection.send(message)
    except TransientMailError as error:
        mail.status, mail.last_error = MailStatus.QUEUED, str(error)[:500]
        db.session.commit()
        raise
    except PermanentMailError as error:
        mail.status, mail.last_error = MailStatus.FAILED, str(error)[:500]
        db.session.commit()
        return True
    mail.status, mail.sent_at = MailStatus.SENT, clock.now()
    db.session.commit()
    return True


def _may_send(mail: OutgoingMail) -> bool:
    return mail.purpose.startswith(REQUESTED_BY_ADDRESSEE) or may_email(mail.to_address)


def requeue_stale(older_than: timedelta = timedelta(minutes=5)) -> int:
    """Enqueue again messages still queued after `older_than` (their task was lost)."""
    return requeue_rows_left_in(OutgoingMail, MailStatus.QUEUED, SEND_TASK, older_than)
