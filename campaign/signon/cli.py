"""`flask signon export|import`: signatory lists from the shell."""

from __future__ import annotations

import sys
from typing import IO

import click
from flask import Blueprint, current_app

from campaign.auth.services import find_user
from campaign.signon.importing import ImportFileError, import_csv
from campaign.signon.listing import listed_signatories, signatories_csv
from campaign.signon.moderation import staff_csv
from campaign.statements.cli_lookup import statement_from_cli

cli = Blueprint("signon_cli", __name__, cli_group="signon")


@cli.cli.command("export")
@click.argument("statement")
@click.option("-o", "--output", type=click.File("wb"), default="-", help="File (default stdout).")
@click.option("--all", "everyone", is_flag=True, help="Every signature with contact details.")
def export_command(statement: str, output: IO[bytes], everyone: bool) -> None:
    """Write the public signatory list (or, with --all, every signature) as CSV."""
    found = statement_from_cli(statement)
    if everyone:
        output.write(staff_csv(found.id).encode("utf-8"))
    else:
        output.write(signatories_csv(listed_signatories(found.id)))


@cli.cli.command("import")
@click.argument("statement")
@click.argument("csv_file", type=click.File("rb"))
@click.option("--as", "email", required=True, help="Staff account recorded as the importer.")
@click.option("--skip-bad-rows", is_flag=True, help="Import good rows even if others are bad.")
def import_command(statement: str, csv_file: IO[bytes], email: str, skip_bad_rows: bool) -> None:
    """Import confirmed signatories from CSV; nothing is imported from a bad file by default."""
    found = statement_from_cli(statement)
    actor = find_user(email)
    if actor is None:
        raise click.ClickException(f"No staff account {email}.")
    try:
        report = import_csv(
            found,
            csv_file.read(),
            actor,
            skip_bad_rows,
            current_app.config["SIGNON_IMPORT_MAX_ROWS"],
        )
    except ImportFileError as error:
        raise click.ClickException(str(error)) from error
    for line, problem in report.errors:
        click.echo(f"line {line}: {problem}", err=True)
    click.echo(f"Imported {report.imported} signatories.")
    if report.errors and not skip_bad_rows:
        click.echo("Nothing was imported; fix the lines above or use --skip-bad-rows.", err=True)
        sys.exit(1)
