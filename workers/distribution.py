"""Tasks that send distributions; each takes an id and is safe to run any number of times."""

from __future__ import annotations

from celery import shared_task

from campaign.distribution import engine, sweeps


@shared_task(name=engine.SEND_TASK)
def send(distribution_id: int) -> str:
    """Send one batch of a distribution (enqueuing the next one first) or wait for its time."""
    return engine.step(distribution_id)


@shared_task(name="distribution.sweep")
def sweep() -> int:
    """Periodic: re-enqueue active distributions whose work was lost."""
    return sweeps.sweep()


@shared_task(name="distribution.run_due_checks")
def run_due_checks() -> int:
    """Periodic, every few seconds: step the distributions whose wait is over (instead of
    ETA tasks held in a worker, which do not survive a Redis outage)."""
    return sweeps.run_due_checks()
