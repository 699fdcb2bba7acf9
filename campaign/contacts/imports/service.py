"""One call for a whole import (CLI, benchmark); the web pages call the steps one by one."""

from __future__ import annotations

from typing import Any

from campaign.contacts.imports.analysis import Analysis, Progress, analyze
from campaign.contacts.imports.columns import Mapping, guess_mapping
from campaign.contacts.imports.reading import FileProblem, decode, header_and_rows
from campaign.contacts.imports.writing import ImportResult, OnDuplicate, write
from campaign.contacts.services import phone_region


class LinesInvalid(FileProblem):
    """Some lines have errors and the caller did not agree to leave them out."""

    def __init__(self, analysis: Analysis) -> None:
        count = len(analysis.errors)
        super().__init__(
            f"{count:,} line{'s' if count != 1 else ''} have errors; nothing was imported."
        )
        self.analysis = analysis


def read_header(data: bytes, encoding: str | None) -> list[str]:
    """The column names of an upload; raises FileProblem if it cannot be decoded or parsed."""
    return header_and_rows(decode(data, encoding))[0]


def prepare(
    data: bytes, encoding: str | None, mapping: Mapping | None, progress: Progress | None = None
) -> Analysis:
    """Decode and check every line; without a mapping, columns are matched by their names."""
    text = decode(data, encoding)
    if mapping is None:
        mapping = guess_mapping(header_and_rows(text)[0])
    return analyze(text, mapping, phone_region(), progress)


def import_contacts(
    data: bytes,
    *,
    actor: Any = None,
    filename: str = "",
    encoding: str | None = None,
    mapping: Mapping | None = None,
    on_duplicate: OnDuplicate = OnDuplicate.MERGE,
    allow_invalid: bool = False,
) -> ImportResult:
    """Import a whole CSV file, or raise (FileProblem, LinesInvalid, ImportFailed) writing nothing.

    With `allow_invalid`, lines with errors are left out (and counted) instead of stopping the
    whole import.
    """
    analysis = prepare(data, encoding, mapping)
    if analysis.errors and not allow_invalid:
        raise LinesInvalid(analysis)
    return write(analysis, on_duplicate, actor, filename)
