"""Periodic notifications that no single request causes: a sign-on reaching its goal, and a
sign-on deadline that falls within the next day.

Each is told once per statement: an audit record marks it (and documents it), and the sweep
skips statements that already have one. The sweep runs from Celery beat, one at a time.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from campaign import clock
from campaign.audit.models import AuditEvent
from campaign.audit.services import record
from campaign.extensions import db
from campaign.notify.events import Event
from campaign.notify.services import authors, notify
from campaign.signon.listing import listed_statuses
from campaign.signon.models import Signature, SignOnSettings
from campaign.statements.models import Statement

GOAL_MARK = "signon.goal_reached"
DEADLINE_MARK = "signon.deadline_tomorrow"


def _marked(statement_id: int, action: str) -> bool:
    return bool(
        db.session.scalar(
            select(func.count()).where(
                AuditEvent.subject_type == "Statement",
                AuditEvent.subject_id == statement_id,
                AuditEvent.action == action,
            )
        )
    )


def _listed_count(settings: SignOnSettings) -> int:
    statuses = listed_statuses(settings.requires_approval)
    return (
        db.session.scalar(
            select(func.count()).where(
                Signature.statement_id == settings.statement_id, Signature.status.in_(statuses)
            )
        )
        or 0
    )


def _tell(settings: SignOnSettings, event: Event, mark: str, text: str) -> None:
    statement = db.session.get_one(Statement, settings.statement_id)
    record(None, mark, statement, {"text": text})
    db.session.commit()
    link: dict[str, Any] = {"endpoint": "signon.table", "statement_id": statement.id}
    notify(authors(statement), event, text, **link)


def sweep() -> int:
    """Notify every goal newly reached and every deadline within 24 hours; returns how many."""
    told = 0
    now = clock.now()
    for settings in db.session.scalars(select(SignOnSettings).where(SignOnSettings.open)):
        title = db.session.get_one(Statement, settings.statement_id).head.title
        if settings.goal and not _marked(settings.statement_id, GOAL_MARK):
            count = _listed_count(settings)
            if count >= settings.goal:
                text = f"“{title}” reached its sign-on goal: {count} of {settings.goal}."
                _tell(settings, Event.GOAL_REACHED, GOAL_MARK, text)
                told += 1
        deadline = settings.deadline
        if (
            deadline is not None
            and now < deadline <= now + timedelta(days=1)
            and not _marked(settings.statement_id, DEADLINE_MARK)
        ):
            when = deadline.strftime("%Y-%m-%d %H:%M UTC")
            text = f"The sign-on for “{title}” closes within a day ({when})."
            _tell(settings, Event.DEADLINE_TOMORROW, DEADLINE_MARK, text)
            told += 1
    return told
