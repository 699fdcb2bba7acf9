"""Telling staff what happened: a row in their in-app list and/or an email, as each one chose.

Callers notify after the change itself is committed, so a notification never describes
something that was rolled back; the mails go through the ordinary single-mail queue.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import render_template
from sqlalchemy import func, select, update

from campaign import clock
from campaign.auth.models import User
from campaign.auth.roles import Permission
from campaign.extensions import db
from campaign.mail.models import OutgoingMail
from campaign.mail.services import dispatch, queue_mail
from campaign.notify.events import DEFAULTS, Channel, Event
from campaign.notify.models import Notification, Preference
from campaign.statements.models import Statement, StatementVersion
from campaign.urls import external_url


def preference(user: User) -> Preference:
    """The user's settings row (a transient default if they never saved one)."""
    return db.session.get(Preference, user.id) or Preference(
        user_id=user.id, timezone="UTC", channels={}
    )


def user_zone(user: User) -> str:
    """The time zone the user set in their profile (UTC until they do)."""
    return preference(user).timezone or "UTC"


def channel(user: User, event: Event) -> Channel:
    """How `user` wants to hear about `event`."""
    chosen = (preference(user).channels or {}).get(event.value)
    return Channel(chosen) if chosen in {c.value for c in Channel} else DEFAULTS[event]


def save_preferences(user: User, zone: str, channels: dict[Event, Channel]) -> None:
    """Store the user's time zone and notification choices."""
    row = db.session.get(Preference, user.id) or Preference(user_id=user.id)
    row.timezone = zone
    row.channels = {event.value: chosen.value for event, chosen in channels.items()}
    db.session.add(row)
    db.session.commit()


def notify(
    users: Iterable[User], event: Event, text: str, endpoint: str = "", **values: object
) -> int:
    """Tell each user (once, active accounts only) about `event`; returns how many were told.

    `endpoint` and `values` make the link, which is absolute in emails so it opens from any
    mail client on the public base URL.
    """
    link = external_url(endpoint, **values) if endpoint else ""
    mails: list[OutgoingMail] = []
    told = 0
    for user in {u.id: u for u in users if u is not None and u.active}.values():
        chosen = channel(user, event)
        if chosen in (Channel.APP, Channel.BOTH):
            db.session.add(Notification(user_id=user.id, event=event.value, text=text, link=link))
        if chosen in (Channel.EMAIL, Channel.BOTH):
            mails.append(_mail(user, event, text, link))
        told += chosen is not Channel.NONE
    db.session.commit()
    for mail in mails:
        dispatch(mail)
    return told


def _mail(user: User, event: Event, text: str, link: str) -> OutgoingMail:
    body = render_template("notify/notification.txt", user=user, text=text, link=link)
    return queue_mail(user.email, text[:200], body, purpose=f"notify.{event.value}")


def approvers(excluding: User | None = None) -> list[User]:
    """Active users whose role may approve, except `excluding`."""
    users = db.session.scalars(select(User).where(User.active.is_(True)))
    return [u for u in users if u.can(Permission.APPROVE) and u != excluding]


def authors(statement: Statement, excluding: User | None = None) -> list[User]:
    """Everyone who saved a version of `statement`, except `excluding`."""
    ids = select(StatementVersion.author_id).where(StatementVersion.statement_id == statement.id)
    users = db.session.scalars(select(User).where(User.id.in_(ids)))
    return [u for u in users if u != excluding]


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count()).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def recent(user: User, limit: int = 50) -> list[Notification]:
    """The user's newest notifications."""
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id.desc())
            .limit(limit)
        )
    )


def mark_all_read(user: User) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=clock.now())
    )
    db.session.commit()
