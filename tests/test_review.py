"""Partner review: links sent by email, comments without an account, expiry and revocation."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from campaign.auth.roles import Role
from campaign.extensions import db
from campaign.review.models import ReviewComment, ReviewLink
from tests.conftest import clock_at, log_in
from tests.test_statements_workflow import act, published

BODY = "First paragraph about the bill.\n\nSecond paragraph with the ask.\n\n- one\n- two\n"
LINK_URL = re.compile(r"http://localhost(/review/\S+)")


def link_form(*partners: tuple[str, str], days: int = 14, message: str = "") -> dict[str, str]:
    data = {"days": str(days), "message": message}
    for index, (name, email) in enumerate(partners):
        data[f"partners-{index}-name"] = name
        data[f"partners-{index}-email"] = email
    return data


def send_link(editor, statement_id: int, number: int = 1, **kwargs):
    partners = kwargs.pop("partners", [("Rosa Marquez", "rosa@riverbend.example.org")])
    return editor.post(
        f"/statements/{statement_id}/versions/{number}/review/links",
        data=link_form(*partners, **kwargs),
    )


def save_version(editor, statement_id: int, title: str, base: int = 1) -> None:
    data = {"base_version": str(base), "title": title, "body": BODY, "release_type": "immediate"}
    assert editor.post(f"/statements/{statement_id}/edit", data=data).status_code == 302


def comment_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ReviewComment))


@pytest.fixture()
def frozen_clock():
    """Set the application's clock; restored to the system clock afterwards."""
    with clock_at(datetime.now(UTC)) as movable:
        yield movable


@pytest.fixture()
def invited(app, client_as, make_statement, smtp_sink):
    """A draft sent to one partner; returns (statement id, editor client, partner's link path)."""
    statement_id = make_statement(body=BODY)
    editor = client_as(Role.EDITOR)
    response = send_link(editor, statement_id, message="Comments by Friday, please.")
    assert response.status_code == 302
    [mail] = smtp_sink.wait_for(1)
    assert mail["To"] == "rosa@riverbend.example.org"
    assert "Comments by Friday" in mail.get_content()
    path = LINK_URL.search(mail.get_content()).group(1)
    return statement_id, editor, path


def test_partner_comments_without_an_account_and_staff_resolve(app, client, invited):
    statement_id, editor, path = invited
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "same-origin"  # Referer never leaves the site
    text = page.get_data(as_text=True)
    assert "Second paragraph with the ask." in text
    assert 'id="paragraph-2"' in text and 'id="paragraph-3"' in text

    response = client.post(path, data={"paragraph": "2", "body": "Say “oppose”, not ask."})
    assert response.status_code == 302
    assert response.location.endswith("#paragraph-2")
    assert "Your comment: Say “oppose”, not ask." in client.get(path).get_data(as_text=True)

    review = editor.get(f"/statements/{statement_id}/versions/1/review").get_data(as_text=True)
    assert "Rosa Marquez" in review and "Say “oppose”, not ask." in review
    assert "1 open comment(s)" in review
    show = editor.get(f"/statements/{statement_id}").get_data(as_text=True)
    assert "1 open comment(s) on version 1" in show and "Say “oppose”, not ask." in show
    assert "Say “oppose”, not ask." in editor.get(f"/statements/{statement_id}/edit").text

    with app.app_context():
        comment = db.session.scalars(select(ReviewComment)).one()
        assert comment.paragraph == 2
        assert comment.excerpt == "Second paragraph with the ask."
        comment_id = comment.id
    assert editor.post(f"/review-comments/{comment_id}/resolve").status_code == 302
    again = editor.post(f"/review-comments/{comment_id}/resolve", follow_redirects=True)
    assert "already resolved" in again.get_data(as_text=True)
    review = editor.get(f"/statements/{statement_id}/versions/1/review").get_data(as_text=True)
    assert "0 open comment(s), 1 resolved" in review


def test_comments_stay_with_the_version_they_were_made_on(app, client, invited):
    statement_id, editor, path = invited
    client.post(path, data={"paragraph": "1", "body": "Good opening."})
    save_version(editor, statement_id, "New title")
    assert "Good opening." in editor.get(f"/statements/{statement_id}/versions/1/review").text
    assert "Good opening." not in editor.get(f"/statements/{statement_id}/versions/2/review").text
    # The partner still reads (and comments on) the words they were sent.
    assert "Stop the sentencing bill" in client.get(path).text


