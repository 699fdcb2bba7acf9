"""The review step before a distribution starts: who will get it, who is skipped and why,
the email exactly as one recipient gets it, and a test send to the press officer.

Everything here reads; nothing is stored. The distribution and its recipient rows are
written only by `services.create_distribution`, when staff press "Start sending".
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from flask import current_app

from campaign.audit.services import record
from campaign.courier.delivery import open_courier
from campaign.distribution.message import Composer
from campaign.distribution.mime import Attachment
from campaign.distribution.models import Distribution, RecipientStatus
from campaign.distribution.services import Request, draft, plan_recipients
from campaign.extensions import db
from campaign.pdfs.services import pdf_for_version

log = logging.getLogger(__name__)
TEST_PREFIX = "[TEST] "
SAMPLES = 50


@dataclass(frozen=True)
class Sample:
    contact_id: int
    name: str
    email: str


@dataclass(frozen=True)
class Review:
    """What the review page shows about the recipients."""

    receive: int
    skipped: list[tuple[str, int]]
    samples: list[Sample]

    @property
    def skipped_total(self) -> int:
        return sum(number for _, number in self.skipped)


def review(request: Request) -> Review:
    """Counts by outcome and the first recipients, for the picker."""
    planned = plan_recipients(request.list_ids)
    queued = [row for row in planned if row["status"] is RecipientStatus.QUEUED]
    reasons = Counter(row["reason"] for row in planned if row["reason"])
    samples = [Sample(row["contact_id"], row["name"], row["email"]) for row in queued[:SAMPLES]]
    return Review(len(queued), sorted(reasons.items(), key=lambda kv: -kv[1]), samples)


def pick(result: Review, contact_id: int | None) -> Sample | None:
    """The chosen sample recipient, or the first one."""
    for sample in result.samples:
        if sample.contact_id == contact_id:
            return sample
    return result.samples[0] if result.samples else None


def preview(request: Request, sample: Sample | None) -> tuple[str, str]:
    """(text, html) of the email as `sample` receives it (a stand-in name without one)."""
    dist = draft(request)
    composer = Composer.for_distribution(dist)
    if sample is None:
        return composer.personal(None, "jane.doe@example.org", "Jane Doe")
    return composer.personal(sample.contact_id, sample.email, sample.name)


def send_test(request: Request, addresses: list[str], tester: object) -> int:
    """Send the email, marked [TEST], to `addresses` through the real mail backend.

    The copies carry no recipient row (no VERP tag, no row touched): a test that bounces
    does not suppress anyone. Returns how many were handed to the server; audited, since it
    is mail that left in the organization's name.
    """
    dist = draft(request)
    composer = Composer.for_distribution(dist, attachment=_attachment(dist, request.cover_note))
    sent = 0
    with open_courier(current_app.config) as courier:
        for address in addresses:
            name = getattr(tester, "name", "") if sent == 0 else ""
            message = composer.build(None, address, name, subject_prefix=TEST_PREFIX)
            courier.deliver(message, address, lambda: True)
            sent += 1
    log.info("test of a draft of version %s sent to %d address(es)", dist.version.id, sent)
    record(tester, "distribution.test_sent", dist.version, {"to": addresses[:sent]})
    db.session.commit()
    return sent


def _attachment(dist: Distribution, cover_note: str) -> Attachment:
    rendered = pdf_for_version(dist.version.id, cover_note=cover_note or None)
    return Attachment.encode(rendered.filename, "application/pdf", rendered.data)
