"""`flask create-user`: the way the first admin account comes to exist."""

from __future__ import annotations

import click
from flask import Blueprint

from campaign.auth.roles import Role
from campaign.auth.services import AccountError, create_user

cli = Blueprint("auth_cli", __name__, cli_group=None)


@cli.cli.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option(
    "--role", type=click.Choice([role.value for role in Role]), default="viewer", prompt=True
)
@click.password_option()
def create_user_command(email: str, name: str, role: str, password: str) -> None:
    """Create a staff account (passwords are hashed; at least 10 characters)."""
    try:
        user = create_user(email, name, Role(role), password)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.role.label.lower()} {user.email}.")
