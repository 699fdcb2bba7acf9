"""`flask import-contacts FILE`: bulk imports from the command line, all or nothing."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Blueprint

from campaign.contacts.imports.columns import mapping_from_names
from campaign.contacts.imports.reading import ENCODINGS, FileProblem, decode, header_and_rows
from campaign.contacts.imports.service import LinesInvalid, import_contacts
from campaign.contacts.imports.writing import ImportFailed, OnDuplicate

cli = Blueprint("contacts_cli", __name__, cli_group=None)
ERRORS_SHOWN = 50


@cli.cli.command("import-contacts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--on-duplicate",
    type=click.Choice([policy.value for policy in OnDuplicate]),
    default=OnDuplicate.MERGE.value,
    show_default=True,
    help="What to do with an address that is already a contact (or repeats in the file).",
)
@click.option("--encoding", type=click.Choice(list(ENCODINGS)), help="Default: UTF-8 (BOM ok).")
@click.option(
    "--map",
    "pairs",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="Take FIELD from the column named COLUMN (default: matched by header names).",
)
@click.option("--skip-invalid", is_flag=True, help="Import the valid lines, leave out the rest.")
def import_contacts_command(
    file: Path, on_duplicate: str, encoding: str | None, pairs: tuple[str, ...], skip_invalid: bool
) -> None:
    """Import contacts from a CSV file; on any error nothing is written (exit status 1)."""
    data = file.read_bytes()
    try:
        mapping = _mapping(data, encoding, pairs) if pairs else None
        result = import_contacts(
            data,
            filename=file.name,
            encoding=encoding,
            mapping=mapping,
            on_duplicate=OnDuplicate(on_duplicate),
            allow_invalid=skip_invalid,
        )
    except LinesInvalid as problem:
        _echo_line_errors(problem)
        raise click.ClickException(f"{problem} Fix them, or pass --skip-invalid.") from problem
    except (FileProblem, ImportFailed, ValueError) as problem:
        raise click.ClickException(str(problem)) from problem
    click.echo(result.summary())


def _mapping(data: bytes, encoding: str | None, pairs: tuple[str, ...]) -> dict[str, int]:
    header = header_and_rows(decode(data, encoding))[0]
    split = dict(pair.split("=", 1) for pair in pairs if "=" in pair)
    if len(split) != len(pairs):
        raise ValueError("Write each --map as FIELD=COLUMN.")
    return mapping_from_names(header, split)


def _echo_line_errors(problem: LinesInvalid) -> None:
    errors = problem.analysis.errors
    for error in errors[:ERRORS_SHOWN]:
        click.echo(f"line {error.line}: {error.reason}", err=True)
    if len(errors) > ERRORS_SHOWN:
        click.echo(f"... and {len(errors) - ERRORS_SHOWN:,} more lines with errors", err=True)
