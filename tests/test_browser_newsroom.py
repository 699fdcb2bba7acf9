"""In Chromium: a journalist's preview link before and after the lift, and the OG tags."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.distribution.services import Request, create_distribution
from campaign.embargo.models import PreviewLink
from campaign.embargo.services import publish_due
from campaign.extensions import db
from campaign.statements.models import Statement
from campaign.statements.workflow import Action, perform
from tests.support.distribution import drain
from tests.support.embargo import LIFT, SECRET_WORDS

pytestmark = pytest.mark.browser


def _preview_token(app, embargoed, contact_list, make_user) -> str:
    with app.app_context():
        statement = db.session.get(Statement, embargoed.statement_id)
        approver = db.session.get(User, embargoed.approver_user.id)
        perform(statement, Action.PUBLISH, approver, 1, embargo="at_lift")
    officer = make_user(Role.PRESS_OFFICER)
    with app.app_context():
        statement = db.session.get(Statement, embargoed.statement_id)
        request = Request(statement.head.id, [contact_list(1)], "Embargoed", "p@x.example")
        dist, _ = create_distribution(request, db.session.get(User, officer.id))
        dist_id = dist.id
    drain(app, dist_id)
    with app.app_context():
        return db.session.scalar(select(PreviewLink.token))


def test_preview_link_before_and_after_the_lift_and_open_graph(
    app, embargoed, contact_list, make_user, moment, live_server, page
):
    # Staff steps happen before live_server turns CSRF protection on.
    token = _preview_token(app, embargoed, contact_list, make_user)

    page.goto(f"{live_server}/s/{embargoed.slug}")
    page.wait_for_selector("text=Available in")
    assert SECRET_WORDS not in page.content()
    assert page.locator('meta[name="robots"]').get_attribute("content").startswith("noindex")

    page.goto(f"{live_server}/preview/{token}")
    page.wait_for_selector(f"text={SECRET_WORDS}")
    banner = page.locator(".embargo-banner").first.inner_text()
    assert "EMBARGOED - NOT FOR PUBLICATION UNTIL December 8, 2026, 9:00 AM CST" in banner
    if page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") != "America/Chicago":
        assert "your time:" in page.locator(".reader-time").first.inner_text()

    moment.at(LIFT + timedelta(minutes=1))
    with app.app_context():
        assert publish_due() == 1
    page.goto(f"{live_server}/preview/{token}")
    page.wait_for_url(f"{live_server}/s/{embargoed.slug}")
    og = {
        prop: page.locator(f'meta[property="og:{prop}"]').get_attribute("content")
        for prop in ("title", "url", "image", "description")
    }
    assert og["title"] == "Coalition reaches settlement with the state"
    assert og["url"] == f"{live_server}/s/{embargoed.slug}"
    assert og["image"] == f"{live_server}/s/{embargoed.slug}/og.png"
    assert og["description"].startswith(SECRET_WORDS)
    image = page.request.get(og["image"])
    assert image.ok and image.headers["content-type"] == "image/png"
    assert page.locator("a", has_text="Download PDF").count() == 1
