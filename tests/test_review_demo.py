"""The demo data shows partner review and delivery targets."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.review.models import ReviewInvitee
from campaign.review.services import invitation_url
from campaign.statements.models import Kind, Statement
from tests.conftest import log_in


def test_demo_has_targets_and_a_review_link_with_comments(app, runner, client, make_user):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        letter, release = (
            db.session.scalars(
                select(Statement).where(Statement.kind == kind).order_by(Statement.id)
            )
            .first()
            .id
            for kind in (Kind.COALITION_LETTER, Kind.PRESS_RELEASE)
        )
        invitee = db.session.scalars(select(ReviewInvitee)).first()
        path = invitation_url(invitee).removeprefix("http://localhost")
    staff = log_in(app.test_client(), make_user())
    targets = staff.get(f"/statements/{letter}/targets").text
    assert "Rep. Marguerite Ashdown" in targets and "Chair, House Judiciary Committee" in targets
    assert "Delivered: 5 of 5 sent" in targets
    review = staff.get(f"/statements/{release}/versions/1/review").text
    assert "2 open comment(s), 1 resolved" in review
    assert "Marisol Okafor" in review and "Theo Lindqvist" in review
    partner = client.get(path)
    assert partner.status_code == 200 and "Please check the quotes" in partner.text
