"""Contacts as CSV, formula-safe, in the same columns the import reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select

from campaign.contacts.models import Contact
from campaign.csvsafe import csv_text
from campaign.extensions import db

HEADER = ["name", "email", "outlet", "beat", "phone", "city", "tags", "notes", "do_not_contact"]
HEADER_EXTRA = ["unsubscribed_at"]


def _rows(query: Select[tuple[Contact]]) -> Iterator[list[Any]]:
    for contact in db.session.scalars(query.execution_options(yield_per=1000)):
        yield [
            contact.name,
            contact.email,
            contact.outlet,
            contact.beat,
            contact.phone,
            contact.city,
            ", ".join(contact.tags),
            contact.notes,
            "yes" if contact.do_not_contact else "",
            contact.unsubscribed_at.isoformat() if contact.unsubscribed_at else "",
        ]


def contacts_csv(query: Select[tuple[Contact]]) -> str:
    """The contacts `query` selects, one per row; phones in E.164 so they re-import exactly."""
    return csv_text(HEADER + HEADER_EXTRA, _rows(query))
