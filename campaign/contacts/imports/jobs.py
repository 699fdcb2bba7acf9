"""Large imports as worker jobs: the check of every line, and the write, off the web request.

A file with more lines than CONTACT_IMPORT_INLINE_ROWS would keep a request busy for tens of
seconds, so its check (for the preview) and its commit each become a `ContactImportJob` whose
id is enqueued. The rules do not change: the same `prepare` and `write` run in the worker.
The commit job is claimed with a conditional UPDATE and marked done, by another one, inside
the import's own transaction, so a duplicate task, or a slow task whose job the sweep handed
to another, never imports a file twice. The worker reads the upload from the import folder,
which web and worker processes must share.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import update

from campaign import clock
from campaign.auth.models import User
from campaign.contacts.imports import store
from campaign.contacts.imports.analysis import Analysis, Progress
from campaign.contacts.imports.models import ContactImportJob, ImportJobKind
from campaign.contacts.imports.reading import FileProblem
from campaign.contacts.imports.service import LinesInvalid, prepare
from campaign.contacts.imports.writing import ImportFailed, ImportResult, OnDuplicate, write
from campaign.extensions import db
from campaign.jobs import (
    JobStatus,
    active_job,
    claim_job,
    enqueue_job,
    finish_job,
    requeue_stale_jobs,
)
from campaign.rowcount import rowcount

log = logging.getLogger(__name__)

TASK = "contacts.run_import_job"
STALE_QUEUED = timedelta(minutes=2)
STALE_RUNNING = timedelta(minutes=30)


class Superseded(RuntimeError):
    """The sweep gave this job to another task while this one was still working on it."""


def runs_in_worker(upload: store.Upload) -> bool:
    """Whether the upload has too many lines to check or write inside a web request."""
    return upload.data().count(b"\n") > current_app.config["CONTACT_IMPORT_INLINE_ROWS"]


def request_job(
    upload: store.Upload,
    kind: ImportJobKind,
    on_duplicate: OnDuplicate = OnDuplicate.MERGE,
    skip_invalid: bool = False,
) -> tuple[ContactImportJob, bool]:
    """The job for this step of this upload, reusing one under way; and whether it was sent.

    Reuse makes a second click on "Import" (or a reload of the preview) join the job that is
    already running instead of starting another.
    """
    job = active_job(
        ContactImportJob, ContactImportJob.token == upload.token, ContactImportJob.kind == kind
    )
    if job is not None:
        return job, True
    job = ContactImportJob(
        kind=kind,
        token=upload.token,
        owner_id=upload.owner_id,
        filename=upload.filename[:200],
        on_duplicate=on_duplicate.value,
        skip_invalid=skip_invalid,
        rows_total=upload.data().count(b"\n"),
    )
    db.session.add(job)
    db.session.commit()
    return job, enqueue_job(job, TASK)


def run_job(job_id: int) -> bool:
    """Do the job's step if it is still queued; True if this call did it."""
    if not claim_job(ContactImportJob, job_id, stage="Starting"):
        return False
    job = db.session.get_one(ContactImportJob, job_id)
    assert job.claimed_at is not None, "claim_job sets it"
    try:
        if job.kind is ImportJobKind.CHECK:
            _check(job)
        else:
            _commit(job, job.claimed_at)
    except Superseded:
        log.warning("contact import job %s was taken over; this task's work was undone", job_id)
        db.session.rollback()
    except (FileProblem, ImportFailed) as problem:
        _fail(job, str(problem))
    except Exception:
        log.exception("contact import job %s failed", job_id)
        _fail(job, "An unexpected error stopped the import; nothing was saved.")
    return True


def _fail(job: ContactImportJob, reason: str) -> None:
    """Record the failure, unless a restarted twin of this job already finished it."""
    db.session.rollback()
    db.session.refresh(job)
    if job.status is JobStatus.RUNNING:
        finish_job(job, JobStatus.FAILED, stage="Failed", error=reason[:500])


def _upload(job: ContactImportJob) -> store.Upload:
    upload = store.load(job.token, job.owner_id)
    if upload is None:
        raise FileProblem("The uploaded file is gone; please upload it again.")
    return upload


def _report(job: ContactImportJob, stage: str) -> Progress:
    def progress(line: int) -> None:
        job.rows_done, job.stage = line, stage
        db.session.commit()

    return progress


def _check(job: ContactImportJob) -> None:
    """Check every line and keep the result beside the upload for the preview page."""
    upload = _upload(job)
    choices = (upload.encoding, upload.mapping)
    analysis = prepare(
        upload.data(), upload.encoding, upload.mapping, _report(job, "Checking lines")
    )
    current = _upload(job)
    if (current.encoding, current.mapping) == choices:  # not changed while we were checking
        current.keep_checked(analysis.to_json())
    finish_job(
        job,
        JobStatus.DONE,
        stage="Checked",
        rows_done=job.rows_total,
        summary=f"{analysis.lines_read:,} lines checked, {len(analysis.errors):,} with errors.",
    )


def _commit(job: ContactImportJob, claimed_at: datetime) -> None:
    """Write the checked upload; the job is marked done in the same transaction.

    `claimed_at` tells this task's claim from a later one's, should the sweep restart the job.
    """
    upload = _upload(job)
    checked = upload.checked()
    analysis = (
        Analysis.from_json(checked)
        if checked is not None
        else prepare(upload.data(), upload.encoding, upload.mapping)
    )
    if analysis.errors and not job.skip_invalid:
        raise LinesInvalid(analysis)
    job.stage = "Writing contacts"
    db.session.commit()

    def mark_done(result: ImportResult) -> None:
        """Done only if this task still holds the job, else the whole import is undone."""
        done = db.session.execute(
            update(ContactImportJob)
            .where(
                ContactImportJob.id == job.id,
                ContactImportJob.status == JobStatus.RUNNING,
                ContactImportJob.claimed_at == claimed_at,
            )
            .values(
                status=JobStatus.DONE,
                stage="Imported",
                rows_done=job.rows_total,
                summary=result.summary(),
                finished_at=clock.now(),
            )
            .execution_options(synchronize_session=False)
        )
        if rowcount(done) != 1:
            raise Superseded

    actor = db.session.get(User, job.owner_id)
    write(analysis, OnDuplicate(job.on_duplicate), actor, job.filename, on_written=mark_done)
    store.discard(upload.token)


def requeue_stale() -> int:
    """Enqueue import jobs whose task was lost or whose worker died; returns how many.

    A commit whose worker died was rolled back with it (the job is marked done only in the
    import's transaction), so running it again imports the file once.
    """
    return requeue_stale_jobs(
        ContactImportJob,
        TASK,
        stale_queued=STALE_QUEUED,
        stale_running=STALE_RUNNING,
        stage="Restarting (worker lost)",
    )
