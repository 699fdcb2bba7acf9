"""Why a distribution is not sending right now, in words staff can act on.

Every wait has a reason the page and its progress JSON can name: paused (by staff, or by
the engine with its reason), the queue unreachable, no worker taking the work, the mail
server unreachable since a time with the next try, outside the sending window, the rate
limit, or retries backing off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select

from campaign import clock
from campaign.distribution.models import (
    ACTIVE,
    Distribution,
    DistributionStatus,
    RateBucket,
    Recipient,
    RecipientStatus,
)
from campaign.distribution.schedule import earliest_send
from campaign.extensions import db

NO_WORKER_AFTER = timedelta(minutes=2)
QUEUE_UNAVAILABLE = (
    "The task queue is unavailable, so sending has not started. Nothing is lost: a periodic "
    "check starts it as soon as the queue is reachable again."
)
STAMP = "%Y-%m-%d %H:%M:%S UTC"


@dataclass(frozen=True)
class Due:
    """The queued rows: how many may go now, when the next retry falls due, and its error."""

    now: int
    next_retry: datetime | None
    last_error: str


def counts_due(distribution_id: int) -> Due:
    now = clock.now()
    queued = (
        Recipient.distribution_id == distribution_id,
        Recipient.status == RecipientStatus.QUEUED,
    )
    due_now, next_retry = db.session.execute(
        select(
            func.count().filter(
                or_(Recipient.next_attempt_at.is_(None), Recipient.next_attempt_at <= now)
            ),
            func.min(Recipient.next_attempt_at).filter(Recipient.next_attempt_at > now),
        ).where(*queued)
    ).one()
    error: str | None = ""
    if next_retry is not None:
        error = db.session.scalar(
            select(Recipient.reason).where(*queued).order_by(Recipient.next_attempt_at).limit(1)
        )
    return Due(due_now, next_retry, error or "")


def _at(moment: datetime) -> str:
    return moment.strftime(STAMP)


def explain(dist: Distribution, due: Due) -> str:
    """The reason the distribution waits, or "" when it is sending (or has ended)."""
    if dist.status is DistributionStatus.PAUSED:
        if dist.pause_reason:
            return f"Paused automatically: {dist.pause_reason}. Fix the cause, then press Resume."
        return "Paused by staff: nothing is sent until someone presses Resume."
    if dist.status not in ACTIVE:
        return ""
    now = clock.now()
    if dist.enqueued_at is None:
        return QUEUE_UNAVAILABLE
    if dist.hold_until and dist.hold_until > now:
        since = _at(dist.held_since or dist.hold_until)
        return (
            f"The mail server has been unreachable since {since} ({dist.hold_reason}); "
            f"next try at {_at(dist.hold_until)}."
        )
    opens = earliest_send(now, dist.send_at, dist.window)
    if opens > now:
        if dist.send_at and dist.send_at >= opens:
            return f"Scheduled: sending starts at {_at(opens)}."
        return f"Outside the sending window until {_at(opens)}."
    if dist.active_at is None and dist.enqueued_at < now - NO_WORKER_AFTER:
        minutes = int((now - dist.enqueued_at).total_seconds() // 60)
        return f"No worker has taken this distribution for {minutes} minutes: is a worker running?"
    return _while_sending(dist, due, now)


def _while_sending(dist: Distribution, due: Due, now: datetime) -> str:
    if due.now:
        slot = _next_slot(dist.id)
        if slot is not None and slot > now + timedelta(seconds=10):
            return f"Rate limited: the next send slot is at {_at(slot)}."
        return ""
    if due.next_retry is not None:
        return (
            f"Waiting to retry recipients the mail server deferred; next try at "
            f"{_at(due.next_retry)} (last error: {due.last_error})."
        )
    return ""


def _next_slot(distribution_id: int) -> datetime | None:
    keys = ("global", f"distribution:{distribution_id}")
    latest = db.session.scalar(
        select(func.max(RateBucket.next_slot_us)).where(RateBucket.key.in_(keys))
    )
    if not latest:
        return None
    return datetime.fromtimestamp(latest / 1_000_000, UTC)
