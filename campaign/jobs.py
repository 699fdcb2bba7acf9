"""Handing work to Celery, and the bookkeeping every job table shares.

Services name tasks by string, so `campaign` never imports `workers` (which imports
`campaign`). If the broker is down the caller learns it from the return value: the work is
already in the database and a periodic sweep will enqueue it again.

A job table (PDF renders, contact imports) is a model with `JobColumns`; the helpers below
claim such a row with a conditional UPDATE, so a task delivered twice runs once, and re-send
tasks that were lost.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from kombu.exceptions import OperationalError
from sqlalchemy import ColumnElement, String, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column

from campaign import clock
from campaign.dbtypes import UTCDateTime, enum_column
from campaign.enums import LabeledEnum
from campaign.extensions import db
from campaign.rowcount import rowcount

log = logging.getLogger(__name__)


class JobStatus(LabeledEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
NO_WORKER_AFTER = timedelta(minutes=2)  # a queued job waiting longer names the likely cause


class JobColumns:
    """The state every job row keeps for the sweep and the progress page.

    `enqueued_at` (unset while the broker could not be reached) and `claimed_at` let the
    periodic sweep re-send a lost task and hand a job whose worker died to another one.
    """

    status: Mapped[JobStatus] = mapped_column(
        enum_column(JobStatus), default=JobStatus.QUEUED, index=True
    )
    stage: Mapped[str] = mapped_column(String(120), default="Waiting for a worker")
    error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def wait_note(self) -> str:
        """Why a queued job has not started, when it has waited long enough to ask."""
        if self.status is not JobStatus.QUEUED:
            return ""
        if self.enqueued_at is None:
            return "The job queue is unavailable right now; the job starts when it is back."
        waited = clock.now() - self.enqueued_at
        if waited < NO_WORKER_AFTER:
            return ""
        minutes = int(waited.total_seconds() // 60)
        return f"No worker has taken this job for {minutes} minutes: is a worker running?"


def enqueue(task_name: str, *args: Any, countdown: float | None = None) -> bool:
    """Send `task_name(*args)` to the queue; False if the broker could not be reached."""
    celery = current_app.extensions["celery"]
    try:
        celery.tasks[task_name].apply_async(args=args, countdown=countdown)
    except (OperationalError, ConnectionError, TimeoutError) as error:
        log.warning("could not enqueue %s%r: %s", task_name, args, error)
        return False
    return True


def enqueue_job(job: Any, task_name: str) -> bool:
    """Send the job's task, noting when, so the sweep knows which tasks may have been lost."""
    sent = enqueue(task_name, job.id)
    if sent:
        job.enqueued_at = clock.now()
        db.session.commit()
    return sent


def active_job(model: Any, *criteria: ColumnElement[bool]) -> Any:
    """A queued or running job matching `criteria`, so a second request joins it."""
    return db.session.scalar(select(model).where(*criteria, model.status.in_(ACTIVE)))


def claim_job(model: Any, job_id: int, **values: Any) -> bool:
    """Move the job from queued to running; False if another task already has it."""
    claimed = db.session.execute(
        update(model)
        .where(model.id == job_id, model.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, claimed_at=clock.now(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return rowcount(claimed) == 1


def finish_job(job: Any, status: JobStatus, **values: Any) -> None:
    """Record the job's outcome and when it came."""
    for name, value in values.items():
        setattr(job, name, value)
    job.status = status
    job.finished_at = clock.now()
    db.session.commit()


def requeue_stale_jobs(
    model: Any,
    task_name: str,
    *,
    stale_queued: timedelta,
    stale_running: timedelta,
    **restart_values: Any,
) -> int:
    """Enqueue jobs whose task was lost (broker down) or whose worker died; returns how many.

    A running job past `stale_running` is put back to queued first (with `restart_values`),
    so the new task can claim it. A queued job is sent again only if it never reached the
    broker or waited `stale_queued` since, so a long backlog is not multiplied every minute.
    """
    now = clock.now()
    db.session.execute(
        update(model)
        .where(model.status == JobStatus.RUNNING, model.claimed_at < now - stale_running)
        .values(status=JobStatus.QUEUED, enqueued_at=None, **restart_values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    stale = db.session.scalars(
        select(model).where(
            model.status == JobStatus.QUEUED,
            or_(model.enqueued_at.is_(None), model.enqueued_at < now - stale_queued),
        )
    ).all()
    return sum(enqueue_job(job, task_name) for job in stale)


def requeue_rows_left_in(model: Any, status: Any, task_name: str, older_than: timedelta) -> int:
    """Enqueue `task_name(id)` for rows of `model` still in `status` after `older_than`: their
    task was lost (broker down, worker gone), and the task itself is safe to run twice."""
    cutoff = clock.now() - older_than
    stale = select(model.id).where(model.status == status, model.created_at < cutoff)
    return sum(enqueue(task_name, row_id) for row_id in db.session.scalars(stale).all())
