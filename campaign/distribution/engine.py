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
from campaign.courier.delivery import (
    ConnectionDown,
    Courier,
    RelayRefused,
    open_couriers,
    stage_all,
)
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
    release_unreleased()
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
        _release_after_reconnect(dist_id, ids, token)
        raise
    wakeup = claims.next_wakeup(dist_id, clock.now(), lease())
    if wakeup is None:
        return f"{outcome}; {finish_if_done(dist)}"  # the last batch finishes at once
    schedule_check(dist_id, wakeup)  # retries wait their backoff, not a claim's lease
    return outcome


# Claims of batches whose database connection broke, not yet given back (this process's).
_unreleased: list[tuple[int, list[int], str]] = []


def _release_after_reconnect(distribution_id: int, ids: list[int], token: str) -> None:
    """The database connection broke mid-batch: give back, on a fresh connection (the pool
    pre-pings), the claimed rows never handed over, so they need not wait for the lease.
    Rows handed over are left to `recover`. If the database is still away, the claims are
    kept here and given back by this process's next task that reaches the database
    (`release_unreleased`), so a restart of the database costs a few seconds, not a lease."""
    _unreleased.append((distribution_id, ids, token))
    release_unreleased()


def release_unreleased() -> None:
    """Give back the claims of broken batches once the database answers again, and have
    their distributions stepped at the next due check."""
    while _unreleased:
        distribution_id, ids, token = _unreleased[0]
        db.session.rollback()
        try:
            claims.release(ids, token)
            schedule_check(distribution_id, clock.now())
        except DBAPIError as error:
            db.session.rollback()
            log.warning("claims of a broken batch wait for the database: %s", error)
            return
        _unreleased.pop(0)
        log.info("gave back %d claim(s) of a batch cut off from the database", len(ids))


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


@dataclass(frozen=True)
class _Staged:
    """A recipient's message staged on a courier, waiting for its group's hand-over."""

    row: Row
    courier: Courier


@dataclass(frozen=True)
class _Stop:
    """Why a batch stops early."""

    reason: str


@dataclass
class _Batch:
    """What sending one claimed batch keeps between rows and groups."""

    dist_id: int
    token: str
    composer: Composer
    suppressed: set[str]
    sent: int = 0
    failing: bool = False


def _send_batch(dist: Distribution, token: str, ids: list[int], sleep: Sleep) -> str:
    """Send the claimed rows in groups, one message per SMTP session of the group (each
    commit expires `dist`, so its id is kept).

    A group's messages are staged side by side, all but their final lines, the sessions'
    commands interleaved; then the group is handed over with one commit, the final lines go
    out, the answers are read and the sent rows recorded with one more statement. So n
    messages cost two commits and about four SMTP round trips of waiting, not 2n and 4n.
    """
    rows = _load(ids)
    batch = _Batch(
        dist.id,
        token,
        Composer.for_distribution(dist),
        suppressed_among(row.email for row in rows),
    )
    limits = {
        "global": _setting("RATE_PER_MINUTE"),
        f"distribution:{dist.id}": dist.rate_per_minute or 0,
    }
    slots = slots_for(limits, len(rows))
    db.session.commit()  # no connection held while talking SMTP: the pool pre-pings each
    with open_couriers(current_app.config, _setting("SMTP_SESSIONS")) as couriers:
        stop = _send_rows(batch, couriers, list(zip(rows, slots, strict=True)), sleep)
    if stop:
        claims.release(ids, token)  # only rows still claimed and never handed over
        return f"sent {batch.sent}; {stop.reason}"
    return f"sent {batch.sent} of {len(rows)} claimed"


def _send_rows(
    batch: _Batch, couriers: list[Courier], due: list[tuple[Row, datetime]], sleep: Sleep
) -> _Stop | None:
    """Prepare each row's message at its rate-limit slot and send them a group at a time."""
    ready: list[tuple[Row, bytes]] = []
    for row, slot in due:
        wait = (slot - clock.now()).total_seconds()
        if wait > lease().total_seconds() / 2:
            return _Stop("rate limit full, rest released")
        if wait > 0:
            stop = _send_group(batch, couriers, ready)  # what is ready leaves at its slot
            ready = []
            if stop:
                return stop
            sleep(wait)
        message = _prepare(batch, row)
        if message is not None:
            ready.append((row, message))
        if len(ready) == len(couriers):
            stop = _send_group(batch, couriers, ready)
            ready = []
            if stop:
                return stop
    return _send_group(batch, couriers, ready)


