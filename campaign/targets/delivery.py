"""Delivering a coalition letter to its targets, exactly once per target per delivery.

A delivery is first written as a `preparing` row (by "Deliver now" or by the sign-on deadline)
and a task is queued. The task renders the PDF and the CSV outside any write transaction,
then in one transaction claims the row (conditional UPDATE from `preparing`), records what
is delivered and queues one email per target. A task that runs twice, or concurrently, finds
nothing to claim; a worker that dies before the commit leaves the row `preparing` for the
periodic sweep to enqueue again. The emails themselves go through the single-mail queue,
whose own claim makes each one leave at most once.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import render_template
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError

from campaign import clock
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.extensions import db
from campaign.jobs import enqueue
from campaign.mail.models import OutgoingMail
from campaign.mail.services import dispatch, queue_mail
from campaign.pdfs.services import RenderedPdf, pdf_for_version
from campaign.signon.listing import ListedSignatory, listed_signatories, signatories_csv
from campaign.signon.models import SignOnSettings
from campaign.statements.models import Kind, Statement
from campaign.targets.models import (
    Delivery,
    DeliveryRecipient,
    DeliveryStatus,
    DeliveryTrigger,
    Target,
)
from campaign.targets.services import targets_of

log = logging.getLogger(__name__)

DELIVER_TASK = "targets.deliver"
RENDER_ATTEMPTS = 3


class DeliveryError(ValueError):
    """A user-facing reason why a delivery cannot start."""


def cover_note(count: int) -> str:
    """The line on the PDF's cover that tells the target how many signed."""
    return f"Signed by {count:,} organization{'' if count == 1 else 's'}"


def signon_deadline(statement_id: int) -> datetime | None:
    """When sign-on closes, which is when the letter is delivered automatically."""
    settings = db.session.get(SignOnSettings, statement_id)
    return settings.deadline if settings else None


def next_sequence(statement_id: int) -> int:
    """The number the next delivery of this letter will get (forms carry it)."""
    latest = db.session.scalar(
        select(func.max(Delivery.sequence)).where(Delivery.statement_id == statement_id)
    )
    return (latest or 0) + 1


def _check_deliverable(statement: Statement) -> None:
    if statement.kind is not Kind.COALITION_LETTER:
        raise DeliveryError("Only a coalition letter is delivered to targets.")
    if statement.published_version_id is None:
        raise DeliveryError("Publish the letter before delivering it: targets get the public text.")
    if not targets_of(statement.id):
        raise DeliveryError("Add at least one target before delivering the letter.")
    if not listed_signatories(statement.id):
        raise DeliveryError("No organization has signed (and been confirmed) yet.")


def _insert(delivery: Delivery) -> bool:
    try:
        with db.session.begin_nested():
            db.session.add(delivery)
    except IntegrityError:
        return False
    return True


def request_delivery(statement: Statement, staff: User, sequence: int) -> tuple[Delivery, bool]:
    """Start delivery `sequence` of the published version ("Deliver now") and queue its task.

    The second value is False when the queue was unreachable; the delivery is stored all the
    same and the periodic sweep queues it again.
    """
    _check_deliverable(statement)
    delivery = Delivery(
        statement_id=statement.id,
        sequence=sequence,
        version_id=statement.published_version_id,
        trigger=DeliveryTrigger.MANUAL,
        requested_by_id=staff.id,
    )
    if sequence != next_sequence(statement.id) or not _insert(delivery):
        db.session.rollback()
        raise DeliveryError("Another delivery of this letter was just started; see it below.")
    record(staff, "delivery.requested", delivery, {"sequence": sequence})
    db.session.commit()
    return delivery, enqueue(DELIVER_TASK, delivery.id)


def deliver_due_deadlines() -> list[int]:
    """Start a delivery for each letter whose sign-on deadline passed and was not delivered.

    Only letters that had a target before their deadline qualify: staff entering targets
    one by one after a deadline must not trigger a delivery to the first of them (they use
    "Deliver now"). Safe to run any number of times: (statement, deadline) is unique among
    deliveries.
    """
    already = exists().where(
        Delivery.statement_id == SignOnSettings.statement_id,
        Delivery.deadline_at == SignOnSettings.deadline,
    )
    targeted = exists().where(
        Target.statement_id == SignOnSettings.statement_id,
        Target.created_at <= SignOnSettings.deadline,
    )
    due = db.session.execute(
        select(Statement, SignOnSettings.deadline)
        .join(SignOnSettings, SignOnSettings.statement_id == Statement.id)
        .where(SignOnSettings.deadline <= clock.now(), targeted, ~already)
    ).all()
    started = []
    for statement, deadline in due:
        try:
            _check_deliverable(statement)
        except DeliveryError as reason:
            log.info("deadline delivery of statement %s skipped: %s", statement.id, reason)
            continue
        delivery = Delivery(
            statement_id=statement.id,
            sequence=next_sequence(statement.id),
            version_id=statement.published_version_id,
            trigger=DeliveryTrigger.DEADLINE,
            deadline_at=deadline,
        )
        if _insert(delivery):
            record(None, "delivery.requested", delivery, {"deadline": deadline.isoformat()})
            db.session.commit()
            started.append(delivery.id)
    db.session.commit()
    for delivery_id in started:
        enqueue(DELIVER_TASK, delivery_id)
    return started


