"""Rendered PDFs kept for reuse, and the jobs that render large ones in a worker."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from campaign import clock
from campaign.dbtypes import UTCDateTime
from campaign.extensions import db


class CachedPdf(db.Model):
    """One rendered PDF, found again by the hash of everything that shaped it.

    The cache lives in the database rather than in files under the instance folder because
    the web processes and the workers that read it may run on different machines with no
    shared disk, while all of them share the database; a row also commits atomically, so a
    half-written PDF can never be served, and tests see it on SQLite and PostgreSQL alike.
    """

    __tablename__ = "cached_pdfs"

    id: Mapped[int] = mapped_column(primary_key=True)
    cache_key: Mapped[str] = mapped_column(String(64), unique=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"), index=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("statement_versions.id"))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
