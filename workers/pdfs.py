"""Tasks that render large PDFs and zips of versions (see campaign.pdfs.jobs)."""

from __future__ import annotations

from celery import shared_task

from campaign.pdfs import jobs


@shared_task(name="pdfs.run_job")
def run_job(job_id: int) -> bool:
    """Render one PdfJob; safe to run twice because the job row is claimed first."""
    return jobs.run_job(job_id)


@shared_task(name="pdfs.requeue_stale")
def requeue_stale() -> int:
    """Periodic: enqueue jobs whose task was lost or whose worker died."""
    return jobs.requeue_stale()
