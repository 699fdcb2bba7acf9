"""Tasks of notifications: the periodic sweep for goals and deadlines."""

from __future__ import annotations

from celery import shared_task

from campaign.notify import sweep as notify_sweep


@shared_task(name="notify.sweep")
def sweep() -> int:
    """Periodic: tell authors about sign-on goals reached and deadlines within a day."""
    return notify_sweep.sweep()
