"""The home page's "what needs me": the few lists a staff member starts the day with."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, select

from campaign import clock
from campaign.audit.models import AuditEvent
from campaign.auth.models import User
from campaign.auth.roles import Permission
from campaign.distribution.models import Distribution, DistributionStatus
from campaign.extensions import db
from campaign.review.models import ReviewComment
from campaign.statements.models import Statement, StatementVersion, Status
from campaign.statements.workflow import last_request_for_changes

LIMIT = 20


@dataclass
class SentBack:
    statement: Statement
    event: AuditEvent


@dataclass
class NeedsMe:
    """Each list is short and newest first; empty lists are simply not shown."""

    to_review: list[Statement] = field(default_factory=list)
    sent_back: list[SentBack] = field(default_factory=list)
    scheduled_releases: list[tuple[Statement, StatementVersion]] = field(default_factory=list)
    scheduled_distributions: list[Distribution] = field(default_factory=list)
    open_comments: list[ReviewComment] = field(default_factory=list)
    activity: list[AuditEvent] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.to_review or self.sent_back or self.open_comments)


def _authored_ids(user: User) -> list[int]:
    return list(
        db.session.scalars(
            select(StatementVersion.statement_id)
            .where(StatementVersion.author_id == user.id)
            .distinct()
        )
    )


def _statements(where: ColumnElement[bool]) -> list[Statement]:
    return list(
        db.session.scalars(select(Statement).where(where).order_by(Statement.updated_at.desc()))
    )


def needs_me(user: User) -> NeedsMe:
    """What waits for `user` today, by role and by what they wrote."""
    mine = _authored_ids(user)
    needs = NeedsMe()
    if user.can(Permission.APPROVE):
        waiting = _statements(Statement.status == Status.IN_REVIEW)
        needs.to_review = [s for s in waiting if s.head.author_id != user.id][:LIMIT]
    for statement in _statements(Statement.id.in_(mine) & (Statement.status == Status.DRAFT)):
        event = last_request_for_changes(statement)
        if event is not None:
            needs.sent_back.append(SentBack(statement, event))
    needs.scheduled_releases = _scheduled_releases()
    needs.scheduled_distributions = list(
        db.session.scalars(
            select(Distribution)
            .where(Distribution.status == DistributionStatus.SCHEDULED)
            .order_by(Distribution.send_at)
            .limit(LIMIT)
        )
    )
    needs.open_comments = _open_comments(mine)
    needs.activity = _activity(mine)
    return needs


def _scheduled_releases() -> list[tuple[Statement, StatementVersion]]:
    """Approved or published releases whose embargo is still ahead."""
    found = []
    for statement in _statements(Statement.status.in_([Status.APPROVED, Status.PUBLISHED])):
        head = statement.head
        if head.embargo_until is not None and head.embargo_until > clock.now():
            found.append((statement, head))
    # Only heads with an embargo time were kept above.
    return sorted(found, key=lambda pair: cast(datetime, pair[1].embargo_until))[:LIMIT]


def _open_comments(statement_ids: list[int]) -> list[ReviewComment]:
    versions = select(StatementVersion.id).where(StatementVersion.statement_id.in_(statement_ids))
    return list(
        db.session.scalars(
            select(ReviewComment)
            .where(ReviewComment.version_id.in_(versions), ReviewComment.resolved_at.is_(None))
            .order_by(ReviewComment.id.desc())
            .limit(LIMIT)
        )
    )


def _activity(statement_ids: list[int]) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.subject_type == "Statement", AuditEvent.subject_id.in_(statement_ids))
            .order_by(AuditEvent.id.desc())
            .limit(LIMIT)
        )
    )
