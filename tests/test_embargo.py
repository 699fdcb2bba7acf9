"""Embargoes hold on every public surface, and publish at the lift (issue 13)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from campaign.audit.models import AuditEvent
from campaign.embargo.models import Publication, PublicationStatus
from campaign.embargo.services import publish_due
from campaign.extensions import db
from campaign.statements.content import Content
from campaign.statements.models import Statement, Status
from campaign.statements.services import save_version
from tests.conftest import load_statement
from tests.support.embargo import LIFT, SECRET_WORDS, act, public_surfaces


def _schedule(embargoed):
    return act(embargoed.approver, embargoed.statement_id, "publish", 1, embargo="at_lift")


def _assert_nothing_leaks(client, slug):
    surfaces = public_surfaces(client, slug)
    for name, response in surfaces.items():
        assert SECRET_WORDS.encode() not in response.data, name
        assert b"Coalition reaches settlement" not in response.data, name
    for name in ("pdf", "sign", "embed", "og"):
        assert surfaces[name].status_code == 404, name
    return surfaces


def test_publishing_an_embargoed_release_asks_for_a_choice(app, embargoed, client):
    page = embargoed.approver.get(f"/statements/{embargoed.statement_id}").text
    assert 'value="at_lift" checked' in page and 'value="lift_now"' in page
    assert "December 8, 2026, 9:00 AM CST" in page
    refused = act(embargoed.approver, embargoed.statement_id, "publish", 1)
    assert "This release is embargoed: choose" in refused.text
    assert load_statement(app, embargoed.statement_id).status is Status.APPROVED
    assert client.get(f"/s/{embargoed.slug}").status_code == 404


def test_before_the_lift_only_a_holding_page_is_public(app, embargoed, client, moment):
    response = _schedule(embargoed)
    assert "now approved" not in response.text
    statement = load_statement(app, embargoed.statement_id)
    assert statement.status is Status.APPROVED and statement.published_version_id is None
    moment.at(LIFT - timedelta(seconds=1))
    surfaces = _assert_nothing_leaks(client, embargoed.slug)
    holding = surfaces["page"]
    assert holding.status_code == 200
    assert holding.headers["X-Robots-Tag"].startswith("noindex")
    assert '<meta name="robots" content="noindex' in holding.text
    assert "December 8, 2026, 9:00 AM CST" in holding.text
    assert 'datetime="2026-12-08T15:00:00Z"' in holding.text
    assert 'data-countdown="2026-12-08T15:00:00Z"' in holding.text


def test_at_the_lift_the_release_is_public_at_its_url(app, embargoed, client, moment):
    _schedule(embargoed)
    moment.at(LIFT)
    # Public at the instant, even before the sweep has run.
    page = client.get(f"/s/{embargoed.slug}")
    assert SECRET_WORDS in page.text and "noindex" not in page.headers.get("X-Robots-Tag", "")
    with app.app_context():
        assert publish_due() == 1
        assert publish_due() == 0
    statement = load_statement(app, embargoed.statement_id)
    assert statement.status is Status.PUBLISHED
    assert statement.published_at == LIFT
    moment.at(LIFT + timedelta(hours=1))
    for path in ("/newsroom", "/newsroom/feed.rss", "/sitemap.xml", f"/s/{embargoed.slug}/pdf"):
        response = client.get(path)
        assert response.status_code == 200, path
    assert "Coalition reaches settlement" in client.get("/newsroom").text


def test_worker_down_across_the_lift_catches_up(app, embargoed, moment):
    _schedule(embargoed)
    moment.at(LIFT + timedelta(hours=6))  # no sweep ran for six hours
    with app.app_context():
        assert publish_due() == 1
        publication = db.session.scalar(select(Publication))
        assert publication.status is PublicationStatus.DONE
    statement = load_statement(app, embargoed.statement_id)
    assert statement.published_at == LIFT  # published as of the lift, not of the catch-up


def test_newer_draft_saved_before_the_lift_does_not_go_public(app, embargoed, client, moment):
    _schedule(embargoed)
    with app.app_context():
        statement = db.session.get(Statement, embargoed.statement_id)
        save_version(statement, 1, Content(title="Draft v2", body="Unapproved new words."), None)
    moment.at(LIFT)
    with app.app_context():
        assert publish_due() == 1
    page = client.get(f"/s/{embargoed.slug}").text
    assert SECRET_WORDS in page and "Unapproved new words" not in page
    statement = load_statement(app, embargoed.statement_id)
    assert statement.status is Status.DRAFT and statement.head_number == 2
    with app.app_context():
        assert db.session.get(Statement, statement.id).published_version.number == 1


def test_lift_now_needs_a_reason_and_is_audited(app, embargoed, client):
    refused = act(embargoed.approver, embargoed.statement_id, "publish", 1, embargo="lift_now")
    assert "Say why the embargo is lifted early" in refused.text
    assert load_statement(app, embargoed.statement_id).published_version_id is None
    act(
        embargoed.approver,
        embargoed.statement_id,
        "publish",
        1,
        embargo="lift_now",
        lift_reason="The ruling came out early",
    )
    assert SECRET_WORDS in client.get(f"/s/{embargoed.slug}").text
    with app.app_context():
        event = db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "statement.embargo_lifted")
        )
        assert event.details["reason"] == "The ruling came out early"
        assert event.actor_id == embargoed.approver_user.id


def test_change_and_cancel_a_scheduled_publication(app, embargoed, client, moment):
    _schedule(embargoed)
    base = f"/statements/{embargoed.statement_id}/publication"
    page = embargoed.approver.get(f"/statements/{embargoed.statement_id}").text
    assert "Change or cancel" in page
    early = embargoed.approver.post(
        base + "/reschedule",
        data={"publish_at": "2026-12-08T08:00", "timezone": "America/Chicago"},
        follow_redirects=True,
    )
    assert "cannot be earlier than the embargo lift" in early.text
    later = embargoed.approver.post(
        base + "/reschedule",
        data={"publish_at": "2026-12-08T10:30", "timezone": "America/Chicago"},
        follow_redirects=True,
    )
    assert "The publication time was changed" in later.text
    moment.at(LIFT + timedelta(minutes=30))
    with app.app_context():
        assert publish_due() == 0  # not yet: moved to 10:30 CST
    assert SECRET_WORDS not in client.get(f"/s/{embargoed.slug}").text
    embargoed.approver.post(base + "/cancel", follow_redirects=True)
    moment.at(LIFT + timedelta(hours=2))
    with app.app_context():
        assert publish_due() == 0
    assert client.get(f"/s/{embargoed.slug}").status_code == 404
    assert load_statement(app, embargoed.statement_id).status is Status.APPROVED


def test_viewers_cannot_change_a_schedule(app, embargoed, client_as):
    _schedule(embargoed)
    from campaign.auth.roles import Role

    viewer = client_as(Role.VIEWER)
    path = f"/statements/{embargoed.statement_id}/publication/cancel"
    assert viewer.post(path).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(Publication)).status is PublicationStatus.SCHEDULED


def test_published_version_under_embargo_is_never_served(app, embargoed, client, moment):
    """Defence in depth: even a row that says "published" is held back until the lift."""
    with app.app_context():
        statement = db.session.get(Statement, embargoed.statement_id)
        statement.published_version_id = statement.head.id
        statement.status = Status.PUBLISHED
        statement.published_at = moment.now
        db.session.commit()
    surfaces = _assert_nothing_leaks(client, embargoed.slug)
    assert surfaces["page"].status_code == 200 and "Under embargo" in surfaces["page"].text
