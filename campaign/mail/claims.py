"""Row-level state changes of single mails: the same rule as distribution/claims.py.

A worker claims a due queued row with a fresh token, commits `handed_at` just before the
final "." (only while it still holds the claim) and records the answer. After a crash the
sweep puts claims past the lease that were never handed over back in the queue (the server
cannot have them) and marks handed-over ones "unconfirmed" (possibly delivered).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from campaign import clock
from campaign.extensions import db
from campaign.mail.models import MailStatus, OutgoingMail
from campaign.rowcount import rowcount

UNCONFIRMED_REASON = (
    "the worker stopped after handing the message to the mail server and before its "
    "answer; it may have arrived, so it was not sent again"
)
NEW_MAIL_GRACE = timedelta(seconds=15)  # a fresh row's own task is usually on its way


def _due(now: datetime) -> Any:
    return (
        OutgoingMail.status == MailStatus.QUEUED,
        or_(OutgoingMail.next_attempt_at.is_(None), OutgoingMail.next_attempt_at <= now),
    )


def claim(mail_id: int, now: datetime) -> tuple[OutgoingMail, str] | None:
    """Take a due queued message for this worker; None if not due or already taken."""
    token = secrets.token_hex(8)
    claimed = db.session.execute(
        update(OutgoingMail)
        .where(OutgoingMail.id == mail_id, *_due(now))
        .values(
            status=MailStatus.SENDING,
            claim=token,
            claimed_at=now,
            handed_at=None,
            attempts=OutgoingMail.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if rowcount(claimed) != 1:
        return None
    return db.session.get_one(OutgoingMail, mail_id, populate_existing=True), token


def _owned(mail_id: int, token: str) -> Any:
    return update(OutgoingMail).where(OutgoingMail.id == mail_id, OutgoingMail.claim == token)


def hand_over(mail_id: int, token: str) -> bool:
    """Commit that the message is about to leave; False if our claim was taken away."""
    result = db.session.execute(
        _owned(mail_id, token)
        .where(OutgoingMail.status == MailStatus.SENDING)
        .values(handed_at=clock.now())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return rowcount(result) == 1


def finish(mail_id: int, token: str, status: MailStatus, **values: Any) -> bool:
    """Record the outcome of our claim."""
    result = db.session.execute(
        _owned(mail_id, token)
        .values(status=status, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return rowcount(result) == 1


def recover(now: datetime, lease: timedelta) -> None:
    """Settle the claims of workers that died (see the module docstring)."""
    cutoff = now - lease
    sending = OutgoingMail.status == MailStatus.SENDING
    db.session.execute(
        update(OutgoingMail)
        .where(sending, OutgoingMail.handed_at.is_(None), OutgoingMail.claimed_at < cutoff)
        .values(status=MailStatus.QUEUED, claim=None, claimed_at=None, enqueued_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(OutgoingMail)
        .where(sending, OutgoingMail.handed_at.is_not(None), OutgoingMail.handed_at < cutoff)
        .values(status=MailStatus.UNCONFIRMED, claim=None, last_error=UNCONFIRMED_REASON)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def due_without_task(now: datetime, lease: timedelta) -> list[int]:
    """Due queued messages with no task on the way: never enqueued (after a short grace
    for the task of a row just written), or enqueued longer than a lease ago (task lost)."""
    never_sent = (OutgoingMail.enqueued_at.is_(None)) & or_(
        OutgoingMail.next_attempt_at.is_not(None), OutgoingMail.created_at < now - NEW_MAIL_GRACE
    )
    return list(
        db.session.scalars(
            select(OutgoingMail.id)
            .where(*_due(now), or_(never_sent, OutgoingMail.enqueued_at < now - lease))
            .order_by(OutgoingMail.id)
        )
    )
