"""Turning a stored statement version into the plain `press.Document` it is typeset from."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app

from campaign.phones import display_phone
from campaign.statements.models import ReleaseType, StatementVersion
from press.documents import Contact, Document, Letterhead, SignatoryGroup

log = logging.getLogger(__name__)


def letterhead() -> Letterhead:
    """The issuing organization from the LETTERHEAD_* settings.

    A logo file that is missing is logged and left out rather than failing every download;
    one that does not decode is left out by `press.images` for the same reason.
    """
    config = current_app.config
    logo = None
    if config.get("LETTERHEAD_LOGO_PATH"):
        try:
            logo = Path(config["LETTERHEAD_LOGO_PATH"]).read_bytes()
        except OSError as error:
            log.warning("letterhead logo not read: %s", error)
    return Letterhead(config["LETTERHEAD_NAME"], config["LETTERHEAD_ADDRESS"], logo)


def _contacts(version: StatementVersion) -> tuple[Contact, ...]:
    return tuple(
        Contact(c.get("name", ""), display_phone(c.get("phone", "")), c.get("email", ""))
        for c in version.media_contacts or ()
    )


def build_document(
    version: StatementVersion,
    groups: tuple[SignatoryGroup, ...] = (),
    cover_note: str | None = None,
) -> Document:
    """Everything that shapes the PDF of `version`, as plain data."""
    embargoed = version.release_type is ReleaseType.EMBARGOED and version.embargo_until
    return Document(
        kind=version.statement.kind.value,
        title=version.title,
        letterhead=letterhead(),
        version_number=version.number,
        created=version.created_at,
        subtitle=version.subtitle,
        addressee=version.addressee,
        body=version.body,
        closing=version.closing,
        document_date=version.release_date or version.created_at.date(),
        embargo_until=version.embargo_until if embargoed else None,
        embargo_timezone=version.embargo_timezone,
        dateline=version.dateline,
        media_contacts=_contacts(version),
        boilerplate=version.boilerplate,
        signatory_groups=groups,
        cover_note=cover_note or "",
    )
