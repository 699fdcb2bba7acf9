"""Signed roots of letters, and organizations' verified domains."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from campaign import clock
from campaign.dbtypes import UTCDateTime
from campaign.extensions import Model


class SignedRoot(Model):
    """One signed state of a letter's signatory list; never updated, only added.

    (statement, sequence) is unique, so two processes that both try to extend a letter's
    chain cannot fork it: one insert fails and that process reads the chain again.
    `leaves` keeps the exact canonical leaf texts so receipts can be made later, and
    `signature_ids` says which signature each leaf (after the first, the text) stands for.
    """

    __tablename__ = "signed_roots"
    __table_args__ = (UniqueConstraint("statement_id", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id"))
    sequence: Mapped[int]
    event: Mapped[str] = mapped_column(String(20))
    version_id: Mapped[int] = mapped_column(ForeignKey("statement_versions.id"))
    delivery_id: Mapped[int | None] = mapped_column(ForeignKey("deliveries.id"), unique=True)
    head: Mapped[dict[str, Any]] = mapped_column(JSON)
    signature: Mapped[str] = mapped_column(String(200))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    root_hash: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(64))
    tree_size: Mapped[int]
    leaves: Mapped[list[str]] = mapped_column(JSON)
    signature_ids: Mapped[list[int]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)

    @property
    def signatory_count(self) -> int:
        return self.tree_size - 1


class DomainVerification(Model):
    """Proof that whoever confirms from `email_key` controls `domain`, reusable across letters.

    `method` is "dns" or "well-known"; the token is what they publish. Verification by the
    confirming address's own domain needs no row (it is read from each signature).
    """

    __tablename__ = "domain_verifications"
    __table_args__ = (UniqueConstraint("domain", "email_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(253))
    email_key: Mapped[str] = mapped_column(String(254))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    method: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=clock.now)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_result: Mapped[str] = mapped_column(Text, default="")
