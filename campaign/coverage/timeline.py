"""A journalist's history with us: what we sent them and how it went, the embargoed previews
they opened, what they wrote, and the dated notes staff keep. Shown on the contact's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from campaign.auth.models import User
from campaign.contacts.models import Contact
from campaign.coverage.models import ContactNote, CoverageItem, CoverageStatus
from campaign.distribution.models import Distribution, Recipient
from campaign.embargo.models import PreviewLink, PreviewOpen
from campaign.extensions import db


@dataclass(frozen=True)
class Entry:
    day: date
    kind: str
    text: str
    endpoint: str = ""
    ident: int = 0


def _day(value: datetime | date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _distributions(contact_id: int) -> list[Entry]:
    rows = db.session.execute(
        select(Recipient, Distribution)
        .join(Distribution, Distribution.id == Recipient.distribution_id)
        .where(Recipient.contact_id == contact_id)
    )
    return [
        Entry(
            _day(recipient.sent_at or dist.created_at),
            "distribution",
            f"{dist.subject} (v{dist.version.number}): {recipient.status.label.lower()}"
            + (f" — {recipient.reason}" if recipient.reason else ""),
            "distribution.show",
            dist.id,
        )
        for recipient, dist in rows
    ]


def _preview_opens(contact_id: int) -> list[Entry]:
    """Embargoed previews the journalist opened through their own link (campaign/embargo)."""
    rows = db.session.execute(
        select(PreviewOpen, Distribution)
        .join(PreviewLink, PreviewLink.id == PreviewOpen.link_id)
        .join(Recipient, Recipient.id == PreviewLink.recipient_id)
        .join(Distribution, Distribution.id == Recipient.distribution_id)
        .where(Recipient.contact_id == contact_id)
        .order_by(PreviewOpen.opened_at)
    )
    return [
        Entry(
            _day(opened.opened_at),
            "preview",
            f"{dist.subject} (v{dist.version.number}): embargoed {opened.what} opened at "
            f"{opened.opened_at:%H:%M} UTC",
            "distribution.show",
            dist.id,
        )
        for opened, dist in rows
    ]


def _coverage(contact_id: int) -> list[Entry]:
    items = db.session.scalars(
        select(CoverageItem).where(
            CoverageItem.contact_id == contact_id, CoverageItem.status == CoverageStatus.CONFIRMED
        )
    )
    return [
        Entry(
            item.published_on or _day(item.created_at),
            "coverage",
            f"{item.headline or item.url} ({item.outlet}), quoted {len(item.matches)} passage(s)",
            "coverage.show",
            item.id,
        )
        for item in items
    ]


def _notes(contact_id: int) -> list[Entry]:
    notes = db.session.scalars(select(ContactNote).where(ContactNote.contact_id == contact_id))
    return [Entry(note.noted_on, "note", note.text) for note in notes]


# Within one day, what was sent comes before what was noted, and both before the story.
_SAME_DAY_ORDER = {"distribution": 0, "preview": 1, "note": 2, "coverage": 3}


def contact_timeline(contact_id: int) -> list[Entry]:
    """Everything dated about one contact, newest first."""
    entries = (
        _distributions(contact_id)
        + _preview_opens(contact_id)
        + _coverage(contact_id)
        + _notes(contact_id)
    )
    return sorted(entries, key=lambda e: (e.day, _SAME_DAY_ORDER[e.kind]), reverse=True)


def add_note(contact: Contact, noted_on: date, text: str, author: User | None) -> ContactNote:
    """A dated note on a journalist's timeline."""
    note = ContactNote(
        contact_id=contact.id,
        noted_on=noted_on,
        text=text.strip(),
        author_id=author.id if author else None,
    )
    db.session.add(note)
    db.session.commit()
    return note
