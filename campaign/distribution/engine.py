"""The sending engine: what one Celery task does for a distribution (see claims.py for the
exactly-once rule).

A task (`step`) checks the distribution is active and that its send time and sending window
allow sending, recovers claims of dead workers, claims a batch and, before sending it,
enqueues its own successor: a worker killed mid-batch breaks nothing, because the next task
is already in the queue and the dead worker's claims are recovered after the lease. When
nothing is due, the step either finishes the distribution or notes when to look again
(`check_due_at`); the periodic `sweeps.run_due_checks` enqueues it then. No task is ever delayed
inside the broker: a worker holding ETA tasks dies with Redis (kombu's
"'NoneType' object has no attribute 'hostname'"), and a restarted Redis forgets them.
What each SMTP outcome does is in outcomes.py.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from blinker import Namespace
from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.exc import DBAPIError, OperationalError

from campaign import clock
from campaign.audit.services import record
from campaign.bounces import verp
from campaign.contacts.models import Contact
from campaign.courier.delivery import ConnectionDown, RelayRefused, Withdrawn, open_courier
from campaign.courier.transport import MailError
from campaign.distribution import claims, outcomes
from campaign.distribution.message import Composer
from campaign.distribution.models import (
    ACTIVE,
    Distribution,
    DistributionStatus,
    Recipient,
    RecipientStatus,
)
from campaign.distribution.ratelimit import slots_for
from campaign.distribution.schedule import earliest_send
from campaign.emailkey import email_key
from campaign.extensions import db
from campaign.jobs import enqueue
from campaign.mailpolicy.policy import DISTRIBUTION, Standing, judge
from campaign.mailpolicy.suppression import suppressed_among
from campaign.rowcount import rowcount

SEND_TASK = "distribution.send"
log = logging.getLogger(__name__)

Sleep = Callable[[float], None]


@dataclass(frozen=True)
class Row:
    id: int
    contact_id: int | None
    email: str
    name: str
    attempts: int
    reachable: bool
    unsubscribed: bool


_setting = outcomes.setting
backoff = outcomes.backoff


def lease() -> timedelta:
    return timedelta(seconds=_setting("CLAIM_LEASE_SECONDS"))


def step(distribution_id: int, sleep: Sleep = time.sleep) -> str:
    """One task's work; returns what happened, for the worker log and for tests."""
    dist = db.session.get(Distribution, distribution_id)
    if dist is None or dist.status not in ACTIVE:
        return "stopped"
    now = clock.now()
    dist.active_at = now
    db.session.commit()
    opens = earliest_send(now, dist.send_at, dist.window)
    if dist.hold_until and dist.hold_until > opens:
        opens = dist.hold_until
    if opens > now:
        schedule_check(dist.id, opens)
        return f"waiting until {opens:%Y-%m-%d %H:%M:%S} UTC"
    _start(dist, now)
    claims.recover(dist.id, now, lease())
    token, ids = claims.claim(dist.id, _batch_size(dist), now)
    if not ids:
        return _idle(dist, now)
    enqueue(SEND_TASK, dist.id)
    dist_id = dist.id
    try:
        outcome = _send_batch(dist, token, ids, sleep)
    except DBAPIError as error:
        if not error.connection_invalidated and not isinstance(error, OperationalError):
            raise
        _release_after_reconnect(ids, token)
        raise
    wakeup = claims.next_wakeup(dist_id, clock.now(), lease())
    if wakeup is None:
        return f"{outcome}; {finish_if_done(dist)}"  # the last batch finishes at once
    schedule_check(dist_id, wakeup)  # retries wait their backoff, not a claim's lease
    return outcome


def _release_after_reconnect(ids: list[int], token: str) -> None:
    """The database connection broke mid-batch: give back, on a fresh connection (the pool
    pre-pings), the claimed rows never handed over, so they need not wait for the lease.
    Rows handed over are left to `recover`; if the database is still away, so is this."""
    db.session.rollback()
    try:
        claims.release(ids, token)
    except DBAPIError as error:
        db.session.rollback()
        log.warning("claims of a broken batch left to the lease: %s", error)