def test_bad_comments_are_refused_and_nothing_stored(app, client, invited):
    _, _, path = invited
    assert client.post(path, data={"paragraph": "9", "body": "Where?"}).status_code == 422
    empty = client.post(path, data={"paragraph": "1", "body": "   "})
    assert empty.status_code == 422
    app.config["REVIEW_COMMENT_MAX_CHARS"] = 10
    long = client.post(path, data={"paragraph": "1", "body": "x" * 11})
    assert "at most 10 characters" in long.text
    assert comment_count(app) == 0


def test_honeypot_submission_is_dropped(app, client, invited):
    _, _, path = invited
    data = {"paragraph": "1", "body": "Buy now", "website": "http://spam.example"}
    assert client.post(path, data=data).status_code == 302
    assert comment_count(app) == 0


def test_public_comment_posts_are_rate_limited(app, client, invited, rate_limits):
    _, _, path = invited
    app.config["REVIEW_COMMENT_RATE_LIMIT"] = "2 per minute"
    for _ in range(2):
        assert client.post(path, data={"paragraph": "1", "body": "ok"}).status_code == 302
    assert client.post(path, data={"paragraph": "1", "body": "ok"}).status_code == 429
    assert client.get(path).status_code == 200
    assert comment_count(app) == 2


def test_expired_link_is_refused(app, client, invited, frozen_clock):
    _, _, path = invited
    frozen_clock.now += timedelta(days=15)
    page = client.get(path)
    assert page.status_code == 410
    assert "This review link expired on" in page.text
    assert client.post(path, data={"paragraph": "1", "body": "late"}).status_code == 410
    assert comment_count(app) == 0


def test_revoked_link_is_refused(app, client, invited):
    _, editor, path = invited
    with app.app_context():
        link_id = db.session.scalar(select(ReviewLink.id))
    assert editor.post(f"/review-links/{link_id}/revoke").status_code == 302
    again = editor.post(f"/review-links/{link_id}/revoke", follow_redirects=True)
    assert "already been withdrawn" in again.text
    page = client.get(path)
    assert page.status_code == 410
    assert "withdrawn by the campaign staff" in page.text
    assert client.post(path, data={"paragraph": "1", "body": "hi"}).status_code == 410
    assert comment_count(app) == 0


def test_forged_or_mangled_token_is_refused(client, invited):
    _, _, path = invited
    page = client.get(path[:-3] + "abc")
    assert page.status_code == 404
    assert "not valid" in page.text
    assert client.get("/review/1").status_code == 404


def test_link_needs_a_contact_and_a_current_draft(app, client_as, make_statement):
    statement_id = make_statement(body=BODY)
    editor = client_as(Role.EDITOR)
    assert "at least one partner" in send_link(editor, statement_id, partners=[]).text
    bad = send_link(editor, statement_id, partners=[("Ann", "not-an-email")])
    assert bad.status_code == 422
    twice = [("Ann", "ann@example.org"), ("Ann B", "ANN@example.org")]
    assert "listed twice" in send_link(editor, statement_id, partners=twice).text
    viewer = client_as(Role.VIEWER)
    assert send_link(viewer, statement_id).status_code == 403
    assert send_link(editor, statement_id, number=7).status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ReviewLink)) == 0


def test_published_text_is_not_sent_for_review_but_a_new_draft_is_compared_with_it(
    app, make_user, make_statement
):
    statement_id, editor, _ = published(app, make_user, make_statement, body=BODY)
    refused = send_link(editor, statement_id, number=1)
    assert "Only a draft can be sent" in refused.text
    save_version(editor, statement_id, "Stop the bill")
    assert send_link(editor, statement_id, number=2).status_code == 302
    review = editor.get(f"/statements/{statement_id}/versions/2/review").text
    compare = f"/statements/{statement_id}/compare?old=1&amp;new=2"
    assert compare in review and "Compare with published (version 1)" in review
    diff = editor.get(compare.replace("&amp;", "&")).text
    assert "<del>Stop the sentencing bill</del>" in diff or "<del>sentencing </del>" in diff


def test_review_link_for_a_draft_in_review_after_submission(app, make_user, make_statement):
    author = make_user(Role.EDITOR)
    statement_id = make_statement(author=author, body=BODY)
    editor = log_in(app.test_client(), author)
    act(editor, statement_id, "submit", 1)
    assert send_link(editor, statement_id).status_code == 302


def test_comment_form_is_csrf_protected(app, client, invited):
    _, _, path = invited
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(path, data={"paragraph": "1", "body": "forged"}).status_code == 400
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get(path).text)
    data = {"paragraph": "1", "body": "real", "csrf_token": token.group(1)}
    assert client.post(path, data=data).status_code == 302
    assert comment_count(app) == 1
