"""Import steps too large for a web request, done by a worker while the uploader watches."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from campaign.dbtypes import enum_column, not_negative
from campaign.enums import LabeledEnum
from campaign.extensions import Model
from campaign.jobs import JobColumns


class ImportJobKind(LabeledEnum):
    CHECK = "check"
    COMMIT = "commit"


class ContactImportJob(JobColumns, Model):
    """Checking every line of a large upload, or writing it, in a worker.

    The upload itself stays in the import folder (imports.store) under `token`; the row holds
    the choices of the commit step, the progress the page polls, and the outcome.
    """

    __tablename__ = "contact_import_jobs"
    __table_args__ = not_negative("rows_done", "rows_total")

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportJobKind] = mapped_column(enum_column(ImportJobKind))
    token: Mapped[str] = mapped_column(String(40), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(200), default="")
    on_duplicate: Mapped[str] = mapped_column(String(10), default="merge")
    skip_invalid: Mapped[bool] = mapped_column(default=False)
    rows_done: Mapped[int] = mapped_column(default=0)
    rows_total: Mapped[int] = mapped_column(default=0)
    summary: Mapped[str] = mapped_column(String(500), default="")

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.rows_done / self.rows_total)) if self.rows_total else 0
