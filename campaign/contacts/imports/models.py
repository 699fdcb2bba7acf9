"""Import steps too large for a web request, done by a worker while the uploader watches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign import clock
from campaign.dbtypes import UTCDateTime
from campaign.enums import LabeledEnum
from campaign.extensions import db
from campaign.jobs import JobStatus
from campaign.statements.models import _enum  # one enum-column definition


class ImportJobKind(LabeledEnum):
    CHECK = "check"
    COMMIT = "commit"


class ContactImportJob(db.Model):
    """Checking every line of a large upload, or writing it, in a worker.

    The upload itself stays in the import folder (imports.store) under `token`; the row holds
    the choices of the commit step, the progress the page polls, and the outcome.
    `enqueued_at` (unset while the broker could not be reached) and `claimed_at` let the
    periodic sweep re-send a lost task and hand a job whose worker died to another one.
    """

    __tablename__ = "contact_import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportJobKind] = mapped_column(_enum(ImportJobKind))
    status: Mapped[JobStatus] = mapped_column(
        _enum(JobStatus), default=JobStatus.QUEUED, index=True
    )
    token: Mapped[str] = mapped_column(String(40), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(200), default="")
    on_duplicate: Mapped[str] = mapped_column(String(10), default="merge")
    skip_invalid: Mapped[bool] = mapped_column(default=False)
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int] = mapped_column(default=0)
    stage: Mapped[str] = mapped_column(String(120), default="Waiting for a worker")
    summary: Mapped[str] = mapped_column(String(500), default="")
    error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0

    @property
    def active(self) -> bool:
        return self.status in {JobStatus.QUEUED, JobStatus.RUNNING}
