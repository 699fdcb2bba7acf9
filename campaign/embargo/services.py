"""The embargo rules: what the public may read, publication at the lift, early lifts.

Every public surface (statement page, sign-on and embed pages, public PDF, newsroom, feeds,
sitemap) asks `public_version`, which checks the clock itself: even a published version is
held back while its embargo has not lifted, so a stale row or a late sweep can never leak it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import exists, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from campaign import clock
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.embargo.models import Publication, PublicationMode, PublicationStatus
from campaign.extensions import db
from campaign.rowcount import rowcount
from campaign.statements.models import (
    ReleaseType,
    Statement,
    StatementVersion,
)

REASON_MAX = 500
log = logging.getLogger(__name__)


class EmbargoError(ValueError):
    """A user-facing reason why a publishing decision was refused."""


def _lifted_early(version_id: int) -> bool:
    query = select(Publication.id).where(
        Publication.version_id == version_id,
        Publication.mode == PublicationMode.LIFTED_EARLY,
        Publication.status == PublicationStatus.DONE,
    )
    return db.session.scalar(query.limit(1)) is not None


def embargo_pending(version: StatementVersion | None, now: datetime | None = None) -> bool:
    """Whether `version` is embargoed and its embargo has neither passed nor been lifted."""
    if version is None or version.release_type is not ReleaseType.EMBARGOED:
        return False
    if version.embargo_until is None or version.embargo_until <= (now or clock.now()):
        return False
    return not _lifted_early(version.id)


def embargo_open_clause(now: datetime) -> ColumnElement[bool]:
    """SQL twin of `not embargo_pending(StatementVersion)`, for listings of many items."""
    lifted = exists().where(
        Publication.version_id == StatementVersion.id,
        Publication.mode == PublicationMode.LIFTED_EARLY,
        Publication.status == PublicationStatus.DONE,
    )
    return or_(
        StatementVersion.release_type != ReleaseType.EMBARGOED,
        StatementVersion.embargo_until.is_(None),
        StatementVersion.embargo_until <= now,
        lifted,
    )


def scheduled_for(statement: Statement) -> Publication | None:
    """The publication waiting for its time, if any (there is at most one)."""
    return db.session.scalar(
        select(Publication).where(
            Publication.statement_id == statement.id,
            Publication.status == PublicationStatus.SCHEDULED,
        )
    )


def public_version(statement: Statement) -> StatementVersion | None:
    """The version the public may read now, or None.

    A publication whose time has come is public even before the sweep has recorded it, so
    the release appears at the lift instant and a worker that is down delays nothing here.
    """
    now = clock.now()
    due = scheduled_for(statement)
    if due is not None and due.publish_at <= now and not embargo_pending(due.version, now):
        return due.version
    version = statement.published_version
    if version is None or embargo_pending(version, now):
        return None
    return version


def available_at(statement: Statement) -> tuple[datetime, str] | None:
    """When a held-back release becomes public, and the zone its embargo was set in."""
    due = scheduled_for(statement)
    if due is not None:
        return due.publish_at, due.version.embargo_timezone
    version = statement.published_version
    if version is not None and version.embargo_until is not None and embargo_pending(version):
        return version.embargo_until, version.embargo_timezone
    return None


def check_reason(reason: str) -> str:
    """An early lift needs a reason the audit log can show."""
    reason = (reason or "").strip()
    if not reason:
        raise EmbargoError("Say why the embargo is lifted early; the audit log records it.")
    if len(reason) > REASON_MAX:
        raise EmbargoError(f"The reason is longer than {REASON_MAX} characters.")
    return reason


def schedule_at_lift(statement: Statement, actor: User, note: str, change: str | None) -> None:
    """Publish the approved head at its embargo lift; the statement stays approved until then."""
    from campaign.statements.workflow import check_signature_choice

    check_signature_choice(statement, change)
    version = statement.head
    assert version.embargo_until is not None, "only an embargoed head is held for its lift"
    publication = Publication(
        statement_id=statement.id,
        version_id=version.id,
        mode=PublicationMode.AT_LIFT,
        status=PublicationStatus.SCHEDULED,
        publish_at=version.embargo_until,
        signature_change=change or "",
        created_by_id=actor.id,
    )
    db.session.add(publication)
    details = {"version": version.number, "publish_at": version.embargo_until.isoformat()}
    record(actor, "statement.publication_scheduled", statement, details | {"note": note})
    db.session.commit()


def lift_now(
    statement: Statement, actor: User, reason: str, note: str = "", change: str | None = None
) -> None:
    """Publish now, lifting the embargo early; who and why are audited.

    The version is the one a scheduled publication names (the approved text, even if a newer
    draft was saved since), else the approved head.
    """
    from campaign.statements.workflow import publish_version

    reason = check_reason(reason)
    scheduled = _cancel_scheduled(statement)
    version = scheduled.version if scheduled is not None else statement.head
    now = clock.now()
    db.session.add(
        Publication(
            statement_id=statement.id,
            version_id=version.id,
            mode=PublicationMode.LIFTED_EARLY,
            status=PublicationStatus.DONE,
            publish_at=now,
            done_at=now,
            reason=reason,
            created_by_id=actor.id,
        )
    )
    embargo = version.embargo_until.isoformat() if version.embargo_until else None
    details = {"version": version.number, "embargo_until": embargo, "reason": reason}
    record(actor, "statement.embargo_lifted", statement, details)
    publish_version(statement, version, actor, note, change, now)
    db.session.commit()


def _cancel_scheduled(statement: Statement) -> Publication | None:
    scheduled = scheduled_for(statement)
    if scheduled is not None:
        scheduled.status = PublicationStatus.CANCELLED
        scheduled.done_at = clock.now()
    return scheduled


def cancel_quietly(statement: Statement) -> None:
    """A retraction calls off a scheduled publication too (its own audit record says so)."""
    _cancel_scheduled(statement)


def cancel(statement: Statement, actor: User) -> None:
    """Call off a scheduled publication; the statement stays approved and unpublished."""
    scheduled = _cancel_scheduled(statement)
    if scheduled is None:
        raise EmbargoError("No publication is scheduled (it may have happened already).")
    record(actor, "statement.publication_cancelled", statement, {"publication": scheduled.id})
    db.session.commit()


def reschedule(statement: Statement, actor: User, when: datetime) -> None:
    """Move a scheduled publication to `when`, which may not be before the embargo lifts."""
    scheduled = scheduled_for(statement)
    if scheduled is None:
        raise EmbargoError("No publication is scheduled (it may have happened already).")
    lift = scheduled.version.embargo_until
    if lift is not None and when < lift:
        raise EmbargoError("A scheduled publication cannot be earlier than the embargo lift.")
    if when <= clock.now():
        raise EmbargoError("Choose a time in the future, or lift the embargo now.")
    before = scheduled.publish_at
    scheduled.publish_at = when
    details = {"from": before.isoformat(), "to": when.isoformat()}
    record(actor, "statement.publication_rescheduled", statement, details)
    db.session.commit()


def publish_due(now: datetime | None = None) -> int:
    """Publish every scheduled publication whose time has come; the number published.

    Run by the beat sweep. Each row is claimed with a conditional UPDATE, so two sweeps
    running at once publish it once; a sweep after downtime publishes everything missed.
    """
    now = now or clock.now()
    due = db.session.scalars(
        select(Publication.id).where(
            Publication.status == PublicationStatus.SCHEDULED, Publication.publish_at <= now
        )
    ).all()
    return sum(_publish_or_log(publication_id, now) for publication_id in due)


def _publish_or_log(publication_id: int, now: datetime) -> bool:
    """One refused publication (its signatures now need a minor/material choice) stays
    scheduled and is logged at every sweep; it never holds back the others."""
    from campaign.statements.workflow import WorkflowError

    try:
        return _publish_one(publication_id, now)
    except WorkflowError as error:
        db.session.rollback()
        log.error("scheduled publication %s not published: %s", publication_id, error)
        return False


def _publish_one(publication_id: int, now: datetime) -> bool:
    from campaign.statements.workflow import publish_version

    claimed = db.session.execute(
        update(Publication)
        .where(Publication.id == publication_id)
        .where(Publication.status == PublicationStatus.SCHEDULED)
        .values(status=PublicationStatus.DONE, done_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(claimed) != 1:
        db.session.rollback()
        return False
    publication = db.session.get_one(Publication, publication_id)
    db.session.refresh(publication)
    change = publication.signature_change or None
    publish_version(
        publication.statement,
        publication.version,
        None,
        "at the embargo lift",
        change,
        publication.publish_at,
    )
    db.session.commit()
    return True
