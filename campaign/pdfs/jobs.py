"""Large renders as worker jobs: a letter with hundreds of signatories, or every version at once.

The web request only writes a `PdfJob` row and enqueues its id; the worker claims the row
with a conditional UPDATE (so a duplicate task does nothing), reports each step on the row
for the progress page, and stores the file on it. If the broker was down, or the worker died
mid-render, the periodic sweep enqueues the job again.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from campaign.auth.models import User
from campaign.extensions import db
from campaign.jobs import (
    JobStatus,
    active_job,
    claim_job,
    enqueue_job,
    finish_job,
    requeue_stale_jobs,
)
from campaign.pdfs import services
from campaign.pdfs.marking import staff_watermark
from campaign.pdfs.models import PdfJob, PdfJobKind
from campaign.statements.models import Statement, StatementVersion

log = logging.getLogger(__name__)

TASK = "pdfs.run_job"
STALE_QUEUED = timedelta(minutes=2)
STALE_RUNNING = timedelta(minutes=30)
LETTER_STEPS = ("Collecting signatories", "Laying out pages", "Writing pages", "Storing the PDF")


def request_job(
    kind: PdfJobKind,
    statement: Statement,
    version: StatementVersion | None,
    requester: User | None,
) -> tuple[PdfJob, bool]:
    """The job for this render, reusing one already under way; and whether it was enqueued.

    Reuse keeps a press officer who clicks twice (or two colleagues) from rendering the same
    2,000-name letter twice in parallel.
    """
    version_id = version.id if version else None
    job = active_job(
        PdfJob,
        PdfJob.kind == kind,
        PdfJob.statement_id == statement.id,
        PdfJob.version_id.is_(None) if version_id is None else PdfJob.version_id == version_id,
    )
    if job is not None:
        return job, True
    job = PdfJob(
        kind=kind,
        statement_id=statement.id,
        version_id=version_id,
        requested_by_id=requester.id if requester else None,
    )
    db.session.add(job)
    db.session.commit()
    return job, enqueue_job(job, TASK)


def _progress(job: PdfJob) -> Callable[[str], None]:
    def report(stage: str) -> None:
        job.stage = stage
        job.steps_done = min(job.steps_done + 1, job.steps_total - 1)
        db.session.commit()

    return report


def run_job(job_id: int) -> bool:
    """Do the job's render if it is still queued; True if this call did it."""
    if not claim_job(PdfJob, job_id, stage="Starting"):
        return False
    job = db.session.get_one(PdfJob, job_id)
    try:
        filename, mime_type, data = _RUNNERS[job.kind](job)
    except Exception as error:
        log.exception("PDF job %s failed", job_id)
        db.session.rollback()
        finish_job(job, JobStatus.FAILED, stage="Failed", error=str(error)[:500])
        return True
    finish_job(
        job,
        JobStatus.DONE,
        stage="Ready",
        filename=filename,
        mime_type=mime_type,
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        steps_done=job.steps_total,
    )
    return True


def _letter(job: PdfJob) -> tuple[str, str, bytes]:
    job.steps_total = len(LETTER_STEPS)
    report = _progress(job)
    version = db.session.get(StatementVersion, job.version_id) if job.version_id else None
    if version is None:
        raise LookupError("The job names no statement version that exists.")
    job.stage = LETTER_STEPS[0]
    db.session.commit()
    document = services.document_for_version(version, watermark=staff_watermark(version))
    rendered = services.cached_render(
        version, document, progress=report, time_limit_setting="PDF_JOB_TIME_LIMIT"
    )
    return rendered.filename, "application/pdf", rendered.data


def _versions_zip(job: PdfJob) -> tuple[str, str, bytes]:
    """Every version's PDF in one zip, one step per version."""
    statement = db.session.get_one(Statement, job.statement_id)
    version_ids = db.session.scalars(
        select(StatementVersion.id)
        .where(StatementVersion.statement_id == statement.id)
        .order_by(StatementVersion.number)
    ).all()
    job.steps_total = len(version_ids) + 1
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, version_id in enumerate(version_ids, start=1):
            version = db.session.get_one(StatementVersion, version_id)
            rendered = services.pdf_for_version(version_id, watermark=staff_watermark(version))
            archive.writestr(rendered.filename, rendered.data)
            job.steps_done, job.stage = done, f"Rendered {done} of {len(version_ids)} versions"
            db.session.commit()
    return f"{statement.slug}-all-versions.zip", "application/zip", buffer.getvalue()


_RUNNERS: dict[PdfJobKind, Callable[[PdfJob], tuple[str, str, bytes]]] = {
    PdfJobKind.LETTER: _letter,
    PdfJobKind.VERSIONS_ZIP: _versions_zip,
}


def requeue_stale() -> int:
    """Enqueue jobs whose task was lost (broker down) or whose worker died; returns how many.

    A live worker that finishes a job the sweep restarted simply overwrites the same result.
    """
    return requeue_stale_jobs(
        PdfJob,
        TASK,
        stale_queued=STALE_QUEUED,
        stale_running=STALE_RUNNING,
        stage="Restarting (worker lost)",
    )
