"""Staff work on the suppression list: search it, export it, add addresses by hand or from
a CSV file, and see the contacts who unsubscribed (they are skipped the same way).

Lifting an entry is `suppression.lift` (audited); adding one is audited by `suppress`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import Select, or_, select

from campaign.contacts.models import Contact
from campaign.extensions import db
from campaign.mailpolicy.models import Suppression, SuppressionSource
from campaign.mailpolicy.suppression import suppress
from campaign.pagination import Page, paginate

PAGE = 50
CSV_HEADER = ("email", "reason", "source", "since", "distribution_id")
MAX_IMPORT_ROWS = 50_000


def _matching(query: str) -> Select[Suppression]:
    found = select(Suppression).order_by(Suppression.created_at.desc(), Suppression.id.desc())
    text = query.strip().lower()
    if text:
        like = f"%{text.replace('%', '').replace('_', '')}%"
        found = found.where(or_(Suppression.email_key.like(like), Suppression.reason.like(like)))
    return found


def search(query: str = "", page: int = 1) -> Page[Suppression]:
    """One page of entries whose address or reason contains `query`, newest first."""
    return paginate(_matching(query), page, PAGE)


def unsubscribed(query: str = "", page: int = 1) -> Page[Contact]:
    """One page of contacts who unsubscribed (skipped by every distribution), newest first."""
    found = select(Contact).where(Contact.unsubscribed_at.is_not(None))
    text = query.strip().lower()
    if text:
        found = found.where(Contact.email_key.like(f"%{text.replace('%', '')}%"))
    order = (Contact.unsubscribed_at.desc(), Contact.id.desc())
    return paginate(found.order_by(*order), page, PAGE)


def export_rows(query: str = "") -> Iterator[tuple[Any, ...]]:
    """Every matching entry for the CSV export."""
    for row in db.session.scalars(_matching(query)):
        since = row.created_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        yield row.email, row.reason, row.source.value, since, row.distribution_id or ""


class AddressError(ValueError):
    """The text is not an email address."""


def _address(text: str) -> str:
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise AddressError(f"“{text.strip()}”: {error}") from error


def add_by_hand(text: str, reason: str, actor: object) -> bool:
    """Suppress one address typed by staff; False if it was already on the list."""
    address = _address(text)
    added = suppress(
        address, reason.strip() or "added by hand", source=SuppressionSource.MANUAL, actor=actor
    )
    db.session.commit()
    return added


@dataclass
class ImportResult:
    added: int = 0
    already: int = 0
    invalid: list[str] = field(default_factory=list)


def import_csv(data: bytes, actor: object) -> ImportResult:
    """Suppress the addresses of a CSV file: an `email` column (or the first column) and
    an optional `reason` column. Any invalid address refuses the whole file."""
    rows = _csv_rows(data)
    result = ImportResult()
    addresses = []
    for line, (text, reason) in enumerate(rows, start=1):
        try:
            addresses.append((_address(text), reason))
        except AddressError as error:
            result.invalid.append(f"row {line}: {error}")
    if result.invalid:
        return result
    for address, reason in addresses:
        added = suppress(
            address, reason or "imported", source=SuppressionSource.IMPORT, actor=actor
        )
        result.added += added
        result.already += not added
    db.session.commit()
    return result


def _csv_rows(data: bytes) -> list[tuple[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AddressError("The file is not UTF-8 text.") from error
    table = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if len(table) > MAX_IMPORT_ROWS:
        raise AddressError(f"At most {MAX_IMPORT_ROWS:,} rows per file.")
    if not table:
        return []
    header = [cell.strip().lower() for cell in table[0]]
    email_at = header.index("email") if "email" in header else None
    reason_at = header.index("reason") if "reason" in header else None
    body = table[1:] if email_at is not None else table
    email_at = email_at or 0

    def cell(row: list[str], index: int | None) -> str:
        return row[index].strip() if index is not None and index < len(row) else ""

    return [(cell(row, email_at), cell(row, reason_at)) for row in body]