def _prepare(batch: _Batch, row: Row) -> bytes | None:
    """The row's message, or None once the row is settled (skipped, or unbuildable)."""
    reason = skip_reason(row, batch.suppressed)
    if reason:
        claims.finish(row.id, batch.token, RecipientStatus.SKIPPED, reason=reason)
        return None
    try:
        return batch.composer.build(row.contact_id, row.email, row.name, recipient_id=row.id)
    except (ValueError, TypeError) as error:  # e.g. a line break in a header value
        reason = f"the message could not be built: {error}"[:500]
        claims.finish(row.id, batch.token, RecipientStatus.FAILED, reason=reason)
        return None


def _send_group(
    batch: _Batch, couriers: list[Courier], ready: list[tuple[Row, bytes]]
) -> _Stop | None:
    """Stage the ready messages side by side, record the rows refused on the way, and hand
    the staged ones over (see `_hand_over`); returns why the batch must stop, if it must."""
    pairs = list(zip(couriers, ready, strict=False))
    errors = stage_all(
        [
            (courier, message, row.email, verp.return_path(row.id))
            for courier, (row, message) in pairs
        ]
    )
    staged: list[_Staged] = []
    stop: _Stop | None = None
    for (courier, (row, _)), error in zip(pairs, errors, strict=True):
        if error is None:
            staged.append(_Staged(row, courier))
        else:
            stop = _refused(batch, row, error) or stop
    return _hand_over(batch, staged) or stop


def _refused(batch: _Batch, row: Row, error: MailError) -> _Stop | None:
    """A staging failed: the server is away (hold), the relay refuses us (pause), or this
    recipient failed (see outcomes.py)."""
    if isinstance(error, ConnectionDown):
        held = outcomes.hold(batch.dist_id, str(error))
        schedule_check(batch.dist_id, held.hold_until or clock.now())
        return _Stop("mail server unreachable")
    if isinstance(error, RelayRefused):
        outcomes.pause_itself(batch.dist_id, str(error))
        return _Stop(f"paused: {error}")
    return _failed(batch, row, error)


def _hand_over(batch: _Batch, group: list[_Staged]) -> _Stop | None:
    """Hand the staged messages over with one commit, send their final lines at once, read
    the answers and record them: the sent rows with one statement, failures one by one."""
    if not group:
        return None
    handed = claims.hand_over_many([s.row.id for s in group], batch.token, clock.now())
    errors: dict[int, MailError] = {}
    for staged in group:  # the final lines first: the loss window stays a few writes long
        if staged.row.id in handed:
            try:
                staged.courier.release()
            except MailError as error:
                errors[staged.row.id] = error
    for staged in group:
        if staged.row.id not in handed:
            staged.courier.withdraw()  # the claim was taken away: nothing is delivered
        elif staged.row.id not in errors:
            try:
                staged.courier.confirm(staged.row.email)
            except MailError as error:
                errors[staged.row.id] = error
    delivered = [s.row.id for s in group if s.row.id in handed and s.row.id not in errors]
    if delivered:
        _record_sent(batch, delivered)
    stops = [_failed(batch, s.row, errors[s.row.id]) for s in group if s.row.id in errors]
    return next((stop for stop in stops if stop), None)


def _record_sent(batch: _Batch, ids: list[int]) -> None:
    """The server took these messages: one statement for all, and the outage and the run of
    failures, if any, are over."""
    claims.finish_many(
        ids, batch.token, RecipientStatus.SENT, sent_at=clock.now(), attempts=Recipient.attempts + 1
    )
    if batch.sent == 0:
        outcomes.clear_hold(batch.dist_id)
    if batch.failing or batch.sent == 0:
        outcomes.reset_errors(batch.dist_id)
        batch.failing = False
    batch.sent += len(ids)


def _failed(batch: _Batch, row: Row, error: MailError) -> _Stop | None:
    """Record one recipient's failed attempt; a stop when the failures in a row pause."""
    counts = outcomes.record_failure(
        batch.dist_id, row.id, row.email, row.attempts + 1, batch.token, error
    )
    if counts and outcomes.count_error(batch.dist_id, str(error)):
        return _Stop("paused: too many failures in a row")
    batch.failing = batch.failing or counts
    return None


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
