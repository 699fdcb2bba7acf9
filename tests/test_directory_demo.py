"""The demo holds a directory with near-duplicates, a letter with invitations in every
status, and individual signers beside organizations."""

from __future__ import annotations

from sqlalchemy import func, select

from campaign.auth.roles import Role
from campaign.directory.models import Invitation, Organization
from campaign.extensions import db
from campaign.signon.models import Signature, SignerKind
from campaign.statements.models import Statement


def test_demo_directory_has_suggestions_and_every_invitation_status(app, runner, client_as):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organization)) >= 145
        unlinked = select(func.count()).where(Signature.organization_id.is_(None))
        assert db.session.scalar(unlinked.where(Signature.kind == SignerKind.ORGANIZATION)) == 0
        assert db.session.scalar(unlinked) == 8  # the individual signers
        statuses = set(db.session.scalars(select(Invitation.status)))
        letter_id = db.session.scalar(select(Invitation.statement_id))
        slug = db.session.get(Statement, letter_id).slug
    assert {s.value for s in statuses} == {"invited", "opened", "signed", "declined"}
    viewer = client_as(Role.EDITOR)  # the directory holds signers' contacts: moderators only
    suggestions = viewer.get("/directory/suggestions").text
    assert "Harbour Families Alliance" in suggestions and "Bridgeway Foundaton" in suggestions
    table = viewer.get(f"/statements/{letter_id}/recruitment").text
    assert "<strong>4</strong> signed" in table and "<strong>2</strong> declined" in table
    assert "4 organizations and 8 individuals" in viewer.get(f"/s/{slug}").text
