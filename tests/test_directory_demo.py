"""The demo holds a directory with near-duplicates and a letter with invitations."""

from __future__ import annotations

from sqlalchemy import func, select

from campaign.auth.roles import Role
from campaign.directory.models import Invitation, Organization
from campaign.extensions import db
from campaign.signon.models import Signature


def test_demo_directory_has_suggestions_and_every_invitation_status(app, runner, client_as):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organization)) >= 145
        assert (
            db.session.scalar(select(func.count()).where(Signature.organization_id.is_(None))) == 0
        )
        statuses = set(db.session.scalars(select(Invitation.status)))
        letter_id = db.session.scalar(select(Invitation.statement_id))
    assert {s.value for s in statuses} == {"invited", "opened", "signed", "declined"}
    viewer = client_as(Role.VIEWER)
    suggestions = viewer.get("/directory/suggestions").text
    assert "Harbour Families Alliance" in suggestions and "Bridgeway Foundaton" in suggestions
    table = viewer.get(f"/statements/{letter_id}/recruitment").text
    assert "<strong>4</strong> signed" in table and "<strong>2</strong> declined" in table