def _batch_size(dist: Distribution) -> int:
    """A batch lasts at most about ten seconds under the rate limit, so pause acts quickly."""
    rates = [r for r in (dist.rate_per_minute, _setting("RATE_PER_MINUTE")) if r]
    size = _setting("BATCH_SIZE")
    return max(1, min([size] + [rate // 6 for rate in rates]))


def _start(dist: Distribution, now: datetime) -> None:
    started = db.session.execute(
        update(Distribution)
        .where(Distribution.id == dist.id, Distribution.status == DistributionStatus.SCHEDULED)
        .values(status=DistributionStatus.SENDING, started_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(started):
        record(None, "distribution.started", dist)
    db.session.commit()
    db.session.refresh(dist)


def _idle(dist: Distribution, now: datetime) -> str:
    wakeup = claims.next_wakeup(dist.id, now, lease())
    if wakeup is None:
        return finish_if_done(dist)
    schedule_check(dist.id, max(wakeup, now + timedelta(seconds=1)))
    return "waiting for retries or claims in flight"


# Sent once, after the finish is committed, with the final count per recipient status.
finished = Namespace().signal("distribution-finished")


def finish_if_done(dist: Distribution) -> str:
    """Mark a sending distribution finished, once, with its final counts in the audit log."""
    done = db.session.execute(
        update(Distribution)
        .where(Distribution.id == dist.id, Distribution.status == DistributionStatus.SENDING)
        .values(status=DistributionStatus.FINISHED, finished_at=clock.now(), check_due_at=None)
        .execution_options(synchronize_session=False)
    )
    counted = claims.counts(dist.id) if rowcount(done) else {}
    if rowcount(done):
        record(None, "distribution.finished", dist, {s.value: n for s, n in counted.items()})
    db.session.commit()
    if rowcount(done):
        finished.send(dist, counts={s.value: n for s, n in counted.items()})
    return "finished"


def schedule_check(distribution_id: int, at: datetime) -> None:
    """Note that the distribution needs a step at `at`, unless an earlier check is pending;
    `run_due_checks` (beat, every few seconds) enqueues it when the time comes."""
    now = clock.now()
    db.session.execute(
        update(Distribution)
        .where(Distribution.id == distribution_id)
        .where(
            or_(
                Distribution.check_due_at.is_(None),
                Distribution.check_due_at <= now,
                Distribution.check_due_at > at,
            )
        )
        .values(check_due_at=at)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _load(ids: list[int]) -> list[Row]:
    query = (
        select(
            Recipient.id,
            Recipient.contact_id,
            Recipient.email,
            Recipient.name,
            Recipient.attempts,
            Contact.do_not_contact,
            Contact.unsubscribed_at,
        )
        .outerjoin(Contact, Contact.id == Recipient.contact_id)
        .where(Recipient.id.in_(ids))
        .order_by(Recipient.id)
    )
    return [
        Row(rid, cid, email, name, attempts, not dnc, unsubscribed is not None)
        for rid, cid, email, name, attempts, dnc, unsubscribed in db.session.execute(query)
    ]


def skip_reason(row: Row, suppressed: set[str]) -> str:
    """Why a claimed recipient must not get mail now (checked again at send time)."""
    standing = Standing(
        unsubscribed=row.unsubscribed,
        do_not_contact=not row.reachable,
        suppressed=email_key(row.email) in suppressed,
    )
    return judge(standing, DISTRIBUTION).reason


def _send_batch(dist: Distribution, token: str, ids: list[int], sleep: Sleep) -> str:
    """Send the claimed rows one by one (each commit expires `dist`, so its id is kept)."""
    dist_id = dist.id
    rows = _load(ids)
    suppressed = suppressed_among(row.email for row in rows)
    limits = {
        "global": _setting("RATE_PER_MINUTE"),
        f"distribution:{dist_id}": dist.rate_per_minute or 0,
    }
    slots = slots_for(limits, len(rows))
    composer = Composer.for_distribution(dist)
    sent, failing = 0, False
    with open_courier(current_app.config) as courier:
        for index, (row, slot) in enumerate(zip(rows, slots, strict=True)):
            reason = skip_reason(row, suppressed)
            if reason:
                claims.finish(row.id, token, RecipientStatus.SKIPPED, reason=reason)
                continue
            if not _wait_for(slot, sleep):
                claims.release([r.id for r in rows[index:]], token)
                return f"sent {sent}; rate limit full, rest released"
            try:
                message = composer.build(row.contact_id, row.email, row.name, recipient_id=row.id)
            except (ValueError, TypeError) as error:  # e.g. a line break in a header value
                reason = f"the message could not be built: {error}"[:500]
                claims.finish(row.id, token, RecipientStatus.FAILED, reason=reason)
                continue
            try:
                courier.deliver(
                    message,
                    row.email,
                    functools.partial(_hand_over, row, token),
                    envelope_from=verp.return_path(row.id),
                )
            except ConnectionDown as error:
                claims.release([r.id for r in rows[index:]], token)
                held = outcomes.hold(dist_id, str(error))
                schedule_check(dist_id, held.hold_until or clock.now())
                return f"sent {sent}; mail server unreachable"
            except RelayRefused as error:
                claims.release([r.id for r in rows[index:]], token)
                outcomes.pause_itself(dist_id, str(error))
                return f"sent {sent}; paused: {error}"
            except Withdrawn:
                continue
            except MailError as error:
                counts = outcomes.record_failure(
                    dist_id, row.id, row.email, row.attempts + 1, token, error
                )
                if counts and outcomes.count_error(dist_id, str(error)):
                    claims.release([r.id for r in rows[index + 1 :]], token)
                    return f"sent {sent}; paused: too many failures in a row"
                failing = failing or counts
                continue
            claims.finish(
                row.id, token, RecipientStatus.SENT, sent_at=clock.now(), attempts=row.attempts + 1
            )
            if sent == 0:
                outcomes.clear_hold(dist_id)
            if failing or sent == 0:
                outcomes.reset_errors(dist_id)
                failing = False
            sent += 1
    return f"sent {sent} of {len(rows)} claimed"


def _hand_over(row: Row, token: str) -> bool:
    return claims.hand_over(row.id, token, clock.now())


def _wait_for(slot: datetime, sleep: Sleep) -> bool:
    """Sleep until the rate-limit slot; False if it is too far off to keep the claim."""
    wait = (slot - clock.now()).total_seconds()
    if wait > lease().total_seconds() / 2:
        return False
    if wait > 0:
        sleep(wait)
    return True


def start_chains(distribution_id: int) -> bool:
    """Enqueue the first tasks of a distribution; False if the queue is unreachable."""
    reached = [enqueue(SEND_TASK, distribution_id) for _ in range(_setting("PARALLELISM"))]
    if any(reached):
        db.session.execute(
            update(Distribution)
            .where(Distribution.id == distribution_id)
            .values(enqueued_at=clock.now())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
    return any(reached)
