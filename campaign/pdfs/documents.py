"""Turning a stored statement version into the plain `press.Document` it is typeset from."""

from __future__ import annotations

from campaign.phones import display_phone
from campaign.site.services import organization
from campaign.statements.models import ReleaseType, StatementVersion
from press.documents import Contact, Document, Letterhead, SignatoryGroup

# Where pdfs.routes serves press fonts and styles, so that HTML previews of a document (print
# preview here, the editor's preview in statements/) load the same assets as the PDF.
ASSETS = "/press-assets"


def letterhead() -> Letterhead:
    """The issuing organization, from the organization settings."""
    org = organization()
    return Letterhead(org.name, org.postal_address, org.logo)


def _contacts(version: StatementVersion) -> tuple[Contact, ...]:
    return tuple(
        Contact(c.get("name", ""), display_phone(c.get("phone", "")), c.get("email", ""))
        for c in version.media_contacts or ()
    )


def build_document(
    version: StatementVersion,
    groups: tuple[SignatoryGroup, ...] = (),
    cover_note: str | None = None,
    watermark: str = "",
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
        watermark=watermark,
    )
