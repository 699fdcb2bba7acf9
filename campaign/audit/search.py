"""Finding audit events: filters by who, action, record and date range, one page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, func, select

from campaign.audit.models import AuditEvent
from campaign.audit.names import action_name
from campaign.csvsafe import csv_text
from campaign.extensions import db
from campaign.pagination import Page, paginate

PAGE_SIZE = 50
CSV_LIMIT = 100_000


@dataclass(frozen=True)
class AuditQuery:
    """What the filter form asked for; dates are whole days in the viewer's time zone."""

    who: str = ""
    action: str = ""
    subject_type: str = ""
    subject_id: int | None = None
    since: date | None = None
    until: date | None = None
    zone: str = "UTC"
    page: int = 1

    def filters(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.who:
            found.append(func.lower(AuditEvent.actor_label).like(f"%{self.who.lower()}%"))
        if self.action:
            found.append(AuditEvent.action == self.action)
        if self.subject_type:
            found.append(AuditEvent.subject_type == self.subject_type)
        if self.subject_id is not None:
            found.append(AuditEvent.subject_id == self.subject_id)
        if self.since:
            found.append(AuditEvent.created_at >= self._start(self.since))
        if self.until:
            found.append(AuditEvent.created_at < self._start(self.until + timedelta(days=1)))
        return found

    def _start(self, day: date) -> datetime:
        return datetime.combine(day, time(), ZoneInfo(self.zone))


def page_of_events(query: AuditQuery) -> Page[AuditEvent]:
    """One page of matching events, newest first, and how many match in all."""
    matching = select(AuditEvent).where(*query.filters()).order_by(AuditEvent.id.desc())
    return paginate(matching, query.page, PAGE_SIZE)


def known_actions() -> list[str]:
    """Every action code recorded so far, for the filter's choices."""
    return list(
        db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )


def known_subject_types() -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.subject_type).distinct().order_by(AuditEvent.subject_type)
        )
    )


def events_csv(query: AuditQuery) -> str:
    """All matching events (up to CSV_LIMIT) as a spreadsheet-safe CSV."""
    rows = db.session.scalars(
        select(AuditEvent).where(*query.filters()).order_by(AuditEvent.id.desc()).limit(CSV_LIMIT)
    )
    return csv_text(
        ["time (UTC)", "who", "action", "action code", "record", "record id", "details"],
        (
            (
                e.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                e.actor_label,
                action_name(e.action),
                e.action,
                e.subject_type,
                e.subject_id,
                "; ".join(f"{k}: {v}" for k, v in (e.details or {}).items() if v not in (None, "")),
            )
            for e in rows
        ),
    )
