"""Importing an existing signatory list from CSV.

Imported signers confirmed elsewhere (a paper list, another tool), so they are stored as
confirmed (approved, if the statement requires approval), marked with the staff member who
imported them. A file with any bad row imports nothing unless the user asked to skip bad
rows; each problem is reported with its line number.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from campaign import clock
from campaign.audit.services import record
from campaign.auth.models import User
from campaign.csvsafe import read_rows
from campaign.emailkey import email_key
from campaign.enums import LabeledEnum
from campaign.extensions import db
from campaign.signon.models import OrgType, Scope, Signature, SignatureStatus
from campaign.signon.names import normalize_name, normalize_website
from campaign.signon.services import settings_for
from campaign.statements.models import Statement

COLUMNS = (
    "organization",
    "org_type",
    "scope",
    "city",
    "region",
    "country",
    "website",
    "contact_name",
    "contact_email",
)
LIMITS = {"organization": 200, "website": 300, "contact_email": 254}
DEFAULT_LIMIT = 120


class ImportFileError(ValueError):
    """The file as a whole cannot be read (encoding, header, size)."""


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _enum_value(kind: type[LabeledEnum], text: str, column: str) -> LabeledEnum:
    text = text.strip()
    if not text:
        return next(iter(kind))
    for member in kind:
        if text.lower() in (member.value, member.label.lower()):
            return member
    raise ValueError(f"unknown {column} “{text}”")


def _read(content: bytes, max_rows: int) -> list[tuple[int, dict[str, str]]]:
    return read_rows(content, COLUMNS, "organization", max_rows, ImportFileError)


def _row_problem(values: dict[str, str]) -> str | None:
    if not normalize_name(values.get("organization", "")):
        return "the organization name is missing"
    for column, value in values.items():
        if len(value) > LIMITS.get(column, DEFAULT_LIMIT):
            return f"{column} is longer than {LIMITS.get(column, DEFAULT_LIMIT)} characters"
    try:
        values["website"] = normalize_website(values.get("website", ""))
    except ValueError as error:
        return f"website: {error}"
    if values.get("contact_email"):
        try:
            validate_email(values["contact_email"], check_deliverability=False)
        except EmailNotValidError as error:
            return f"invalid contact_email: {error}"
    return None


def _signature(statement: Statement, values: dict[str, str]) -> Signature:
    org_type = _enum_value(OrgType, values.get("org_type", ""), "org_type")
    scope = _enum_value(Scope, values.get("scope", ""), "scope")
    email = values.get("contact_email", "")
    return Signature(
        statement_id=statement.id,
        signed_version_id=statement.published_version_id or statement.head.id,
        organization=values["organization"],
        normalized_name=normalize_name(values["organization"]),
        org_type=org_type,
        scope=scope,
        **{k: values.get(k, "") for k in ("city", "region", "country", "website")},
        contact_name=values.get("contact_name", ""),
        contact_email=email,
        email_key=email_key(email) or None,
    )


def _taken(statement: Statement) -> tuple[set[str], set[str]]:
    rows = db.session.execute(
        select(Signature.normalized_name, Signature.email_key).where(
            Signature.statement_id == statement.id
        )
    ).all()
    return {name for name, _ in rows}, {email for _, email in rows if email}


def _build(
    statement: Statement, rows: list[tuple[int, dict[str, str]]], report: ImportReport
) -> list[Signature]:
    names, emails = _taken(statement)
    built: list[Signature] = []
    for line, values in rows:
        problem = _row_problem(values)
        signature = None
        if problem is None:
            try:
                signature = _signature(statement, values)
            except ValueError as error:
                problem = str(error)
        if signature is not None and signature.normalized_name in names:
            problem = f"“{values['organization']}” has already signed (or appears twice)"
        elif signature is not None and signature.email_key in emails:
            problem = f"{signature.contact_email} has already signed (or appears twice)"
        if problem:
            report.errors.append((line, problem))
            continue
        assert signature is not None, "built whenever no problem was found"
        names.add(signature.normalized_name)
        if signature.email_key:
            emails.add(signature.email_key)
        built.append(signature)
    return built


def import_csv(
    statement: Statement, content: bytes, actor: User, skip_bad_rows: bool, max_rows: int
) -> ImportReport:
    """Import a signatory list; see the module docstring for the all-or-nothing rule."""
    report = ImportReport()
    signatures = _build(statement, _read(content, max_rows), report)
    if report.errors and not skip_bad_rows:
        return report
    settings = settings_for(statement.id)
    status = (
        SignatureStatus.APPROVED
        if settings and settings.requires_approval
        else SignatureStatus.CONFIRMED
    )
    now = clock.now()
    for signature in signatures:
        signature.status, signature.confirmed_at = status, now
        signature.imported_by_id = actor.id
        db.session.add(signature)
    record(
        actor,
        "signatures.imported",
        statement,
        {"imported": len(signatures), "skipped_lines": [line for line, _ in report.errors]},
    )
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise ImportFileError(
            "Someone signed while the file was imported; nothing was imported, try again."
        ) from error
    report.imported = len(signatures)
    return report