def requeue_stale(older_than: timedelta = timedelta(minutes=2)) -> int:
    """Enqueue again deliveries still preparing after `older_than` (their task was lost)."""
    cutoff = clock.now() - older_than
    stale = db.session.scalars(
        select(Delivery.id).where(
            Delivery.status == DeliveryStatus.PREPARING, Delivery.created_at < cutoff
        )
    ).all()
    return sum(enqueue(DELIVER_TASK, delivery_id) for delivery_id in stale)


@dataclass(frozen=True)
class Package:
    """What every target of one delivery receives."""

    signatories: list[ListedSignatory]
    pdf: RenderedPdf
    csv: bytes


def _package(delivery: Delivery) -> Package:
    """The PDF and CSV of one and the same signatory list.

    The list is read again after rendering; if a signature arrived meanwhile the PDF is
    rendered again, so the recorded set is exactly the one printed.
    """
    signatories = listed_signatories(delivery.statement_id)
    for _ in range(RENDER_ATTEMPTS):
        if not signatories:
            raise DeliveryError("No organization is listed as a signatory any more.")
        pdf = pdf_for_version(delivery.version_id, cover_note=cover_note(len(signatories)))
        current = listed_signatories(delivery.statement_id)
        if [s.id for s in current] == [s.id for s in signatories]:
            return Package(signatories, pdf, signatories_csv(signatories))
        signatories = current
    raise DeliveryError("The signatory list kept changing during rendering; try again.")


def prepare_delivery(delivery_id: int) -> int:
    """Render, record and queue the emails of a preparing delivery; the number queued.

    Returns 0 when there is nothing to do (already prepared, by this or another worker).
    """
    delivery = db.session.get(Delivery, delivery_id)
    if delivery is None or delivery.status is not DeliveryStatus.PREPARING:
        return 0
    try:
        package = _package(delivery)
    except DeliveryError as error:
        _fail(delivery_id, str(error))
        return 0
    db.session.commit()  # end the read transaction so the claim below waits for any other writer
    if not _claim(delivery_id, package):
        db.session.rollback()
        return 0
    delivery = db.session.get(Delivery, delivery_id, populate_existing=True)
    mails = [_queue_for(delivery, target, package) for target in targets_of(delivery.statement_id)]
    record(
        None,
        "delivery.sent",
        delivery,
        {
            "version_id": delivery.version_id,
            "signatory_count": delivery.signatory_count,
            "targets": len(mails),
            "pdf_sha256": delivery.pdf_sha256,
        },
    )
    db.session.commit()
    for mail in mails:
        dispatch(mail)
    return len(mails)


def _claim(delivery_id: int, package: Package) -> bool:
    csv_sha256 = hashlib.sha256(package.csv).hexdigest()
    claimed = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.PREPARING)
        .values(
            status=DeliveryStatus.SENDING,
            prepared_at=clock.now(),
            signatory_ids=[s.id for s in package.signatories],
            signatory_names=[s.name for s in package.signatories],
            signatory_count=len(package.signatories),
            pdf_filename=package.pdf.filename,
            pdf_sha256=package.pdf.sha256,
            pdf_data=package.pdf.data,
            csv_sha256=csv_sha256,
            csv_data=package.csv,
        )
        .execution_options(synchronize_session=False)
    )
    return claimed.rowcount == 1


def _fail(delivery_id: int, reason: str) -> None:
    db.session.rollback()
    db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.PREPARING)
        .values(status=DeliveryStatus.FAILED, error=reason[:500])
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def csv_filename(delivery: Delivery) -> str:
    return delivery.pdf_filename.removesuffix(".pdf") + "-signatories.csv"


def _queue_for(delivery: Delivery, target: Target, package: Package) -> OutgoingMail:
    version = delivery.version
    text = render_template(
        "targets/delivery_email.txt", target=target, version=version, delivery=delivery
    )
    mail = queue_mail(
        target.email,
        version.title,
        text,
        purpose="targets.delivery",
        reply_to=delivery.requested_by.email if delivery.requested_by else "",
        attachments=[
            (package.pdf.filename, "application/pdf", package.pdf.data),
            (csv_filename(delivery), "text/csv", package.csv),
        ],
    )
    db.session.flush()
    db.session.add(
        DeliveryRecipient(
            delivery_id=delivery.id,
            target_id=target.id,
            name=target.name,
            office=target.office,
            email=target.email,
            mail_id=mail.id,
        )
    )
    return mail


def deliveries_of(statement_id: int) -> list[Delivery]:
    """A letter's deliveries, newest first."""
    return list(
        db.session.scalars(
            select(Delivery)
            .where(Delivery.statement_id == statement_id)
            .order_by(Delivery.sequence.desc())
        )
    )
