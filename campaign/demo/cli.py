"""`flask seed-demo`: a ready-made campaign so a first visit has something to look at."""

from __future__ import annotations

import click
from flask import Blueprint
from sqlalchemy import select

from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.auth.services import create_user, find_user
from campaign.campaigns.models import Campaign
from campaign.campaigns.services import create_campaign
from campaign.demo import content
from campaign.demo.contacts import seed_contacts
from campaign.demo.coverage import seed_coverage
from campaign.demo.directory import seed_directory
from campaign.demo.distributions import seed_distribution
from campaign.demo.embargo import seed_embargoed_release
from campaign.demo.review import seed_review_demo
from campaign.demo.signatories import add_demo_signatories
from campaign.extensions import db
from campaign.statements.models import Kind
from campaign.statements.services import create_statement, save_version
from campaign.statements.workflow import Action, perform

cli = Blueprint("demo_cli", __name__, cli_group=None)

DEMO_PASSWORD = "campaign-demo"
DEMO_USERS = {
    Role.ADMIN: ("admin@example.org", "Avery Admin"),
    Role.EDITOR: ("editor@example.org", "Eden Editor"),
    Role.APPROVER: ("approver@example.org", "Alex Approver"),
    Role.PRESS_OFFICER: ("press@example.org", "Parker Press"),
    Role.VIEWER: ("viewer@example.org", "Vic Viewer"),
}


def _demo_user(role: Role) -> User:
    email, name = DEMO_USERS[role]
    return find_user(email) or create_user(email, name, role, DEMO_PASSWORD)


def seed_demo() -> Campaign:
    """Create the demo users and campaign once; running it again changes nothing."""
    users = {role: _demo_user(role) for role in DEMO_USERS}
    seed_contacts(users[Role.PRESS_OFFICER])
    existing = db.session.scalar(select(Campaign).where(Campaign.name == content.CAMPAIGN_NAME))
    if existing is not None:
        return existing
    editor, approver = users[Role.EDITOR], users[Role.APPROVER]
    campaign = create_campaign(content.CAMPAIGN_NAME, content.CAMPAIGN_DESCRIPTION, editor)
    letter = create_statement(campaign, Kind.COALITION_LETTER, content.LETTER_FIRST_DRAFT, editor)
    save_version(letter, 1, content.LETTER, editor, note="Firmer ask; request a public hearing")
    for action, actor in (
        (Action.SUBMIT, editor),
        (Action.APPROVE, approver),
        (Action.PUBLISH, approver),
    ):
        perform(letter, action, actor, letter.head_number)
    add_demo_signatories(letter)
    create_statement(campaign, Kind.PRESS_RELEASE, content.PRESS_RELEASE, editor)
    seed_distribution(users[Role.PRESS_OFFICER], letter)
    seed_coverage(letter, users[Role.PRESS_OFFICER])
    seed_review_demo(campaign, editor)
    seed_embargoed_release(campaign, editor, approver)
    seed_directory(campaign, editor, approver)
    return campaign


@cli.cli.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo campaign, a coalition letter and a press release (idempotent)."""
    campaign = seed_demo()
    click.echo(f"Demo campaign “{campaign.name}” is ready.")
    click.echo(f"Demo accounts (password “{DEMO_PASSWORD}”):")
    for role, (email, _) in DEMO_USERS.items():
        click.echo(f"  {role.label:<14} {email}")
