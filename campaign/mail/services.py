"""Queueing single emails and sending each one at most once, with the distribution's
discipline: a claim with a token and a lease, the hand-over committed before the final
".", an attempt limit and exponential backoff. A retry is never a Celery retry (an ETA task
held in the worker): a failed attempt writes `next_attempt_at` and the sweep enqueues the
row when it is due, so nothing is re-sent early and nothing depends on the broker keeping
a delayed task.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select, update

from campaign import clock
from campaign.courier.delivery import (
    RelayRefused,
    Unconfirmed,
    Withdrawn,
    deliver,
    open_courier,
)
from campaign.courier.transport import MailError, PermanentMailError, build_message
from campaign.extensions import db
from campaign.jobs import enqueue
from campaign.mail import claims
from campaign.mail.models import MailAttachment, MailStatus, OutgoingMail
from campaign.mailpolicy.policy import verdict
from campaign.site.services import organization

SEND_TASK = "mail.send"
MAX_BACKOFF = timedelta(hours=2)


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
    return dispatch_id(mail.id)


def dispatch_id(mail_id: int) -> bool:
    """Enqueue by id and note when, so the sweep knows the task went out; False if the
    broker is unreachable (the sweep sends it once the broker is back)."""
    if not enqueue(SEND_TASK, mail_id):
        return False
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail_id, OutgoingMail.status == MailStatus.QUEUED)
        .values(enqueued_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return True


def mark_dispatched(mail: OutgoingMail) -> None:
    """Note in the caller's transaction that the task will be sent once it commits.

    With `publish` after the commit this is one commit per message instead of two (the
    second one only wrote `enqueued_at`), which a public sign-on pays under load.
    """
    mail.enqueued_at = clock.now()


def publish(mail_id: int) -> bool:
    """Send the task of a committed message marked by `mark_dispatched`; False if the
    broker is unreachable. Then the mark is taken back, so the sweep sends the message after
    its short grace; if the process dies before publishing, the sweep sends it a lease after
    the mark (claims.due_without_task), never twice."""
    if enqueue(SEND_TASK, mail_id):
        return True
    db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail_id, OutgoingMail.status == MailStatus.QUEUED)
        .values(enqueued_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return False


def _config(name: str) -> int:
    return int(current_app.config[f"MAIL_{name}"])


def backoff(attempts: int) -> timedelta:
    """The wait before the next attempt: MAIL_RETRY_SECONDS, doubling, capped."""
    delay = timedelta(seconds=_config("RETRY_SECONDS") * 2 ** max(attempts - 1, 0))
    return min(delay, MAX_BACKOFF)


def send_queued(mail_id: int) -> bool:
    """Send one due queued message; False if it is not due or another worker has it.

    Never raises for a mail error: the outcome is written on the row (see the module
    docstring), so a Celery retry can never send it a second time.
    """
    claimed = claims.claim(mail_id, clock.now())
    if claimed is None:
        return False
    mail, token = claimed
    allowed = verdict(mail.to_address, mail.purpose)
    if not allowed.allowed:
        claims.finish(mail_id, token, MailStatus.SKIPPED, last_error=allowed.reason)
        return True
    try:
        message = _message(mail)
    except (ValueError, TypeError) as error:  # e.g. a line break in a header value
        reason = f"the message could not be built: {error}"[:500]
        claims.finish(mail_id, token, MailStatus.FAILED, last_error=reason)
        return True
    try:
        with open_courier(current_app.config) as courier:
            deliver(courier, message, mail.to_address, lambda: claims.hand_over(mail_id, token))
    except Withdrawn:
        return False
    except MailError as error:
        _failed(mail_id, token, mail.attempts, error)
        return True
    claims.finish(mail_id, token, MailStatus.SENT, sent_at=clock.now())
    return True


def _message(mail: OutgoingMail) -> bytes:
    return build_message(
        sender=organization().sender,
        to=mail.to_address,
        subject=mail.subject,
        text=mail.text_body,
        html=mail.html_body,
        reply_to=mail.reply_to,
        attachments=[attachment.as_tuple() for attachment in mail.attachments],
    ).as_bytes()


def _failed(mail_id: int, token: str, attempts: int, error: MailError) -> None:
    """Unconfirmed: possibly delivered, never resent. Refused: failed. Otherwise back to
    the queue after the backoff, until MAIL_MAX_ATTEMPTS are spent."""
    reason = str(error)[:500]
    if isinstance(error, Unconfirmed):
        claims.finish(mail_id, token, MailStatus.UNCONFIRMED, last_error=reason)
    elif isinstance(error, PermanentMailError) and not isinstance(error, RelayRefused):
        claims.finish(mail_id, token, MailStatus.FAILED, last_error=reason)
    elif attempts >= _config("MAX_ATTEMPTS"):
        reason = f"gave up after {attempts} attempts: {reason}"[:500]
        claims.finish(mail_id, token, MailStatus.FAILED, last_error=reason)
    else:
        claims.finish(
            mail_id,
            token,
            MailStatus.QUEUED,
            last_error=reason,
            claim=None,
            handed_at=None,
            enqueued_at=None,
            next_attempt_at=clock.now() + backoff(attempts),
        )


def requeue_stale() -> int:
    """Periodic: settle claims past their lease, then enqueue the messages that are due and
    have no task on the way (never enqueued, retry due, or a task lost long ago)."""
    lease = timedelta(seconds=_config("CLAIM_LEASE_SECONDS"))
    now = clock.now()
    claims.recover(now, lease)
    return sum(dispatch_id(mail_id) for mail_id in claims.due_without_task(now, lease))


def troubled_mail(limit: int = 200) -> list[OutgoingMail]:
    """The newest single mails that failed, may or may not have arrived, or wait to retry."""
    needs_a_look = or_(
        OutgoingMail.status.in_([MailStatus.FAILED, MailStatus.UNCONFIRMED]),
        (OutgoingMail.status == MailStatus.QUEUED) & (OutgoingMail.last_error != ""),
    )
    query = select(OutgoingMail).where(needs_a_look).order_by(OutgoingMail.id.desc())
    return list(db.session.scalars(query.limit(limit)))
