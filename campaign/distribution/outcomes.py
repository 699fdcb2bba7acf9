"""What the engine does with each SMTP outcome, judged at its level (see delivery.judge).

- A recipient's refusal (RCPT TO, or a DATA refusal naming the address) fails and
  suppresses that recipient; a DATA refusal that names nobody fails it without suppressing.
- A recipient's transient error (4xx, a dropped session) retries that recipient after the
  configured backoff while the others carry on.
- The relay refusing the session (greeting, login, sender address) pauses the whole
  distribution with the reason, suppressing nobody; so does meeting
  DISTRIBUTION_MAX_ERRORS_IN_ROW recipient failures in a row (listmonk's error threshold).
- A mail server that cannot be reached holds the distribution, counted once however many
  batches see it at the same time.
Counters are changed in SQL, never read-modify-write in Python.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, update

from campaign import clock
from campaign.audit.services import record
from campaign.courier.delivery import MessageRefused, RecipientRefused, Unconfirmed
from campaign.courier.transport import MailError, PermanentMailError
from campaign.distribution import claims
from campaign.distribution.models import ACTIVE, Distribution, DistributionStatus, RecipientStatus
from campaign.extensions import db
from campaign.mailpolicy.suppression import suppress
from campaign.rowcount import rowcount

MAX_BACKOFF = timedelta(hours=1)


def setting(name: str) -> int:
    return int(current_app.config[f"DISTRIBUTION_{name}"])


def backoff(failures: int) -> timedelta:
    """Exponential: the retry delay, doubled after every failure, capped at an hour."""
    delay = timedelta(seconds=setting("RETRY_SECONDS") * 2 ** max(failures - 1, 0))
    return min(delay, MAX_BACKOFF)


def record_failure(
    dist_id: int, row_id: int, email: str, attempts: int, token: str, error: MailError
) -> bool:
    """Record one recipient's failed attempt; True if it counts towards the error threshold.

    `attempts` already includes this one.
    """
    reason = str(error)[:500]
    if isinstance(error, Unconfirmed):
        claims.finish(row_id, token, RecipientStatus.UNCONFIRMED, reason=reason)
        return False
    if isinstance(error, PermanentMailError):
        if isinstance(error, RecipientRefused) or (
            isinstance(error, MessageRefused) and error.names_recipient
        ):
            suppress(email, reason, dist_id)
        claims.finish(row_id, token, RecipientStatus.FAILED, reason=reason, attempts=attempts)
        return True
    if attempts >= setting("MAX_ATTEMPTS"):
        reason = f"gave up after {attempts} attempts: {reason}"[:500]
        claims.finish(row_id, token, RecipientStatus.FAILED, reason=reason, attempts=attempts)
        return True
    claims.finish(
        row_id,
        token,
        RecipientStatus.QUEUED,
        reason=reason,
        attempts=attempts,
        claim=None,
        handed_at=None,
        next_attempt_at=clock.now() + backoff(attempts),
    )
    return False


def count_error(dist_id: int, reason: str) -> bool:
    """One more recipient failure in a row; pauses the distribution at the threshold."""
    (in_row,) = db.session.execute(
        update(Distribution)
        .where(Distribution.id == dist_id)
        .values(failures_in_row=Distribution.failures_in_row + 1)
        .returning(Distribution.failures_in_row)
        .execution_options(synchronize_session=False)
    ).one()
    db.session.commit()
    limit = setting("MAX_ERRORS_IN_ROW")
    if limit and in_row >= limit:
        return pause_itself(
            dist_id,
            f"{in_row} recipients in a row failed (the last: {reason}); check the "
            "mail server's answers, then resume",
        )
    return False


def reset_errors(dist_id: int) -> None:
    """A message went through: the run of failures is broken."""
    db.session.execute(
        update(Distribution)
        .where(Distribution.id == dist_id, Distribution.failures_in_row > 0)
        .values(failures_in_row=0)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def pause_itself(dist_id: int, reason: str) -> bool:
    """Pause an active distribution with the reason shown to staff; resume clears it."""
    paused = db.session.execute(
        update(Distribution)
        .where(Distribution.id == dist_id, Distribution.status.in_(ACTIVE))
        .values(status=DistributionStatus.PAUSED, pause_reason=reason[:500])
        .execution_options(synchronize_session=False)
    )
    if rowcount(paused):
        claims.return_unsent(dist_id)
        record(
            None,
            "distribution.paused",
            db.session.get(Distribution, dist_id),
            {"reason": reason[:500]},
        )
    db.session.commit()
    return bool(rowcount(paused))


def hold(dist_id: int, reason: str) -> Distribution:
    """The mail server is unreachable: the whole distribution waits, backing off.

    Parallel batches that meet the same outage while a hold is in force do not count it
    again, so one outage grows the backoff once.
    """
    now = clock.now()
    counted = db.session.execute(
        update(Distribution)
        .where(Distribution.id == dist_id)
        .where(or_(Distribution.hold_until.is_(None), Distribution.hold_until <= now))
        .values(connection_failures=Distribution.connection_failures + 1, hold_reason=reason[:500])
        .returning(Distribution.connection_failures)
        .execution_options(synchronize_session=False)
    ).one_or_none()
    if counted is not None:
        db.session.execute(
            update(Distribution)
            .where(Distribution.id == dist_id)
            .values(hold_until=now + backoff(counted[0]))
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(Distribution)
            .where(Distribution.id == dist_id, Distribution.held_since.is_(None))
            .values(held_since=now)
            .execution_options(synchronize_session=False)
        )
    db.session.commit()
    return db.session.get_one(Distribution, dist_id, populate_existing=True)


def clear_hold(dist_id: int) -> None:
    """The server answered again: forget the outage."""
    db.session.execute(
        update(Distribution)
        .where(Distribution.id == dist_id, Distribution.connection_failures > 0)
        .values(connection_failures=0, hold_until=None, hold_reason="", held_since=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
