"""A real worker publishes at the lift what was scheduled while no worker was running."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from campaign import clock
from campaign.auth.roles import Role
from campaign.embargo.models import Publication, PublicationStatus
from campaign.extensions import db
from campaign.jobs import enqueue
from campaign.statements.models import Kind, ReleaseType, Statement, Status
from tests.conftest import load_statement, log_in
from tests.support.embargo import act
from tests.support.waiting import wait_until


def wait_until_published(app, statement_id: int, timeout: float = 60.0) -> Statement:
    def published() -> Statement | None:
        statement = load_statement(app, statement_id)
        return statement if statement.status is Status.PUBLISHED else None

    return wait_until(published, timeout, "the sweep to publish the release")


@pytest.mark.worker
def test_sweep_in_a_worker_publishes_a_lift_missed_while_it_was_down(
    app, make_user, make_statement, celery_worker
):
    # The worker runs on the system clock: the lift is a minute ago, the decision was
    # taken (on the test's clock) an hour before that, while no worker was running.
    lift = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
    clock.set_clock(lambda: lift - timedelta(hours=1))
    try:
        editor_user, approver_user = make_user(Role.EDITOR), make_user(Role.APPROVER)
        statement_id = make_statement(
            kind=Kind.PRESS_RELEASE,
            title="Worker lift",
            body="Words held until the lift.",
            author=editor_user,
            release_type=ReleaseType.EMBARGOED,
            embargo_until=lift,
            embargo_timezone="Europe/Berlin",
        )
        editor = log_in(app.test_client(), editor_user)
        approver = log_in(app.test_client(), approver_user)
        act(editor, statement_id, "submit", 1)
        act(approver, statement_id, "approve", 1)
        act(approver, statement_id, "publish", 1, embargo="at_lift")
    finally:
        clock.set_clock(None)
    assert load_statement(app, statement_id).status is Status.APPROVED
    celery_worker()
    with app.app_context():
        assert enqueue("embargo.publish_due")  # what beat sends every EMBARGO_SWEEP_SECONDS
        assert enqueue("embargo.publish_due")  # twice, as two beats might: published once
    statement = wait_until_published(app, statement_id)
    assert statement.published_at == lift
    with app.app_context():
        assert db.session.scalar(select(Publication)).status is PublicationStatus.DONE
    assert "Words held until the lift." in app.test_client().get(f"/s/{statement.slug}").text
