"""Rendered PDFs kept for reuse, and the jobs that render large ones in a worker."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from campaign import clock
from campaign.dbtypes import UTCDateTime, enum_column, not_negative
from campaign.enums import LabeledEnum
from campaign.extensions import Model
from campaign.jobs import JobColumns
from campaign.statements.models import StatementVersion


class CachedPdf(Model):
    """One rendered PDF, found again by the hash of everything that shaped it.

    The cache lives in the database rather than in files under the instance folder because
    the web processes and the workers that read it may run on different machines with no
    shared disk, while all of them share the database; a row also commits atomically, so a
    half-written PDF can never be served, and tests see it on SQLite and PostgreSQL alike.
    """

    __tablename__ = "cached_pdfs"
    __table_args__ = not_negative("size")

    id: Mapped[int] = mapped_column(primary_key=True)
    cache_key: Mapped[str] = mapped_column(String(64), unique=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    # Pruning keeps the newest few renders of a version (pdfs.services), by version.
    version_id: Mapped[int] = mapped_column(ForeignKey("statement_versions.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)


class PdfJobKind(LabeledEnum):
    LETTER = "letter"
    VERSIONS_ZIP = "versions_zip"


class PdfJob(JobColumns, Model):
    """A render too large for a web request, done by a worker while the requester watches.

    The result is stored on the row (the web process that offers it may not share a disk
    with the worker that made it). `steps_done`/`steps_total` drive the progress page;
    `enqueued_at` (unset while the broker could not be reached) and `claimed_at` let the
    periodic sweep re-send a lost task and hand a job whose worker died to another one.
    """

    __tablename__ = "pdf_jobs"
    __table_args__ = not_negative("steps_done", "steps_total", "size")

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[PdfJobKind] = mapped_column(enum_column(PdfJobKind))
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("statement_versions.id"))
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    steps_done: Mapped[int] = mapped_column(default=0)
    steps_total: Mapped[int] = mapped_column(default=1)
    filename: Mapped[str] = mapped_column(String(200), default="")
    mime_type: Mapped[str] = mapped_column(String(60), default="application/pdf")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    size: Mapped[int] = mapped_column(default=0)
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))

    version: Mapped[StatementVersion | None] = relationship()

    @property
    def percent(self) -> int:
        return round(100 * self.steps_done / self.steps_total) if self.steps_total else 0
