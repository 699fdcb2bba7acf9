"""Tasks of the sign-on feature: asking signers to reconfirm a materially changed text."""

from __future__ import annotations

from celery import shared_task

from campaign.jobs import enqueue
from campaign.signon.versions import (
    RECONFIRM_TASK,
    request_reconfirmations,
    statements_awaiting_reconfirmation,
)


@shared_task(name=RECONFIRM_TASK)
def reconfirmations(statement_id: int) -> int:
    """Queue the reconfirmation mails of one statement; each signer is mailed once."""
    return request_reconfirmations(statement_id)


@shared_task(name="signon.sweep_reconfirmations")
def sweep() -> int:
    """Periodic: re-enqueue statements whose reconfirmation task was lost."""
    return sum(enqueue(RECONFIRM_TASK, sid) for sid in statements_awaiting_reconfirmation())
