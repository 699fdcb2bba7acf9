"""Tasks that deliver coalition letters to their targets."""

from __future__ import annotations

from celery import shared_task

from campaign.targets.delivery import deliver_due_deadlines, requeue_stale
from campaign.targets.preparing import prepare_delivery


@shared_task(name="targets.deliver")
def deliver(delivery_id: int) -> int:
    """Render and queue one delivery's emails; safe to run twice (the delivery is claimed)."""
    return prepare_delivery(delivery_id)


@shared_task(name="targets.sweep")
def sweep() -> int:
    """Periodic: deliver letters whose sign-on deadline has passed, and retry lost deliveries."""
    return len(deliver_due_deadlines()) + requeue_stale()
