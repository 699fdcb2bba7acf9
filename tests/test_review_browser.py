"""A partner comments on a draft in a real browser, with CSRF protection on and no account."""

from __future__ import annotations

import pytest

from campaign.auth.models import User
from campaign.extensions import db
from campaign.review.services import Partner, create_link, invitation_url
from campaign.statements.models import Statement

BODY = "We oppose the bill.\n\nIt brings back mandatory minimums.\n"


@pytest.mark.browser
def test_partner_comments_on_a_paragraph_in_the_browser(
    app, live_server, page, make_user, make_statement
):
    editor = make_user()
    statement_id = make_statement(author=editor, body=BODY)
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        link = create_link(
            statement,
            statement.head,
            db.session.get(User, editor.id),
            [Partner("Rosa Marquez", "rosa@riverbend.example.org")],
            days=7,
        )
        url = invitation_url(link.invitees[0])
    page.goto(url)
    page.click("text=Comment on paragraph 2")
    page.fill("#body-2", "Name the bill's section here.")
    page.click("#paragraph-2 button[type=submit]")
    page.wait_for_selector("text=Thank you: your comment was sent")
    assert page.inner_text("#paragraph-2 .comment") == "Your comment: Name the bill's section here."
