"""The beat sweep that publishes embargoed releases at their lift."""

from __future__ import annotations

from celery import shared_task

from campaign.embargo.services import publish_due


@shared_task(name="embargo.publish_due")
def publish_due_task() -> int:
    """Periodic: publish every scheduled publication whose time has come (missed ones too).

    Driven by rows in the database rather than a countdown task, so it survives restarts
    and catches up after the workers were down; running it twice publishes nothing twice.
    """
    return publish_due()
