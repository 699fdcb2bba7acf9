"""The periodic bounce reader."""

from __future__ import annotations

from celery import shared_task

from campaign.bounces.reader import read_configured


@shared_task(name="bounces.read")
def read() -> int:
    """Periodic: read the bounce mailbox(es) and record what bounced."""
    return read_configured()
