"""Reminders to invited organizations that have neither signed nor declined.

Steps are days before the sign-on deadline (DIRECTORY_REMINDER_DAYS, "7,2"). Each
invitation counts the steps it was reminded for; a conditional UPDATE claims a step before
its mail is queued, so a sweep that runs twice (two beat processes, a retried task) sends
one reminder. A sweep that missed a step sends one reminder for all steps now due.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from campaign import clock
from campaign.directory.models import Invitation, InvitationStatus
from campaign.directory.recruiting import REMINDER_PURPOSE, queue_invitation_mail
from campaign.extensions import db
from campaign.jobs import enqueue
from campaign.mail.services import SEND_TASK
from campaign.mailpolicy.policy import verdict
from campaign.rowcount import rowcount
from campaign.signon.models import SignOnSettings
from campaign.statements.models import Statement

WAITING = (InvitationStatus.INVITED, InvitationStatus.OPENED)


def reminder_days() -> list[int]:
    """The configured steps, in days before the deadline."""
    text = str(current_app.config.get("DIRECTORY_REMINDER_DAYS", "") or "")
    return sorted({int(part) for part in text.split(",") if part.strip().isdigit()})


def steps_due(deadline: datetime, now: datetime, days: list[int]) -> int:
    """How many reminder steps have been reached by `now`."""
    return sum(1 for d in days if now >= deadline - timedelta(days=d))


def _open_letters(now: datetime) -> list[SignOnSettings]:
    return list(
        db.session.scalars(
            select(SignOnSettings).where(
                SignOnSettings.open.is_(True),
                SignOnSettings.deadline.is_not(None),
                SignOnSettings.deadline > now,
            )
        )
    )


def _claim(invitation: Invitation, due: int) -> bool:
    claimed = db.session.execute(
        update(Invitation)
        .where(
            Invitation.id == invitation.id,
            Invitation.reminders_sent == invitation.reminders_sent,
            Invitation.status.in_(WAITING),
        )
        .values(reminders_sent=due)
        .execution_options(synchronize_session=False)
    )
    return rowcount(claimed) == 1


def _remind_letter(settings: SignOnSettings, due: int) -> list[int]:
    statement = db.session.get_one(Statement, settings.statement_id)
    mail_ids = []
    waiting = db.session.scalars(
        select(Invitation).where(
            Invitation.statement_id == statement.id,
            Invitation.status.in_(WAITING),
            Invitation.reminders_sent < due,
        )
    ).all()
    for invitation in waiting:
        if not _claim(invitation, due):
            continue
        # Refused (do-not-contact, unsubscribed, suppressed): the step passes silently.
        if verdict(invitation.email_key, REMINDER_PURPOSE).allowed:
            mail = queue_invitation_mail(invitation, statement, "reminder")
            db.session.flush()
            mail_ids.append(mail.id)
        db.session.commit()
    return mail_ids


def send_reminders() -> int:
    """Queue the reminders due now for every open letter with a deadline; returns the count."""
    days, now = reminder_days(), clock.now()
    if not days:
        return 0
    mail_ids: list[int] = []
    for settings in _open_letters(now):
        assert settings.deadline is not None, "_open_letters picks letters with a deadline"
        due = steps_due(settings.deadline, now, days)
        if due:
            mail_ids += _remind_letter(settings, due)
    for mail_id in mail_ids:
        enqueue(SEND_TASK, mail_id)
    return len(mail_ids)
