"""What staff read about a distribution: honest status text, live progress, the CSV report."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from campaign.distribution import waiting
from campaign.distribution.claims import counts
from campaign.distribution.models import (
    ACTIVE,
    Distribution,
    DistributionStatus,
    Recipient,
    RecipientStatus,
)
from campaign.distribution.waiting import QUEUE_UNAVAILABLE as QUEUE_UNAVAILABLE
from campaign.distribution.waiting import counts_due
from campaign.extensions import db
from campaign.pagination import Page, paginate

RECIPIENTS_PER_PAGE = 100
CSV_HEADER = ("email", "name", "status", "reason", "attempts", "retried", "sent_at")


def status_text(status: DistributionStatus, counted: dict[RecipientStatus, int]) -> str:
    """Like "finished: 9,812 sent, 154 failed, 34 skipped": failures are always named, and
    the parts always add up to the recipients (rows still in flight are named even after a
    cancel, until their worker or the sweep settles them)."""
    parts = [
        f"{counted[RecipientStatus.SENT]:,} sent",
        f"{counted[RecipientStatus.FAILED]:,} failed",
        f"{counted[RecipientStatus.SKIPPED]:,} skipped",
    ]
    if counted[RecipientStatus.UNCONFIRMED]:
        parts.append(f"{counted[RecipientStatus.UNCONFIRMED]:,} possibly delivered")
    if counted.get(RecipientStatus.BOUNCED):
        parts.append(f"{counted[RecipientStatus.BOUNCED]:,} bounced later")
    remaining = counted[RecipientStatus.QUEUED] + counted[RecipientStatus.SENDING]
    if status in ACTIVE or status is DistributionStatus.PAUSED:
        parts.append(f"{remaining:,} remaining")
    elif remaining:
        parts.append(f"{remaining:,} still in flight")
    return f"{status.label.lower()}: {', '.join(parts)}"


@dataclass(frozen=True)
class Progress:
    status: DistributionStatus
    counts: dict[RecipientStatus, int]
    text: str
    note: str

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def remaining(self) -> int:
        return self.counts[RecipientStatus.QUEUED] + self.counts[RecipientStatus.SENDING]

    @property
    def failed(self) -> int:
        return self.counts[RecipientStatus.FAILED]

    @property
    def possibly_delivered(self) -> int:
        return self.counts[RecipientStatus.UNCONFIRMED]

    def segments(self) -> list[tuple[str, float]]:
        """(status, percent of all recipients) for the bar, in drawing order."""
        shown = (
            RecipientStatus.SENT,
            RecipientStatus.UNCONFIRMED,
            RecipientStatus.FAILED,
            RecipientStatus.BOUNCED,
            RecipientStatus.SKIPPED,
        )
        total = self.total or 1
        return [(status.value, round(100 * self.counts[status] / total, 2)) for status in shown]

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "text": self.text,
            "note": self.note,
            "total": self.total,
            "remaining": self.remaining,
            "counts": {status.value: number for status, number in self.counts.items()},
            "done": self.status not in ACTIVE,
        }


def _note(dist: Distribution) -> str:
    """Why the distribution is not sending right now, if it is not (see waiting.py)."""
    return waiting.explain(dist, counts_due(dist.id))


def progress(dist: Distribution) -> Progress:
    counted = counts(dist.id)
    return Progress(dist.status, counted, status_text(dist.status, counted), _note(dist))


def report_rows(dist: Distribution) -> Iterator[tuple[Any, ...]]:
    """One row per recipient, in the order they were added, for the CSV export."""
    query = (
        select(
            Recipient.email,
            Recipient.name,
            Recipient.status,
            Recipient.reason,
            Recipient.attempts,
            Recipient.retried,
            Recipient.sent_at,
        )
        .where(Recipient.distribution_id == dist.id)
        .order_by(Recipient.id)
    )
    for email, name, status, reason, attempts, retried, sent_at in db.session.execute(query):
        stamp = sent_at.strftime("%Y-%m-%d %H:%M:%S UTC") if sent_at else ""
        yield email, name, status.value, reason, attempts, retried, stamp


def recipients_page(dist: Distribution, status: str = "", page: int = 1) -> Page[Recipient]:
    """One page of recipients (optionally of one status), in the order they were added."""
    query = select(Recipient).where(Recipient.distribution_id == dist.id)
    if status in {s.value for s in RecipientStatus}:
        query = query.where(Recipient.status == RecipientStatus(status))
    return paginate(query.order_by(Recipient.id), page, RECIPIENTS_PER_PAGE)


def distributions_page(page: int) -> Page[Distribution]:
    """One page of distributions, newest first."""
    return paginate(select(Distribution).order_by(Distribution.id.desc()), page)
