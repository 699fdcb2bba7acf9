"""Tasks that check and write large contact imports (see campaign.contacts.imports.jobs)."""

from __future__ import annotations

from celery import shared_task

from campaign.contacts.imports import jobs


@shared_task(name="contacts.run_import_job")
def run_import_job(job_id: int) -> bool:
    """Check or write one large import; safe to run twice because the job row is claimed first."""
    return jobs.run_job(job_id)


@shared_task(name="contacts.requeue_stale_imports")
def requeue_stale_imports() -> int:
    """Periodic: enqueue import jobs whose task was lost or whose worker died."""
    return jobs.requeue_stale()
