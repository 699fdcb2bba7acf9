"""Creating distributions and the staff actions on them: pause, resume, cancel, retry failed.

Creation writes the distribution and every recipient row in one transaction, then enqueues;
if the broker is unreachable the distribution still exists and the periodic sweep starts
it later. Each action is a conditional status change, so two clicks cannot act twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import Any

from sqlalchemy import func, insert, select, update

from campaign import clock
from campaign.audit.services import record
from campaign.contacts.models import Contact, ContactList
from campaign.contacts.services import contact_ids_for_lists
from campaign.courier.headers import one_line
from campaign.distribution import claims, engine
from campaign.distribution.models import (
    ACTIVE,
    Distribution,
    DistributionStatus,
    GreetingStyle,
    Recipient,
    RecipientStatus,
    SendMode,
    SentDocument,
)
from campaign.distribution.schedule import format_days
from campaign.emailkey import email_key
from campaign.extensions import db
from campaign.mailpolicy.models import Suppression
from campaign.mailpolicy.policy import DISTRIBUTION, Standing, judge
from campaign.mailpolicy.suppression import suppressed_among
from campaign.pdfs.services import pdf_for_version
from campaign.rowcount import rowcount
from campaign.statements.models import ReleaseType, Statement, StatementVersion, Status


class DistributionError(ValueError):
    """A user-facing reason why a distribution or an action on it was refused."""


@dataclass
class Request:
    """What staff asked for, already parsed by the form."""

    version_id: int
    list_ids: list[int]
    subject: str
    reply_to: str
    send_mode: SendMode = SendMode.NOW
    send_at: datetime | None = None
    rate_per_minute: int | None = None
    window_days: list[int] = field(default_factory=list)
    window_start: time | None = None
    window_end: time | None = None
    window_timezone: str = "UTC"
    cover_note: str = ""
    pitch: str = ""
    sender_name: str = ""
    greeting_style: GreetingStyle = GreetingStyle.FULL_NAME


def sendable_versions(statement: Statement) -> list[StatementVersion]:
    """The versions of `statement` that may be sent: the approved head and the public one.

    A published statement stays sendable while a newer draft is in progress: the draft
    changes the statement's status, not what the public (and so the press) may read.
    """
    versions = []
    if statement.status in (Status.APPROVED, Status.PUBLISHED):
        versions.append(statement.head)
    published = statement.published_version
    live = statement.status is not Status.RETRACTED
    if live and published is not None and published not in versions:
        versions.append(published)
    return versions


def version_label(version: StatementVersion) -> str:
    """Like "v7 (published; v9 draft in progress)": what is sent, and what is not."""
    statement = version.statement
    if version.id == statement.published_version_id:
        state = "published"
    else:
        state = statement.status.label.lower()
    if statement.head_number != version.number:
        state += f"; v{statement.head_number} {statement.status.label.lower()} in progress"
    return f"{version.title}: v{version.number} ({state})"


def sendable_statements() -> list[Statement]:
    """Statements with something sendable: approved or published, or a draft over a
    published version."""
    query = select(Statement).where(
        Statement.status.in_([Status.APPROVED, Status.PUBLISHED])
        | (Statement.published_version_id.is_not(None) & (Statement.status != Status.RETRACTED))
    )
    return list(db.session.scalars(query.order_by(Statement.updated_at.desc())))


def _send_at(request: Request, version: StatementVersion) -> datetime | None:
    if request.send_mode is SendMode.CHOSEN_TIME:
        if request.send_at is None:
            raise DistributionError("Choose the date and time to send.")
        return request.send_at
    if request.send_mode is SendMode.EMBARGO_LIFT:
        if version.release_type is not ReleaseType.EMBARGOED or version.embargo_until is None:
            raise DistributionError("This version has no embargo; send it now or at a time.")
        return version.embargo_until
    return None


def _check(request: Request) -> tuple[StatementVersion, list[ContactList]]:
    version = db.session.get(StatementVersion, request.version_id)
    if version is None or version not in sendable_versions(version.statement):
        raise DistributionError("Only an approved or published version can be sent.")
    lists = list(
        db.session.scalars(select(ContactList).where(ContactList.id.in_(request.list_ids)))
    )
    if not lists:
        raise DistributionError("Choose at least one contact list.")
    if not request.subject.strip():
        raise DistributionError("The email needs a subject.")
    if request.window_days and (request.window_start is None or request.window_end is None):
        raise DistributionError("A sending window needs a start and an end time.")
    return version, lists


def _document(version: StatementVersion, cover_note: str) -> SentDocument:
    """The PDF as it will be attached, stored once per content hash."""
    rendered = pdf_for_version(version.id, cover_note=cover_note or None)
    found = db.session.scalar(select(SentDocument).where(SentDocument.sha256 == rendered.sha256))
    if found is not None:
        return found
    document = SentDocument(
        sha256=rendered.sha256,
        filename=rendered.filename,
        size=len(rendered.data),
        data=rendered.data,
    )
    db.session.add(document)
    return document


def draft(request: Request, document: SentDocument | None = None) -> Distribution:
    """The distribution `request` describes, not added to the session (the review step and
    the test send use it as is; `create_distribution` stores it)."""
    version, lists = _check(request)
    return Distribution(
        statement=version.statement,
        version=version,
        document=document,
        subject=one_line(request.subject),
        pitch=request.pitch.strip(),
        sender_name=one_line(request.sender_name),
        greeting_style=request.greeting_style,
        reply_to=request.reply_to.strip(),
        lists=[{"id": lst.id, "name": lst.name} for lst in lists],
        send_mode=request.send_mode,
        send_at=_send_at(request, version),
        rate_per_minute=request.rate_per_minute or None,
        window_days=format_days(request.window_days),
        window_start=request.window_start,
        window_end=request.window_end,
        window_timezone=request.window_timezone or "UTC",
    )


def create_distribution(request: Request, actor: object) -> tuple[Distribution, bool]:
    """Write the distribution and its recipients, then enqueue; returns (it, queue reached)."""
    dist = draft(request)
    dist.document = _document(dist.version, request.cover_note)
    dist.created_by_id = getattr(actor, "id", None)
    db.session.add(dist)
    db.session.flush()
    planned = plan_recipients([entry["id"] for entry in dist.lists])
    db.session.execute(insert(Recipient), [row | {"distribution_id": dist.id} for row in planned])
    record(
        actor,
        "distribution.created",
        dist,
        {"version": dist.version.number, "recipients": len(planned)},
    )
    db.session.commit()
    return dist, engine.start_chains(dist.id)


def plan_recipients(list_ids: list[int]) -> list[dict[str, Any]]:
    """One row per contact of the lists; the unreachable, suppressed and duplicate addresses
    as skipped with their reason. Reads only: the review step counts these rows."""
    contact_ids = contact_ids_for_lists(list_ids)
    seen: set[str] = set()
    planned: list[dict[str, Any]] = []
    for start in range(0, len(contact_ids), 1000):
        chunk = contact_ids[start : start + 1000]
        contacts = db.session.execute(
            select(
                Contact.id,
                Contact.email,
                Contact.name,
                Contact.do_not_contact,
                Contact.unsubscribed_at,
            ).where(Contact.id.in_(chunk))
        ).all()
        suppressed = suppressed_among(row.email for row in contacts)
        planned.extend(_recipient(contact, suppressed, seen) for contact in contacts)
    return planned


def _recipient(contact: Any, suppressed: set[str], seen: set[str]) -> dict[str, Any]:
    key = email_key(contact.email)
    standing = Standing(
        unsubscribed=contact.unsubscribed_at is not None,
        do_not_contact=contact.do_not_contact,
        suppressed=key in suppressed,
    )
    if not key:
        reason = "no address"
    elif not (allowed := judge(standing, DISTRIBUTION)).allowed:
        reason = allowed.reason
    elif key in seen:
        reason = "same address as another recipient"
    else:
        reason = ""
    seen.add(key)
    return {
        "contact_id": contact.id,
        "email": contact.email,
        "name": contact.name,
        "status": RecipientStatus.SKIPPED if reason else RecipientStatus.QUEUED,
        "reason": reason,
    }


def _change_status(
    dist: Distribution,
    sources: set[DistributionStatus],
    target: DistributionStatus,
    **values: Any,
) -> bool:
    changed = db.session.execute(
        update(Distribution)
        .where(Distribution.id == dist.id, Distribution.status.in_(sources))
        .values(status=target, **values)
        .execution_options(synchronize_session=False)
    )
    return rowcount(changed) == 1


def pause(dist: Distribution, actor: object) -> None:
    """Stop now: messages already handed to the server finish, the rest wait in the queue."""
    if not _change_status(dist, set(ACTIVE), DistributionStatus.PAUSED, pause_reason=""):
        raise DistributionError("Only a scheduled or sending distribution can be paused.")
    claims.return_unsent(dist.id)
    record(actor, "distribution.paused", dist)
    db.session.commit()


def resume(dist: Distribution, actor: object) -> bool:
    """Continue a paused distribution (after staff fixed what paused it); returns whether
    the queue was reached. The outage and error counters start again from zero."""
    if not _change_status(
        dist,
        {DistributionStatus.PAUSED},
        DistributionStatus.SCHEDULED,
        check_due_at=None,
        pause_reason="",
        failures_in_row=0,
        hold_until=None,
        held_since=None,
        hold_reason="",
        connection_failures=0,
    ):
        raise DistributionError("Only a paused distribution can be resumed.")
    record(actor, "distribution.resumed", dist)
    db.session.commit()
    return engine.start_chains(dist.id)


def cancel(dist: Distribution, actor: object) -> None:
    """Stop for good: every recipient not yet handed to the server is skipped (cancelled)
    at once; messages already handed over finish and are counted as they end."""
    sources = {*ACTIVE, DistributionStatus.PAUSED}
    if not _change_status(dist, sources, DistributionStatus.CANCELLED, finished_at=clock.now()):
        raise DistributionError("This distribution has already ended.")
    skipped = claims.skip_unsent(dist.id)
    record(actor, "distribution.cancelled", dist, {"skipped": skipped})
    db.session.commit()


def resend_possibly_delivered(dist: Distribution, actor: object) -> int:
    """Staff chose to send again to the recipients whose message may or may not have
    arrived, knowing some may get it twice; audited. Returns how many were queued."""
    if dist.status is DistributionStatus.CANCELLED:
        raise DistributionError("A cancelled distribution sends nothing more.")
    unconfirmed = (
        Recipient.distribution_id == dist.id,
        Recipient.status == RecipientStatus.UNCONFIRMED,
    )
    number = db.session.scalar(select(func.count()).where(*unconfirmed)) or 0
    if not number:
        raise DistributionError("No recipient is possibly delivered.")
    _change_status(
        dist, {DistributionStatus.FINISHED}, DistributionStatus.SENDING, finished_at=None
    )
    db.session.execute(
        update(Recipient)
        .where(*unconfirmed)
        .values(
            status=RecipientStatus.QUEUED,
            next_attempt_at=None,
            claim=None,
            handed_at=None,
            retried=Recipient.retried + 1,
        )
        .execution_options(synchronize_session=False)
    )
    record(actor, "distribution.resent_possibly_delivered", dist, {"recipients": number})
    db.session.commit()
    if dist.status in ACTIVE:
        engine.start_chains(dist.id)
    return number


@dataclass(frozen=True)
class RetryResult:
    requeued: int
    held_back: int
    queue_reached: bool


def retry_failed(dist: Distribution, actor: object) -> RetryResult:
    """Send once more to exactly the recipients whose send failed.

    The distribution moves from finished to sending in one conditional update, so a double
    click retries once; addresses still on the suppression list stay failed (lift them first).
    """
    if not _change_status(
        dist,
        {DistributionStatus.FINISHED},
        DistributionStatus.SENDING,
        finished_at=None,
        check_due_at=None,
        retry_rounds=Distribution.retry_rounds + 1,
    ):
        raise DistributionError("Only a finished distribution can retry its failed sends.")
    failed = (Recipient.distribution_id == dist.id, Recipient.status == RecipientStatus.FAILED)
    suppressed = select(Suppression.email_key)
    requeued = rowcount(
        db.session.execute(
            update(Recipient)
            .where(*failed, func.lower(Recipient.email).not_in(suppressed))
            .values(
                status=RecipientStatus.QUEUED,
                reason="",
                attempts=0,
                next_attempt_at=None,
                claim=None,
                handed_at=None,
                retried=Recipient.retried + 1,
            )
            .execution_options(synchronize_session=False)
        )
    )
    held_back = db.session.scalar(select(func.count()).where(*failed)) or 0
    record(actor, "distribution.retry_failed", dist, {"requeued": requeued, "held": held_back})
    db.session.commit()
    return RetryResult(requeued, held_back, engine.start_chains(dist.id))
