"""Tasks that send queued single emails."""

from __future__ import annotations

from celery import shared_task

from campaign.mail.services import requeue_stale, send_queued
from campaign.mail.transport import TransientMailError


@shared_task(
    name="mail.send",
    bind=True,
    autoretry_for=(TransientMailError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
)
def send(self: object, mail_id: int) -> bool:
    """Send one OutgoingMail; safe to run twice because sending claims the row first."""
    return send_queued(mail_id)


@shared_task(name="mail.requeue_stale")
def requeue() -> int:
    """Periodic: enqueue messages whose task was lost (broker down when they were queued)."""
    return requeue_stale()
