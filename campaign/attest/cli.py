"""`flask verify FILE`: check a receipt, root, chain or PDF from the shell, offline."""

from __future__ import annotations

import json
import sys
from typing import IO

import click
from flask import Blueprint

from campaign.attest.keys import keys_document, parse_keys
from campaign.attest.verify import verify_bytes

cli = Blueprint("attest_cli", __name__, cli_group=None)


@cli.cli.command("verify")
@click.argument("file", type=click.File("rb"))
@click.option(
    "--keys",
    "keys_file",
    type=click.File("rb"),
    help="A saved /.well-known/campaign-desk-keys.json (default: this instance's own key).",
)
def verify_command(file: IO[bytes], keys_file: IO[bytes] | None) -> None:
    """Say in plain words what a receipt, signed root, chain of roots or PDF proves.

    Exits 0 when everything checked holds, 1 when anything does not.
    """
    try:
        document = json.loads(keys_file.read()) if keys_file else keys_document()
    except ValueError as error:
        raise click.UsageError(f"The keys file is not JSON: {error}") from error
    report = verify_bytes(file.read(), parse_keys(document))
    for line in report.lines():
        click.echo(line)
    sys.exit(0 if report.ok else 1)
