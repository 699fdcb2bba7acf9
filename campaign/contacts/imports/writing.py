"""Writing an analysed import in one transaction, with bulk statements.

New contacts go in with multi-row INSERTs (executemany in chunks); duplicates of existing
contacts are either left alone ("skip") or merged with one bulk UPDATE by primary key
("merge"). Any failure rolls the whole import back, so a file is imported entirely or not
at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any, cast

import psycopg
from sqlalchemy import Table, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from campaign import clock
from campaign.audit.services import record
from campaign.contacts.imports.analysis import LOOKUP_CHUNK, Analysis
from campaign.contacts.models import Contact
from campaign.contacts.tags import decode_tags, encode_tags
from campaign.enums import LabeledEnum
from campaign.extensions import db

WRITE_CHUNK = 5_000
TEXT_FIELDS = ("name", "outlet", "beat", "phone", "city", "notes")
COPY_COLUMNS = (
    *TEXT_FIELDS,
    "email",
    "email_key",
    "tags_text",
    "do_not_contact",
    "unsubscribed_at",
    "created_at",
    "updated_at",
)


class OnDuplicate(LabeledEnum):
    MERGE = "merge"
    SKIP = "skip"


class ImportFailed(RuntimeError):
    """The database refused the import; it was rolled back entirely."""


@dataclass(frozen=True)
class ImportResult:
    created: int
    merged: int
    skipped_existing: int
    file_duplicates: int
    invalid_lines: int

    def summary(self) -> str:
        """One sentence for a flash message or the CLI."""
        return (
            f"{_count(self.created, 'contact')} created, {self.merged:,} merged, "
            f"{self.skipped_existing:,} existing skipped, "
            f"{_count(self.file_duplicates, 'repeated line')} folded, "
            f"{_count(self.invalid_lines, 'line')} with errors left out."
        )


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def merge_values(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """`base` updated by the non-empty values of `extra`.

    Tags are added, never removed, and an import can set do-not-contact but never clear it:
    a spreadsheet must not quietly put someone back on the mailing list.
    """
    merged = dict(base)
    for name in TEXT_FIELDS:
        if extra.get(name):
            merged[name] = extra[name]
    merged["tags"] = sorted(set(base.get("tags", [])) | set(extra.get("tags", [])))
    merged["do_not_contact"] = bool(base.get("do_not_contact") or extra.get("do_not_contact"))
    return merged


def write(
    analysis: Analysis,
    policy: OnDuplicate,
    actor: Any,
    filename: str,
    on_written: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Store the analysed rows; everything commits together or nothing does.

    `on_written` runs just before the commit, so what it records (a worker job marked done)
    is committed with the contacts or not at all: a re-delivered task cannot import twice.
    """
    folded = {key: _fold(found, policy) for key, found in analysis.rows.items()}
    new_rows = [values for key, values in folded.items() if key not in analysis.existing]
    merging = policy is OnDuplicate.MERGE
    try:
        _insert(new_rows)
        merged = _merge_existing(folded, analysis.existing) if merging else 0
        result = ImportResult(
            created=len(new_rows),
            merged=merged,
            skipped_existing=0 if merging else len(analysis.existing),
            file_duplicates=analysis.file_duplicates,
            invalid_lines=len(analysis.errors),
        )
        record(actor, "contacts.imported", result, {"file": filename, **asdict(result)})
        if on_written is not None:
            on_written(result)
        db.session.commit()
    except (SQLAlchemyError, psycopg.Error) as error:
        db.session.rollback()
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        raise ImportFailed(
            f"The database refused the import, so nothing was saved: {reason}"
        ) from error
    return result


def _fold(found: list[dict[str, Any]], policy: OnDuplicate) -> dict[str, Any]:
    first = found[0]
    if policy is OnDuplicate.SKIP:
        return first
    merged = first
    for later in found[1:]:
        merged = merge_values(merged, later)
    return merged


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), WRITE_CHUNK):
        yield rows[start : start + WRITE_CHUNK]


def _insert(rows: list[dict[str, Any]]) -> None:
    now = clock.now()
    if db.session.get_bind().dialect.name == "postgresql":
        _copy(_column_values(row, now) for row in rows)
        return
    for chunk in _chunks(rows):
        db.session.execute(
            insert(cast(Table, Contact.__table__)), [_column_values(row, now) for row in chunk]
        )


def _copy(values: Iterable[dict[str, Any]]) -> None:
    """PostgreSQL COPY on the session's own connection, so it is part of the same transaction.

    bench/contact_import.py measured it at several times the speed of multi-row INSERTs.
    """
    driver_connection = db.session.connection().connection.driver_connection
    assert driver_connection is not None, "the session's connection is open"
    cursor = driver_connection.cursor()
    statement = f"COPY {Contact.__tablename__} ({', '.join(COPY_COLUMNS)}) FROM STDIN"
    with cursor.copy(statement) as copy:
        for row in values:
            copy.write_row([row[name] for name in COPY_COLUMNS])


def _column_values(row: dict[str, Any], now: Any) -> dict[str, Any]:
    values = {name: row.get(name, "") for name in TEXT_FIELDS}
    values.update(
        email=row["email"],
        email_key=row["email_key"],
        tags_text=encode_tags(row.get("tags", [])),
        do_not_contact=bool(row.get("do_not_contact")),
        unsubscribed_at=None,
        created_at=now,
        updated_at=now,
    )
    return values


def _merge_existing(folded: dict[str, dict[str, Any]], existing: set[str]) -> int:
    keys = sorted(existing)
    now = clock.now()
    columns = [getattr(Contact, name) for name in (*TEXT_FIELDS, "tags_text", "do_not_contact")]
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        query = select(Contact.id, Contact.email_key, *columns).where(Contact.email_key.in_(chunk))
        changes = []
        for row in db.session.execute(query).mappings():
            base = dict(row) | {"tags": decode_tags(row["tags_text"])}
            merged = merge_values(base, folded[row["email_key"]])
            changes.append(
                {name: merged[name] for name in (*TEXT_FIELDS, "do_not_contact")}
                | {"id": row["id"], "tags_text": encode_tags(merged["tags"]), "updated_at": now}
            )
        if changes:
            db.session.execute(update(Contact), changes)
    return len(keys)
