"""Row-level state changes of recipients, each one conditional UPDATE and one commit.

The exactly-once rule (why each step is safe to crash in):
1. `claim` moves due `queued` rows to `sending` under a fresh claim token (PostgreSQL: FOR
   UPDATE SKIP LOCKED, so concurrent workers take disjoint rows; SQLite serialises writers).
2. The message goes to the server up to, not including, its final "." line.
3. `hand_over` sets `handed_at`, only if the row still carries our claim token and the
   distribution is still active, and commits; only then is the "." sent. If the claim was
   taken away (pause, cancel, recovery), the connection is cut and the server discards
   the message.
4. `finish` records the server's answer.
After a crash, `recover` (run once a claim is older than the lease) puts rows that were
never handed over back to `queued`, since the server cannot have them, and marks rows
that were handed over but never answered `unconfirmed` ("possibly delivered"): they may
have arrived, and nobody gets a second copy unless staff choose to resend. The only loss
window is between the commit in step 3 and the "." leaving the socket, a few microseconds.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, text, update

from campaign.distribution.models import ACTIVE, Distribution, Recipient, RecipientStatus
from campaign.extensions import db
from campaign.rowcount import rowcount

UNCONFIRMED_REASON = (
    "the worker stopped after handing the message to the mail server and before its "
    "answer; it may have arrived, so it was not sent again"
)
CANCELLED_REASON = "distribution cancelled"


def _due(distribution_id: int, now: datetime) -> Any:
    return (
        Recipient.distribution_id == distribution_id,
        Recipient.status == RecipientStatus.QUEUED,
        or_(Recipient.next_attempt_at.is_(None), Recipient.next_attempt_at <= now),
    )


def claim(distribution_id: int, size: int, now: datetime) -> tuple[str, list[int]]:
    """Take up to `size` due recipients for this worker; returns the token and their ids.

    Two statements, not UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED):
    PostgreSQL may rescan such a subquery and claim far more than n rows.
    """
    token = secrets.token_hex(8)
    candidates = db.session.scalars(
        select(Recipient.id)
        .where(*_due(distribution_id, now))
        .order_by(Recipient.id)
        .limit(size)
        .with_for_update(skip_locked=True)
    ).all()
    if not candidates:
        db.session.commit()
        return token, []
    ids = db.session.scalars(
        update(Recipient)
        .where(Recipient.id.in_(candidates), Recipient.status == RecipientStatus.QUEUED)
        .values(status=RecipientStatus.SENDING, claim=token, claimed_at=now, handed_at=None)
        .returning(Recipient.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return token, sorted(ids)


def _owned(recipient_id: int, token: str) -> Any:
    return update(Recipient).where(Recipient.id == recipient_id, Recipient.claim == token)


def hand_over(recipient_id: int, token: str, now: datetime) -> bool:
    """Commit that the message is about to leave; False if our claim was taken away."""
    still_active = (
        select(Distribution.id)
        .where(Distribution.id == Recipient.distribution_id, Distribution.status.in_(ACTIVE))
        .exists()
    )
    result = db.session.execute(
        _owned(recipient_id, token)
        .where(Recipient.status == RecipientStatus.SENDING, still_active)
        .values(handed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return rowcount(result) == 1


def finish(recipient_id: int, token: str, status: RecipientStatus, **values: Any) -> bool:
    """Record the outcome of our claim (sent, failed, skipped, unconfirmed or back to queued).

    On PostgreSQL this commit need not wait for the disk: if the database server itself
    crashed and lost it, the row would still say handed over, hence unconfirmed, never
    resent. (`hand_over` keeps its synchronous commit: that one guards against duplicates.)
    """
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
    result = db.session.execute(
        _owned(recipient_id, token)
        .values(status=status, **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return rowcount(result) == 1


def release(recipient_ids: list[int], token: str) -> None:
    """Give back claimed rows that were never handed over (nothing reached the server)."""
    if recipient_ids:
        db.session.execute(
            update(Recipient)
            .where(Recipient.id.in_(recipient_ids), Recipient.claim == token)
            .where(Recipient.status == RecipientStatus.SENDING, Recipient.handed_at.is_(None))
            .values(status=RecipientStatus.QUEUED, claim=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()


def _unsent(distribution_id: int) -> Any:
    return (
        Recipient.distribution_id == distribution_id,
        Recipient.status == RecipientStatus.SENDING,
        Recipient.handed_at.is_(None),
    )


def return_unsent(distribution_id: int) -> int:
    """Pause: claimed rows not yet handed over go back to the queue at once (their worker's
    hand-over then fails, so nothing is sent); the caller commits."""
    return rowcount(
        db.session.execute(
            update(Recipient)
            .where(*_unsent(distribution_id))
            .values(status=RecipientStatus.QUEUED, claim=None, claimed_at=None)
            .execution_options(synchronize_session=False)
        )
    )


def skip_unsent(distribution_id: int) -> int:
    """Cancel: queued rows and claimed rows not yet handed over are skipped at once, so no
    row waits in "sending" for a lease; the caller commits."""
    waiting = rowcount(
        db.session.execute(
            update(Recipient)
            .where(
                Recipient.distribution_id == distribution_id,
                Recipient.status == RecipientStatus.QUEUED,
            )
            .values(status=RecipientStatus.SKIPPED, reason=CANCELLED_REASON)
            .execution_options(synchronize_session=False)
        )
    )
    return waiting + rowcount(
        db.session.execute(
            update(Recipient)
            .where(*_unsent(distribution_id))
            .values(status=RecipientStatus.SKIPPED, reason=CANCELLED_REASON, claim=None)
            .execution_options(synchronize_session=False)
        )
    )


def recover(distribution_id: int, now: datetime, lease: timedelta) -> None:
    """Resolve claims of workers that died: see the module docstring for the rule."""
    cutoff = now - lease
    in_flight = (
        Recipient.distribution_id == distribution_id,
        Recipient.status == RecipientStatus.SENDING,
    )
    db.session.execute(
        update(Recipient)
        .where(*in_flight, Recipient.handed_at.is_(None), Recipient.claimed_at < cutoff)
        .values(status=RecipientStatus.QUEUED, claim=None, claimed_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Recipient)
        .where(*in_flight, Recipient.handed_at.is_not(None), Recipient.handed_at < cutoff)
        .values(status=RecipientStatus.UNCONFIRMED, reason=UNCONFIRMED_REASON)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def next_wakeup(distribution_id: int, now: datetime, lease: timedelta) -> datetime | None:
    """When unfinished rows next need a look (a retry falls due or a claim expires)."""
    queued = Recipient.status == RecipientStatus.QUEUED
    sending = Recipient.status == RecipientStatus.SENDING
    retry_at, due_now, claimed_at, handed_at = db.session.execute(
        select(
            func.min(Recipient.next_attempt_at).filter(queued),
            func.count().filter(queued, Recipient.next_attempt_at.is_(None)),
            func.min(Recipient.claimed_at).filter(sending, Recipient.handed_at.is_(None)),
            func.min(Recipient.handed_at).filter(sending),
        ).where(Recipient.distribution_id == distribution_id)
    ).one()
    moments = [retry_at] + [m + lease for m in (claimed_at, handed_at) if m is not None]
    if due_now:
        moments.append(now)
    present = [moment for moment in moments if moment is not None]
    return min(present) if present else None


def counts(distribution_id: int) -> dict[RecipientStatus, int]:
    """Recipients of a distribution by status (every status present, zero if none)."""
    rows = db.session.execute(
        select(Recipient.status, func.count())
        .where(Recipient.distribution_id == distribution_id)
        .group_by(Recipient.status)
    ).all()
    found = {RecipientStatus(status): number for status, number in rows}
    return {status: found.get(status, 0) for status in RecipientStatus}
