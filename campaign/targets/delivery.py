"""Starting deliveries of a coalition letter to its targets, exactly once per target.

A delivery is first written as a `preparing` row, by "Deliver now" or by the sign-on
deadline, and a task is queued; `preparing.prepare_delivery` does the rest.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError

from campaign import clock
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.extensions import db
from campaign.jobs import enqueue, requeue_rows_left_in
from campaign.signon.listing import listed_signatories
from campaign.signon.models import SignOnSettings
from campaign.statements.models import Kind, Statement, StatementVersion
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


class DeliveryError(ValueError):
    """A user-facing reason why a delivery cannot start."""


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


@dataclass(frozen=True)
class Served:
    """A target that already received a version: in which delivery, when."""

    sequence: int
    version_number: int
    at: datetime


def served(statement_id: int) -> dict[int, list[Served]]:
    """Per target id, the deliveries that reached it (newest first)."""
    rows = db.session.execute(
        select(DeliveryRecipient.target_id, Delivery.sequence, StatementVersion.number)
        .add_columns(Delivery.prepared_at)
        .join(Delivery, Delivery.id == DeliveryRecipient.delivery_id)
        .join(StatementVersion, StatementVersion.id == Delivery.version_id)
        .where(Delivery.statement_id == statement_id, DeliveryRecipient.target_id.is_not(None))
        .order_by(Delivery.sequence.desc())
    ).all()
    found: dict[int, list[Served]] = {}
    for target_id, sequence, number, at in rows:
        found.setdefault(target_id, []).append(Served(sequence, number, at))
    return found


def unserved_target_ids(statement: Statement) -> list[int]:
    """Targets that have not received the published version: the default of "Deliver now"."""
    number = statement.published_version.number if statement.published_version else None
    reached = served(statement.id)
    return [
        target.id
        for target in targets_of(statement.id)
        if not any(s.version_number == number for s in reached.get(target.id, []))
    ]


def _chosen(statement: Statement, target_ids: list[int] | None) -> list[int]:
    if target_ids is None:
        target_ids = unserved_target_ids(statement)
        if not target_ids:
            raise DeliveryError(
                "Every target already received the published version; choose the targets "
                "to send it to again."
            )
    known = {target.id for target in targets_of(statement.id)}
    chosen = [target_id for target_id in target_ids if target_id in known]
    if not chosen:
        raise DeliveryError("Choose at least one target.")
    return chosen


def request_delivery(
    statement: Statement,
    staff: User,
    sequence: int,
    target_ids: list[int] | None = None,
    cover_message: str = "",
) -> tuple[Delivery, bool]:
    """Start delivery `sequence` of the published version ("Deliver now") and queue its task.

    `target_ids` None means the targets that have not received this version yet. The second
    value is False when the queue was unreachable; the delivery is stored all the same and
    the periodic sweep queues it again.
    """
    _check_deliverable(statement)
    taken = DeliveryError("Another delivery of this letter was just started; see it below.")
    if sequence != next_sequence(statement.id):
        raise taken
    delivery = Delivery(
        statement_id=statement.id,
        sequence=sequence,
        version_id=statement.published_version_id,
        trigger=DeliveryTrigger.MANUAL,
        requested_by_id=staff.id,
        target_ids=_chosen(statement, target_ids),
        cover_message=cover_message.strip(),
    )
    if not _insert(delivery):
        db.session.rollback()
        raise taken
    details = {"sequence": sequence, "targets": len(delivery.target_ids or [])}
    record(staff, "delivery.requested", delivery, details)
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
        assert deadline is not None, "the query compared it with now"
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
    return requeue_rows_left_in(Delivery, DeliveryStatus.PREPARING, DELIVER_TASK, older_than)


def deliveries_of(statement_id: int) -> list[Delivery]:
    """A letter's deliveries, newest first."""
    return list(
        db.session.scalars(
            select(Delivery)
            .where(Delivery.statement_id == statement_id)
            .order_by(Delivery.sequence.desc())
        )
    )
