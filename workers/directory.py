"""Tasks of the coalition directory: recruitment reminders before sign-on deadlines."""

from __future__ import annotations

from celery import shared_task

from campaign.directory.reminders import send_reminders


@shared_task(name="directory.send_reminders")
def reminders() -> int:
    """Periodic: remind invited organizations that have not answered, once per step."""
    return send_reminders()
