"""Checking every line of an import against the mapping before anything is written.

The same analysis feeds the preview page and the final write, so what the user confirmed is
what gets imported (it is re-run at commit time, so contacts added meanwhile are seen).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from campaign.contacts.imports.columns import Mapping, missing_required
from campaign.contacts.imports.reading import FileProblem, Record, header_and_rows
from campaign.contacts.models import Contact
from campaign.contacts.validation import ContactInvalid, clean_contact
from campaign.extensions import db

LOOKUP_CHUNK = 1_000
PROGRESS_EVERY = 5_000
Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    reason: str


@dataclass
class Analysis:
    """Valid rows grouped by email key (first line first), line errors, and known addresses."""

    header: list[str]
    mapping: Mapping
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    errors: list[LineError] = field(default_factory=list)
    existing: set[str] = field(default_factory=set)

    @property
    def file_duplicates(self) -> int:
        """Lines whose address already appeared on an earlier line of the file."""
        return sum(len(found) - 1 for found in self.rows.values())

    @property
    def existing_count(self) -> int:
        return len(self.existing)

    @property
    def new_count(self) -> int:
        return len(self.rows) - len(self.existing)

    @property
    def lines_read(self) -> int:
        return sum(map(len, self.rows.values())) + len(self.errors)

    def sample(self, size: int = 10) -> list[dict[str, Any]]:
        """The first few valid rows, as the preview shows them."""
        return [found[0] for _, found in zip(range(size), self.rows.values(), strict=False)]

    def to_json(self) -> dict[str, Any]:
        """Plain data to keep beside the upload, so the commit step need not re-validate."""
        errors = [[error.line, error.reason] for error in self.errors]
        return {"header": self.header, "mapping": self.mapping, "rows": self.rows, "errors": errors}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Analysis:
        """The analysis back, with the known addresses looked up afresh (they may have changed)."""
        errors = [LineError(line, reason) for line, reason in data["errors"]]
        analysis = cls(data["header"], data["mapping"], data["rows"], errors)
        analysis.existing = existing_keys(analysis.rows)
        return analysis


def analyze(text: str, mapping: Mapping, region: str, progress: Progress | None = None) -> Analysis:
    """Validate every line of decoded CSV `text`; raises FileProblem for whole-file problems.

    `progress` is told the line reached every PROGRESS_EVERY records (a worker job's page).
    """
    header, records = header_and_rows(text)
    missing = missing_required(mapping)
    if missing:
        raise FileProblem(
            f"No column is chosen for {' and '.join(missing)}; the file's columns are: "
            f"{', '.join(header)}."
        )
    if any(index >= len(header) for index in mapping.values()):
        raise FileProblem("The column mapping does not fit this file's header.")
    result = Analysis(header, mapping)
    for count, (line, outcome) in enumerate(_clean_records(records, mapping, region), 1):
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(line)
        if isinstance(outcome, str):
            result.errors.append(LineError(line, outcome))
        else:
            outcome["line"] = line
            result.rows.setdefault(outcome["email_key"], []).append(outcome)
    result.existing = existing_keys(result.rows)
    return result


def _clean_records(
    records: Iterable[Record], mapping: Mapping, region: str
) -> Iterator[tuple[int, dict[str, Any] | str]]:
    for record in records:
        if record.error:
            yield record.line, record.error
            continue
        cells = record.cells
        raw = {name: cells[index] if index < len(cells) else "" for name, index in mapping.items()}
        try:
            yield record.line, clean_contact(raw, region)
        except ContactInvalid as error:
            yield record.line, str(error)


def existing_keys(keys: Iterable[str]) -> set[str]:
    """Which of these email keys already belong to a contact."""
    pending = list(keys)
    found: set[str] = set()
    for start in range(0, len(pending), LOOKUP_CHUNK):
        chunk = pending[start : start + LOOKUP_CHUNK]
        found.update(
            db.session.scalars(select(Contact.email_key).where(Contact.email_key.in_(chunk)))
        )
    return found
