"""The directory migration moves existing signatures onto organization records."""

from __future__ import annotations

import re

from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from bench.scratch import ROOT
from campaign.auth.roles import Role
from campaign.auth.services import create_user
from campaign.campaigns.services import create_campaign
from campaign.directory.models import Organization
from campaign.extensions import db
from campaign.signon.models import Signature
from campaign.signon.names import normalize_name
from campaign.statements.content import Content
from campaign.statements.models import Kind
from campaign.statements.services import create_statement
from tests.test_setup import empty_database_url, fresh_app  # noqa: F401  (fixture)

# The revision just before the directory's: downgrading there drops only the directory.
_MIGRATION = ROOT / "migrations" / "versions" / "directory_organizations.py"
BEFORE = re.search(r"^down_revision = '(\w+)'", _MIGRATION.read_text(), re.M).group(1)
SIGNERS = [
    # (letter, organization, contact email)
    (0, "Justice Forward Project", "ana@jfp.example.org"),
    (0, "Harbor Families", "hal@harbor.example.org"),
    (1, "The Justice Forward Project, Inc.", "ben@jfp.example.org"),  # same name key
    (1, "Harbor Families Alliance", "hal@harbor.example.org"),  # same email
    (1, "Lone Star Clinic", "lee@lonestar.example.org"),
]


def _signatures_at_head() -> None:
    user = create_user("editor@example.org", "Eden", Role.EDITOR, "correct-horse-battery")
    campaign = create_campaign("Migration", "", user)
    letters = [
        create_statement(campaign, Kind.COALITION_LETTER, Content(title=f"Letter {n}"), user)
        for n in range(2)
    ]
    for letter_index, name, email in SIGNERS:
        letter = letters[letter_index]
        db.session.add(
            Signature(
                statement_id=letter.id,
                signed_version_id=letter.head.id,
                organization=name,
                normalized_name=normalize_name(name),
                contact_name="Someone",
                contact_email=email,
                email_key=email,
            )
        )
    db.session.commit()


def test_existing_signatures_are_grouped_onto_organizations(app, empty_database_url):  # noqa: F811
    migrated = fresh_app(app, empty_database_url)
    with migrated.app_context():
        upgrade()
        _signatures_at_head()
        db.session.remove()
        downgrade(revision=BEFORE)  # the signatures stay, the directory goes
        upgrade()
        rows = db.session.execute(
            select(Signature.organization, Signature.organization_id).order_by(Signature.id)
        ).all()
        organizations = {
            o.id: (o.name, sorted(a.name for a in o.aliases), sorted(c.email for c in o.contacts))
            for o in db.session.scalars(select(Organization))
        }
        db.session.remove()
        db.engine.dispose()
    by_name = {name: org_id for name, org_id in rows}
    assert by_name["Justice Forward Project"] == by_name["The Justice Forward Project, Inc."]
    assert by_name["Harbor Families"] == by_name["Harbor Families Alliance"]
    assert len(organizations) == 3
    assert organizations[by_name["Harbor Families"]] == (
        "Harbor Families",
        ["Harbor Families Alliance"],
        ["hal@harbor.example.org"],
    )
    assert organizations[by_name["Justice Forward Project"]][2] == [
        "ana@jfp.example.org",
        "ben@jfp.example.org",
    ]
