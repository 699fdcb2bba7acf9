"""The demo shows a new user an embargoed release waiting for its lift."""

from __future__ import annotations

from sqlalchemy import select

from campaign.demo.content import EMBARGOED_RELEASE
from campaign.embargo.models import Publication, PublicationStatus
from campaign.extensions import db
from campaign.statements.models import Statement, StatementVersion, Status


def test_demo_release_is_scheduled_at_its_lift_behind_a_holding_page(app, runner, client):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        statement = db.session.scalar(
            select(Statement)
            .join(StatementVersion, StatementVersion.statement_id == Statement.id)
            .where(StatementVersion.title == EMBARGOED_RELEASE.title)
        )
        publication = db.session.scalar(select(Publication))
        assert statement.status is Status.APPROVED
        assert publication.status is PublicationStatus.SCHEDULED
        assert publication.publish_at == statement.head.embargo_until
        slug = statement.slug
    page = client.get(f"/s/{slug}")
    assert page.status_code == 200 and "data-countdown" in page.text
    assert "9:00 AM CST" in page.text
    assert "median wait" not in page.text
    assert "waiting lists" not in client.get("/newsroom").text
