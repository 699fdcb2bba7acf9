"""`flask render-pdf`: a statement's PDF from the shell, for scripts and for checking layout."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Blueprint

from campaign.pdfs.services import pdf_for_version
from campaign.statements.cli_lookup import statement_from_cli
from campaign.statements.services import UnknownVersion, get_version

cli = Blueprint("pdfs_cli", __name__, cli_group=None)


@cli.cli.command("render-pdf")
@click.argument("statement")
@click.option("--version", "number", type=int, help="Version number (default: the newest).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
def render_pdf_command(statement: str, number: int | None, output: Path) -> None:
    """Write the PDF of STATEMENT (id or slug) as the download would serve it now."""
    chosen = statement_from_cli(statement)
    try:
        version = get_version(chosen, number or chosen.head_number)
    except UnknownVersion as error:
        raise click.ClickException(str(error)) from error
    rendered = pdf_for_version(version.id)
    output.write_bytes(rendered.data)
    click.echo(f"Wrote {output} ({len(rendered.data):,} bytes, sha256 {rendered.sha256[:12]}).")
