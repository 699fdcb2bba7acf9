"""The editor's whole-document preview: the unsaved form, typeset by the same press templates.

The preview is built from the form as typed, before validation, so it never refuses: a phone
that does not parse yet is shown as typed, an unknown time zone as UTC.
"""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from campaign import clock
from campaign.pdfs.documents import letterhead
from campaign.statements.forms import StatementForm, timezone_names
from press.documents import Contact, Document


def _zone(name: str | None) -> str:
    return name if name in set(timezone_names()) else "UTC"


def preview_document(form: StatementForm, number: int) -> Document:
    """A Document of the fields the form's kind has, as they are typed right now."""
    shown = {name: getattr(form, name).data if form.shows(name) else None for name in form.data}
    zone = _zone(form.embargo_timezone.data)
    embargo = None
    if form.embargoed and form.embargo_until.data:
        embargo = form.embargo_until.data.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    contacts = tuple(
        Contact(row["name"], row["phone"], row["email"])
        for row in shown.get("media_contacts") or ()
        if row.get("name")
    )
    return Document(
        kind=form.chosen_kind().value,
        title=form.title.data or "",
        letterhead=letterhead(),
        version_number=number,
        subtitle=shown["subtitle"] or "",
        addressee=shown["addressee"] or "",
        body=form.body.data or "",
        closing=shown["closing"] or "",
        document_date=shown["release_date"] or clock.now().date(),
        embargo_until=embargo,
        embargo_timezone=zone,
        dateline=shown["dateline"] or "",
        media_contacts=contacts,
        boilerplate=shown["boilerplate"] or "",
    )
