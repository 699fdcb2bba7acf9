"""Tasks that send queued single emails.

No Celery retries: a failed attempt writes its own next try on the row (see
campaign.mail.services), and the sweep enqueues it when due.
"""

from __future__ import annotations

from celery import shared_task

from campaign.mail.services import requeue_stale, send_queued


@shared_task(name="mail.send")
def send(mail_id: int) -> bool:
    """Send one OutgoingMail; safe to run twice because sending claims the row first."""
    return send_queued(mail_id)


@shared_task(name="mail.requeue_stale")
def requeue() -> int:
    """Periodic: settle expired claims and enqueue the messages that are due."""
    return requeue_stale()
