"""The directory as CSV: export what a filter selects, import new and updated records.

An imported row updates the record with the same normalized name (or alias), otherwise
it creates one. Like the other imports, a file with a bad row changes nothing, and each
problem is reported with its line number.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select

from campaign.audit.services import record
from campaign.csvsafe import csv_text, read_rows
from campaign.directory.linking import find_organization
from campaign.directory.models import Organization, OrgContact
from campaign.directory.services import DirectoryError, apply_fields, clean_email, set_aliases
from campaign.emailkey import email_key
from campaign.extensions import db
from campaign.signon.models import OrgType, Scope
from campaign.signon.names import normalize_name

HEADER = [
    "name",
    "aliases",
    "org_type",
    "scope",
    "city",
    "region",
    "country",
    "website",
    "email_domain",
    "tags",
    "contact_name",
    "contact_email",
    "notes",
]
LIMITS = {"name": 200, "website": 300, "email_domain": 254, "contact_email": 254, "notes": 5000}
DEFAULT_LIMIT = 120
ALIAS_SEPARATOR = "; "


def _row(organization: Organization) -> list[Any]:
    signer = next((c for c in organization.contacts if c.may_sign), None)
    return [
        organization.name,
        ALIAS_SEPARATOR.join(a.name for a in organization.aliases),
        organization.org_type.value,
        organization.scope.value,
        organization.city,
        organization.region,
        organization.country,
        organization.website,
        organization.email_domain,
        ", ".join(organization.tags),
        signer.name if signer else "",
        signer.email if signer else "",
        organization.notes,
    ]


def _rows(query: Select[Organization]) -> Iterator[list[Any]]:
    for organization in db.session.scalars(query):
        yield _row(organization)


def directory_csv(query: Select[Organization]) -> str:
    """The records `query` selects, in the columns the import reads (BOM for Excel)."""
    return "\ufeff" + csv_text(HEADER, _rows(query))


class ImportFileError(ValueError):
    """The file as a whole cannot be read."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _read(content: bytes, max_rows: int) -> list[tuple[int, dict[str, str]]]:
    return read_rows(content, HEADER, "name", max_rows, ImportFileError)


def _enum(kind: Any, text: str, column: str) -> str:
    for member in kind:
        if text.lower() in (member.value, member.label.lower()):
            return member.value
    raise DirectoryError(f"unknown {column} “{text}”")


def _checked(values: dict[str, str]) -> dict[str, str]:
    for column, value in values.items():
        if len(value) > LIMITS.get(column, DEFAULT_LIMIT):
            raise DirectoryError(f"{column} is longer than {LIMITS.get(column, DEFAULT_LIMIT)}")
    if values.get("org_type"):
        values["org_type"] = _enum(OrgType, values["org_type"], "org_type")
    if values.get("scope"):
        values["scope"] = _enum(Scope, values["scope"], "scope")
    if values.get("contact_email"):
        values["contact_email"] = clean_email(values["contact_email"])
    if not normalize_name(values.get("name", "")):
        raise DirectoryError("the name is missing")
    return values


def _apply(values: dict[str, str], report: ImportReport) -> None:
    organization = find_organization(normalize_name(values["name"]), None)
    if organization is None:
        organization = Organization(name="", normalized_name="", aliases=[], contacts=[])
        db.session.add(organization)
        report.created += 1
    else:
        report.updated += 1
        values = {k: v for k, v in values.items() if v}  # blank cells keep what is stored
        values["name"] = organization.name
    apply_fields(organization, values)
    if values.get("aliases"):
        known = [alias.name for alias in organization.aliases]
        set_aliases(organization, [*known, *values["aliases"].split(";")])
    email = values.get("contact_email", "")
    if email and all(c.email_key != email_key(email) for c in organization.contacts):
        organization.contacts.append(
            OrgContact(name=values.get("contact_name", ""), email=email, email_key=email_key(email))
        )
    db.session.flush()


def import_directory(content: bytes, actor: Any, max_rows: int) -> ImportReport:
    """Create or update records from a CSV; all or nothing (see the module docstring)."""
    report = ImportReport()
    for line, values in _read(content, max_rows):
        try:
            _apply(_checked(values), report)
        except DirectoryError as error:
            report.errors.append((line, str(error)))
    if report.errors:
        db.session.rollback()
        report.created = report.updated = 0
        return report
    record(
        actor,
        "organizations.imported",
        report,
        {"created": report.created, "updated": report.updated},
    )
    db.session.commit()
    return report
