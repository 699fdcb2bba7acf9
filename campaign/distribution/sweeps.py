"""Periodic work on distributions, run by beat: stepping the ones whose wait is over,
restarting the ones whose work was lost, and settling expired claims everywhere.

Waiting is done here rather than with delayed (ETA) tasks held by a worker: those do not
survive a Redis outage (see engine.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from campaign import clock
from campaign.distribution import claims
from campaign.distribution.engine import SEND_TASK, lease, start_chains
from campaign.distribution.models import ACTIVE, Distribution, Recipient, RecipientStatus
from campaign.extensions import db
from campaign.jobs import enqueue
from campaign.rowcount import rowcount


def run_due_checks() -> int:
    """Periodic: enqueue a step for each active distribution whose check has come due.

    The check is cleared in the same conditional UPDATE that selects it, so two beats (or
    two sweeps) enqueue it once; if the broker is down the check stays for the next beat.
    """
    now = clock.now()
    due = db.session.scalars(
        select(Distribution.id).where(
            Distribution.status.in_(ACTIVE), Distribution.check_due_at <= now
        )
    ).all()
    started = 0
    for distribution_id in due:
        if enqueue(SEND_TASK, distribution_id):
            started += rowcount(
                db.session.execute(
                    update(Distribution)
                    .where(Distribution.id == distribution_id, Distribution.check_due_at <= now)
                    .values(check_due_at=None)
                    .execution_options(synchronize_session=False)
                )
            )
            db.session.commit()
    return started


def sweep(idle: timedelta = timedelta(minutes=2)) -> int:
    """Periodic: enqueue active distributions that nobody has worked on lately.

    Covers a broker that was down when a distribution was created, tasks lost with a dead
    worker, and delayed checks lost with a restarted Redis.
    """
    now = clock.now()
    _recover_everywhere(now)
    stale = select(Distribution.id).where(
        Distribution.status.in_(ACTIVE),
        or_(Distribution.active_at.is_(None), Distribution.active_at < now - idle),
        or_(Distribution.check_due_at.is_(None), Distribution.check_due_at < now - idle),
    )
    return sum(start_chains(distribution_id) for distribution_id in db.session.scalars(stale))


def _recover_everywhere(now: datetime) -> None:
    """Resolve expired claims in every distribution, paused and cancelled ones included,
    so no row stays in "sending" past the lease whatever happened to its worker."""
    cutoff = now - lease()
    stale = select(Recipient.distribution_id).where(
        Recipient.status == RecipientStatus.SENDING, Recipient.claimed_at < cutoff
    )
    for distribution_id in db.session.scalars(stale.distinct()).all():
        claims.recover(distribution_id, now, lease())
